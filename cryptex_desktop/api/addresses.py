"""Cryptocurrency addresses: check what a person typed, and make fresh deposit addresses.

Bitcoin and Litecoin main-network addresses only, in the two forms their wallets show:
Base58Check (``1...``/``3...``, ``L...``/``M...``) and bech32/bech32m segwit
(``bc1...``, ``ltc1...``; BIP-173, BIP-350). Every refusal is an :class:`InvalidAddress`
whose text is one plain sentence saying what is wrong, for the person who typed it.

The codec functions below the public checks (``base58check_decode``, ``bech32_decode``,
``segwit_decode`` and their encoders) are exact implementations of the BIPs; they raise
:class:`MalformedEncoding`, which names the flaw for a program, not for a person.
Pure Python and stdlib only: the sandbox and the Qt withdraw form both use this module.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum

from cryptex_desktop.api.currencies import CURRENCIES
from cryptex_desktop.i18n import N_, _

__all__ = [
    "Bech32Variant",
    "EncodingFlaw",
    "InvalidAddress",
    "MalformedEncoding",
    "base58_decode",
    "base58_encode",
    "base58check_decode",
    "base58check_encode",
    "bech32_decode",
    "bech32_encode",
    "is_valid_address",
    "new_address",
    "normalize_address",
    "segwit_decode",
    "segwit_encode",
    "supports_addresses",
    "validate_address",
]


class InvalidAddress(ValueError):
    """An address a person typed cannot be used; ``str()`` is a sentence saying why."""


class EncodingFlaw(Enum):
    """What is wrong with a Base58Check or bech32 string, for code that needs to know."""

    CHARACTER = "a character outside the alphabet"
    MIXED_CASE = "capital and small letters mixed"
    SEPARATOR = "no separator or an empty prefix"
    LENGTH = "too short or too long"
    CHECKSUM = "the checksum does not match"
    PREFIX = "a different human-readable prefix"
    VERSION = "a witness version that does not exist"
    PROGRAM = "a witness program of the wrong length or padding"


class MalformedEncoding(ValueError):
    """A string that is not valid Base58Check/bech32/segwit; ``flaw`` says which rule it breaks."""

    def __init__(self, flaw: EncodingFlaw, detail: str = "") -> None:
        super().__init__(f"{flaw.value}{': ' + detail if detail else ''}")
        self.flaw = flaw


# --------------------------------------------------------------------------- Base58Check

BASE58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_BASE58_INDEX = {char: index for index, char in enumerate(BASE58_ALPHABET)}
# Decoding is quadratic in length; nothing real is longer (a WIF private key is 52).
_BASE58_MAX_CHARS = 120


def _double_sha256(data: bytes) -> bytes:
    return hashlib.sha256(hashlib.sha256(data).digest()).digest()


def base58_encode(data: bytes) -> str:
    """Bitcoin's Base58: each leading zero byte becomes ``1``, the rest a base-58 number."""
    zeros = len(data) - len(data.lstrip(b"\0"))
    number = int.from_bytes(data, "big")
    digits = []
    while number:
        number, remainder = divmod(number, 58)
        digits.append(BASE58_ALPHABET[remainder])
    return "1" * zeros + "".join(reversed(digits))


def base58_decode(text: str) -> bytes:
    """The bytes a Base58 string stands for; ``MalformedEncoding`` for a foreign character."""
    if len(text) > _BASE58_MAX_CHARS:
        raise MalformedEncoding(EncodingFlaw.LENGTH, f"more than {_BASE58_MAX_CHARS} characters")
    number = 0
    for char in text:
        index = _BASE58_INDEX.get(char)
        if index is None:
            raise MalformedEncoding(EncodingFlaw.CHARACTER, repr(char))
        number = number * 58 + index
    zeros = len(text) - len(text.lstrip("1"))
    return b"\0" * zeros + number.to_bytes((number.bit_length() + 7) // 8, "big")


def base58check_encode(payload: bytes) -> str:
    """Base58 of ``payload`` followed by the first four bytes of its double SHA-256."""
    return base58_encode(payload + _double_sha256(payload)[:4])


def base58check_decode(text: str) -> bytes:
    """The payload (version byte first) of a Base58Check string whose checksum matches."""
    raw = base58_decode(text)
    if len(raw) < 5:
        raise MalformedEncoding(EncodingFlaw.LENGTH, "shorter than a checksum")
    payload, checksum = raw[:-4], raw[-4:]
    if _double_sha256(payload)[:4] != checksum:
        raise MalformedEncoding(EncodingFlaw.CHECKSUM)
    return payload


# --------------------------------------------------------------------------- bech32 / bech32m

BECH32_CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
_BECH32_INDEX = {char: index for index, char in enumerate(BECH32_CHARSET)}
_BECH32_GENERATOR = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)
_BECH32_MAX_LENGTH = 90
_CHECKSUM_LENGTH = 6


class Bech32Variant(Enum):
    """The two checksums: bech32 (BIP-173, witness v0) and bech32m (BIP-350, v1 and up)."""

    BECH32 = 1
    BECH32M = 0x2BC830A3


def _polymod(values: Iterable[int]) -> int:
    checksum = 1
    for value in values:
        top = checksum >> 25
        checksum = (checksum & 0x1FFFFFF) << 5 ^ value
        for bit, generator in enumerate(_BECH32_GENERATOR):
            if (top >> bit) & 1:
                checksum ^= generator
    return checksum


def _hrp_expand(hrp: str) -> list[int]:
    return [ord(char) >> 5 for char in hrp] + [0] + [ord(char) & 31 for char in hrp]


def bech32_encode(hrp: str, data: Sequence[int], variant: Bech32Variant) -> str:
    """``hrp`` + ``1`` + the 5-bit ``data`` and its checksum; give ``hrp`` in small letters."""
    values = _hrp_expand(hrp) + list(data)
    residue = _polymod([*values, 0, 0, 0, 0, 0, 0]) ^ variant.value
    checksum = [(residue >> 5 * (5 - i)) & 31 for i in range(_CHECKSUM_LENGTH)]
    return hrp + "1" + "".join(BECH32_CHARSET[d] for d in [*data, *checksum])


def bech32_decode(text: str) -> tuple[str, list[int], Bech32Variant]:
    """``(hrp, data, variant)`` of a bech32 or bech32m string; the checksum is removed.

    Follows BIP-173/BIP-350 exactly: printable ASCII, one case, at most 90 characters,
    the last ``1`` separates a non-empty prefix from at least six data characters.
    """
    if any(ord(char) < 33 or ord(char) > 126 for char in text):
        raise MalformedEncoding(EncodingFlaw.CHARACTER, "outside printable ASCII")
    if text.lower() != text and text.upper() != text:
        raise MalformedEncoding(EncodingFlaw.MIXED_CASE)
    if len(text) > _BECH32_MAX_LENGTH:
        raise MalformedEncoding(EncodingFlaw.LENGTH, f"more than {_BECH32_MAX_LENGTH} characters")
    text = text.lower()
    separator = text.rfind("1")
    if separator < 1:
        raise MalformedEncoding(EncodingFlaw.SEPARATOR)
    if separator + 1 + _CHECKSUM_LENGTH > len(text):
        raise MalformedEncoding(EncodingFlaw.LENGTH, "shorter than a checksum")
    hrp, rest = text[:separator], text[separator + 1 :]
    foreign = [char for char in rest if char not in _BECH32_INDEX]
    if foreign:
        raise MalformedEncoding(EncodingFlaw.CHARACTER, repr(foreign[0]))
    data = [_BECH32_INDEX[char] for char in rest]
    residue = _polymod(_hrp_expand(hrp) + data)
    for variant in Bech32Variant:
        if residue == variant.value:
            return hrp, data[:-_CHECKSUM_LENGTH], variant
    raise MalformedEncoding(EncodingFlaw.CHECKSUM)


def _convert_bits(data: Iterable[int], from_bits: int, to_bits: int, pad: bool) -> list[int]:
    """Regroup bits; without ``pad``, at most 4 leftover bits, all zero (BIP-173)."""
    accumulator, bits, result = 0, 0, []
    mask = (1 << to_bits) - 1
    for value in data:
        if value < 0 or value >> from_bits:
            raise MalformedEncoding(EncodingFlaw.PROGRAM, "value out of range")
        accumulator = (accumulator << from_bits) | value
        bits += from_bits
        while bits >= to_bits:
            bits -= to_bits
            result.append((accumulator >> bits) & mask)
    if pad:
        if bits:
            result.append((accumulator << (to_bits - bits)) & mask)
    elif bits >= from_bits:
        raise MalformedEncoding(EncodingFlaw.PROGRAM, "more than 4 padding bits")
    elif (accumulator << (to_bits - bits)) & mask:
        raise MalformedEncoding(EncodingFlaw.PROGRAM, "non-zero padding")
    return result


def _witness_program(data: Sequence[int], variant: Bech32Variant) -> tuple[int, bytes]:
    """The witness version and program in bech32 data, by the BIP-141/173/350 rules."""
    if not data:
        raise MalformedEncoding(EncodingFlaw.PROGRAM, "empty data")
    version = data[0]
    if version > 16:
        raise MalformedEncoding(EncodingFlaw.VERSION, str(version))
    program = bytes(_convert_bits(data[1:], 5, 8, pad=False))
    if not 2 <= len(program) <= 40:
        raise MalformedEncoding(EncodingFlaw.PROGRAM, f"{len(program)} bytes")
    if version == 0 and len(program) not in (20, 32):
        raise MalformedEncoding(EncodingFlaw.PROGRAM, f"{len(program)} bytes for version 0")
    expected = Bech32Variant.BECH32 if version == 0 else Bech32Variant.BECH32M
    if variant is not expected:
        raise MalformedEncoding(EncodingFlaw.CHECKSUM, f"{variant.name} for version {version}")
    return version, program


def segwit_decode(hrp: str, text: str) -> tuple[int, bytes]:
    """``(witness version, program)`` of a segwit address that must carry prefix ``hrp``."""
    found, data, variant = bech32_decode(text)
    # Exact comparison: BIP-350's vectors require that an upper-case ``hrp`` never matches.
    if found != hrp:
        raise MalformedEncoding(EncodingFlaw.PREFIX, f"{found!r} instead of {hrp!r}")
    return _witness_program(data, variant)


def segwit_encode(hrp: str, version: int, program: bytes) -> str:
    """The segwit address for a witness program; ``ValueError`` if the result would not decode."""
    if not 0 <= version <= 16:
        raise MalformedEncoding(EncodingFlaw.VERSION, str(version))
    variant = Bech32Variant.BECH32 if version == 0 else Bech32Variant.BECH32M
    text = bech32_encode(hrp, [version, *_convert_bits(program, 8, 5, pad=True)], variant)
    # Encoding then decoding applies every length rule in one place.
    segwit_decode(hrp, text)
    return text


# --------------------------------------------------------------------------- the two coins


@dataclass(frozen=True)
class _Chain:
    """Where a coin's main-network addresses differ from everyone else's."""

    currency: str
    hrp: str
    base58_versions: frozenset[int]
    private_key_version: int


_CHAINS: dict[str, _Chain] = {
    "BTC": _Chain("BTC", "bc", frozenset({0x00, 0x05}), 0x80),
    # Litecoin P2SH moved from 0x05 ("3") to 0x32 ("M"); old "3" addresses still pay.
    "LTC": _Chain("LTC", "ltc", frozenset({0x30, 0x32, 0x05}), 0xB0),
}
# Which coin a main-network Base58 version belongs to when it is not the chosen one.
_MAIN_BASE58_OWNER = {0x00: "BTC", 0x05: "BTC", 0x30: "LTC", 0x32: "LTC"}
# Test networks and regtest; 0x6f and 0xc4 are shared by both coins.
_TEST_BASE58_OWNER: dict[int, str | None] = {0x6F: None, 0xC4: None, 0x3A: "LTC"}
_TEST_PRIVATE_KEY_VERSION = 0xEF
_HRP_OWNER = {
    "bc": ("BTC", True),
    "ltc": ("LTC", True),
    "tb": ("BTC", False),
    "bcrt": ("BTC", False),
    "tltc": ("LTC", False),
    "rltc": ("LTC", False),
}
_BECH32_PREFIXES = tuple(hrp + "1" for hrp in _HRP_OWNER)
# Invisible characters that copying from web pages and chat apps often brings along.
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"
# One whole sentence per look-alike, marked only: _() where raised, {name} the coin's name.
_BASE58_LOOKALIKES = {
    "0": N_("{name} addresses do not contain the digit 0 (zero); check that character."),
    "O": N_("{name} addresses do not contain the capital letter O; check that character."),
    "I": N_("{name} addresses do not contain the capital letter I; check that character."),
    "l": N_("{name} addresses do not contain the small letter l; check that character."),
}
# Shortest/longest Base58Check address of a 21-byte payload, so a shorter or longer
# text that fails its checksum is more likely cut off or pasted twice than mistyped.
_BASE58_ADDRESS_CHARS = range(26, 36)


def _name(currency: str) -> str:
    known = CURRENCIES.get(currency)
    return known.name if known else currency


def supports_addresses(currency: str) -> bool:
    """True for a cryptocurrency this app can check and issue addresses for (BTC, LTC)."""
    return currency in _CHAINS


def _chain(currency: str) -> _Chain:
    chain = _CHAINS.get(currency)
    if chain is not None:
        return chain
    known = CURRENCIES.get(currency)
    if known is not None and not known.is_crypto:
        raise InvalidAddress(_("{name} is not a cryptocurrency, so it does not use addresses.")
                             .format(name=known.name))
    if not currency:
        raise InvalidAddress(_("This currency does not use addresses in this app."))
    raise InvalidAddress(_("{currency} does not use addresses in this app.")
                         .format(currency=currency))


def new_address(currency: str) -> str:
    """A fresh random main-network P2WPKH address: ``bc1q...`` for BTC, ``ltc1q...`` for LTC."""
    return segwit_encode(_chain(currency).hrp, 0, secrets.token_bytes(20))


def is_valid_address(currency: str, text: str) -> bool:
    """Whether ``text`` (surrounding spaces ignored) is a main-network address of ``currency``."""
    try:
        validate_address(currency, text)
    except InvalidAddress:
        return False
    return True


def normalize_address(currency: str, text: str) -> str:
    """The address as it should be stored: stripped, bech32 in small letters.

    Raises ``InvalidAddress`` when it is not a valid address of ``currency``.
    """
    address = _check(currency, text)
    return address.lower() if _bech32_prefix(address) else address


def validate_address(currency: str, text: str) -> None:
    """Raise ``InvalidAddress`` unless ``text`` is a main-network address of ``currency``.

    Surrounding spaces (and invisible characters pasted with them) are ignored.
    """
    _check(currency, text)


def check_safe_to_send(currency: str, text: str) -> None:
    """Raise ``InvalidAddress`` unless ``text`` is valid AND a kind of address wallets use today.

    BIP-350 makes segwit versions 2 to 16 (and version 1 programs that are not 32 bytes)
    valid, but no wallet uses them yet and coins sent there can be taken by anyone. The
    exchange accepts them; a person sending money is stopped and told why.
    """
    address = _check(currency, text)
    chain = _chain(currency)
    if not _bech32_prefix(address):
        return
    version, program = segwit_decode(chain.hrp, address.lower())
    if version >= 2 or (version == 1 and len(program) != 32):
        coin = _name(currency)
        raise InvalidAddress(_(
            "This is a newer kind of {coin} address that wallets do not use yet, and coins "
            "sent to it could be lost. Ask the recipient for an address that starts with "
            "“{prefix}1q” or “{prefix}1p”."
        ).format(coin=coin, prefix=chain.hrp))


def _check(currency: str, text: str) -> str:
    """The stripped address after every check; the shared body of the public functions."""
    chain = _chain(currency)
    address = _strip_edges(text)
    _check_characters(chain, address)
    if _bech32_prefix(address) or _looks_bech32(address):
        _check_bech32(chain, address)
    else:
        _check_base58(chain, address)
    return address


def _strip_edges(text: str) -> str:
    """``text`` without whitespace or invisible characters at either end."""
    start, end = 0, len(text)
    while start < end and (text[start].isspace() or text[start] in _INVISIBLE):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in _INVISIBLE):
        end -= 1
    return text[start:end]


def _bech32_prefix(address: str) -> str | None:
    """The known prefix (``"bc1"``, ``"ltc1"``, ...) ``address`` starts with, if any."""
    lowered = address.lower()
    return next((p for p in _BECH32_PREFIXES if lowered.startswith(p)), None)


def _looks_bech32(address: str) -> bool:
    """Bech32 in shape though its prefix is unknown, e.g. after a typo in ``bc``."""
    lowered = address.lower()
    separator = lowered.rfind("1")
    hrp, data = lowered[:separator], lowered[separator + 1 :]
    return (
        1 <= len(hrp) <= 5
        and hrp.isalnum()
        and len(data) >= _CHECKSUM_LENGTH
        and all(char in _BECH32_INDEX for char in data)
        # Base58 mixes cases; a 30-character run in one case is bech32's signature.
        and address in (lowered, address.upper())
    )


def _check_characters(chain: _Chain, address: str) -> None:
    """Refuse what no address of any form contains, before reading it as one form."""
    name = _name(chain.currency)
    if not address:
        raise InvalidAddress(_("The address is empty."))
    if ":" in address:
        raise InvalidAddress(_(
            "This is a payment link, not an address: copy only the address, "
            "without the part up to and including the colon (:)."
        ))
    if address[:2].lower() == "0x":
        raise InvalidAddress(_(
            "This looks like an Ethereum-style address; {name} can only be sent "
            "to a {name} address."
        ).format(name=name))
    if any(char.isspace() for char in address):
        raise InvalidAddress(_(
            "The address contains a space. An address is one unbroken run of letters and "
            "digits; check that you copied all of it and nothing else."
        ))
    for char in address:
        if not char.isprintable() or char in _INVISIBLE:
            raise InvalidAddress(_(
                "The address contains an invisible character; "
                "type the address again or copy it from its source."
            ))
        if not char.isascii():
            raise InvalidAddress(_(
                "The address contains “{char}”, which is not a plain Latin letter or digit; "
                "type the address again or copy it from its source."
            ).format(char=char))
        if not char.isalnum():
            raise InvalidAddress(_(
                "Addresses contain only letters and digits, not “{char}”; "
                "check that you copied exactly the address."
            ).format(char=char))


def _length_sentence(name: str) -> str:
    return _(
        "This is not a {name} address: it is too short or too long. "
        "Check that you copied all of it, once."
    ).format(name=name)


def _checksum_sentence(name: str) -> str:
    return _("This is not a {name} address: a character is mistyped (the checksum does not "
             "match).").format(name=name)


def _check_bech32(chain: _Chain, address: str) -> None:
    chosen = _name(chain.currency)
    prefix = _bech32_prefix(address)
    if address.lower() != address and address.upper() != address:
        raise InvalidAddress(_(
            "The address mixes capital and small letters. Addresses like this one are "
            "written all in small letters (or all in capitals)."
        ))
    if prefix is not None:
        owner = _HRP_OWNER[prefix[:-1]][0]
        for char in address[len(prefix) :].lower():
            if char not in _BECH32_INDEX:
                if char == "1":
                    sentence = _("{name} addresses that start with “{prefix}” "
                                 "do not contain the digit 1 after it.")
                else:
                    sentence = _("{name} addresses that start with “{prefix}” "
                                 "do not contain the letter “{char}” after it.")
                raise InvalidAddress(sentence.format(name=_name(owner), prefix=prefix, char=char))
    try:
        hrp, data, variant = bech32_decode(address)
    except MalformedEncoding as error:
        if error.flaw is EncodingFlaw.CHECKSUM and _plausible_segwit_length(address):
            raise InvalidAddress(_checksum_sentence(chosen)) from None
        raise InvalidAddress(_length_sentence(chosen)) from None
    if hrp not in _HRP_OWNER:
        raise InvalidAddress(_other_coin_sentence(chosen))
    owner, mainnet = _HRP_OWNER[hrp]
    if not mainnet:
        raise InvalidAddress(_test_network_sentence(owner))
    if hrp != chain.hrp:
        raise InvalidAddress(_("This looks like a {owner} address, but you chose {chosen}.")
                             .format(owner=_name(owner), chosen=chosen))
    try:
        _witness_program(data, variant)
    except MalformedEncoding as error:
        if error.flaw is EncodingFlaw.CHECKSUM:
            raise InvalidAddress(_checksum_sentence(chosen)) from None
        if error.flaw is EncodingFlaw.VERSION:
            raise InvalidAddress(_(
                "This is not a {name} address: the character after “{prefix}1” "
                "must be an address version such as q or p."
            ).format(name=chosen, prefix=hrp)) from None
        raise InvalidAddress(_length_sentence(chosen)) from None


def _plausible_segwit_length(address: str) -> bool:
    """Whether a bech32 text that fails its checksum is the length of a real address.

    If so, a mistyped character is the likely cause; if not, a missing or extra one.
    """
    lowered = address.lower()
    data = lowered[lowered.rfind("1") + 1 :]
    if data[:1] == "q":
        # Version 0 programs are 20 or 32 bytes: 1 + 32 (or 52) + 6 characters.
        return len(data) in (39, 59)
    # Other versions: 2 to 40 bytes, 1 + 4..64 + 6 characters.
    return 11 <= len(data) <= 71


def _other_coin_sentence(chosen: str) -> str:
    return _(
        "This is not a {name} address; it may belong to another coin. "
        "Check that you copied a {name} address."
    ).format(name=chosen)


def _test_network_sentence(owner: str) -> str:
    name = _name(owner)
    # Translators: {coins} is the coin's name in small letters ("bitcoin": the money itself).
    return _(
        "This is a {name} test-network address; it cannot receive real {coins}. "
        "Use a main-network {name} address."
    ).format(name=name, coins=name.lower())


def _check_base58(chain: _Chain, address: str) -> None:
    chosen = _name(chain.currency)
    if address.lower().startswith("ltcmweb1"):
        raise InvalidAddress(_(
            "This is a Litecoin private (MWEB) address, which this app cannot send to; "
            "use an address that starts with ltc1, L or M."
        ))
    for char in address:
        if char in _BASE58_LOOKALIKES:
            raise InvalidAddress(_(_BASE58_LOOKALIKES[char]).format(name=chosen))
    try:
        payload = base58check_decode(address)
    except MalformedEncoding as error:
        if error.flaw is EncodingFlaw.CHECKSUM and len(address) in _BASE58_ADDRESS_CHARS:
            raise InvalidAddress(_checksum_sentence(chosen)) from None
        raise InvalidAddress(_length_sentence(chosen)) from None
    version, body = payload[0], payload[1:]
    if len(body) in (32, 33) and version in (
        *(c.private_key_version for c in _CHAINS.values()),
        _TEST_PRIVATE_KEY_VERSION,
    ):
        raise InvalidAddress(_(
            "This is a private key, not an address. Never share it or paste it anywhere: "
            "anyone who has it can take the coins. Use the receiving address instead."
        ))
    if len(body) != 20:
        raise InvalidAddress(_(
            "This is not a {name} address: it is a code of some other kind. "
            "Check that you copied an address."
        ).format(name=chosen))
    if version in chain.base58_versions:
        return
    if version in _TEST_BASE58_OWNER:
        raise InvalidAddress(_test_network_sentence(_TEST_BASE58_OWNER[version] or chain.currency))
    owner = _MAIN_BASE58_OWNER.get(version)
    if owner is not None:
        raise InvalidAddress(_("This looks like a {owner} address, but you chose {chosen}.")
                             .format(owner=_name(owner), chosen=chosen))
    raise InvalidAddress(_other_coin_sentence(chosen))
