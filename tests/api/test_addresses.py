"""Addresses: the BIP test vectors, real addresses, and the sentences a person reads."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cryptex_desktop.api.addresses import (
    BASE58_ALPHABET,
    BECH32_CHARSET,
    Bech32Variant,
    EncodingFlaw,
    InvalidAddress,
    MalformedEncoding,
    base58_decode,
    base58_encode,
    base58check_decode,
    base58check_encode,
    bech32_decode,
    is_valid_address,
    new_address,
    normalize_address,
    segwit_decode,
    segwit_encode,
    supports_addresses,
    validate_address,
)
from cryptex_desktop.api.currencies import CURRENCIES

# ------------------------------------------------------------------ official vectors
# BIP-173 and BIP-350 "Test vectors" sections, as in sipa/bech32 ref/python/tests.py.

VALID_BECH32 = [
    "A12UEL5L",
    "a12uel5l",
    "an83characterlonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1tt5tgs",
    "abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw",
    "11qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqc8247j",
    "split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w",
    "?1ezyfcl",
]

VALID_BECH32M = [
    "A1LQFN3A",
    "a1lqfn3a",
    "an83characterlonghumanreadablepartthatcontainsthetheexcludedcharactersbioandnumber11sg7hg6",
    "abcdef1l7aum6echk45nj3s0wdvt2fg8x9yrzpqzd3ryx",
    "11llllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllludsr8",
    "split1checkupstagehandshakeupstreamerranterredcaperredlc445v",
    "?1v759aa",
]

INVALID_BECH32 = [
    " 1nwldj5",  # HRP character out of range
    "\x7f1axkwrx",  # HRP character out of range
    "\x801eym55h",  # HRP character out of range
    # overall max length exceeded
    "an84characterslonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1569pvx",
    "pzry9x0s0muk",  # no separator character
    "1pzry9x0s0muk",  # empty HRP
    "x1b4n0q5v",  # invalid data character
    "li1dgmt3",  # too short checksum
    "de1lg7wt\xff",  # invalid character in checksum
    "A1G7SGD8",  # checksum calculated with uppercase form of HRP
    "10a06t8",  # empty HRP
    "1qzzfhee",  # empty HRP
]

INVALID_BECH32M = [
    " 1xj0phk",  # HRP character out of range
    "\x7f1g6xzxy",  # HRP character out of range
    "\x801vctc34",  # HRP character out of range
    # overall max length exceeded
    "an84characterslonghumanreadablepartthatcontainsthetheexcludedcharactersbioandnumber11d6pts4",
    "qyrz8wqd2c9m",  # no separator character
    "1qyrz8wqd2c9m",  # empty HRP
    "y1b0jsk6g",  # invalid data character
    "lt1igcx5c0",  # invalid data character
    "in1muywd",  # too short checksum
    "mm1crxm3i",  # invalid character in checksum
    "au1s5cgom",  # invalid character in checksum
    "M1VUXWEZ",  # checksum calculated with uppercase form of HRP
    "16plkw9",  # empty HRP
    "1p2gdwpf",  # empty HRP
]

# BIP-350 valid segwit addresses and the scriptPubKey each stands for.
VALID_SEGWIT = [
    ("BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4", "0014751e76e8199196d454941c45d1b3a323f1433bd6"),
    (
        "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7",
        "00201863143c14c5166804bd19203356da136c985678cd4d27a1b8c6329604903262",
    ),
    (
        "bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y",
        "5128751e76e8199196d454941c45d1b3a323f1433bd6751e76e8199196d454941c45d1b3a323f1433bd6",
    ),
    ("BC1SW50QGDZ25J", "6002751e"),
    ("bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs", "5210751e76e8199196d454941c45d1b3a323"),
    (
        "tb1qqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesrxh6hy",
        "0020000000c4a5cad46221b2a187905e5266362b99d5e91c6ce24d165dab93e86433",
    ),
    (
        "tb1pqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesf3hn0c",
        "5120000000c4a5cad46221b2a187905e5266362b99d5e91c6ce24d165dab93e86433",
    ),
    (
        "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0",
        "512079be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798",
    ),
]

INVALID_SEGWIT = [
    # BIP-350
    "tc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq5zuyut",  # invalid HRP
    "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd",  # bech32 for v1
    "tb1z0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqglt7rf",  # bech32 for v2
    "BC1S0XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ54WELL",  # bech32 for v16
    "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh",  # bech32m for v0
    "tb1q0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq24jc47",  # bech32m for v0
    "bc1p38j9r5y49hruaue7wxjce0updqjuyyx0kh56v8s25huc6995vvpql3jow4",  # invalid character
    "BC130XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ7ZWS8R",  # invalid version
    "bc1pw5dgrnzv",  # program of 1 byte
    "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v8n0nx0muaewav253zgeav",  # 41 bytes
    "BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P",  # v0 program of 16 bytes
    "tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq47Zagq",  # mixed case
    "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v07qwwzcrf",  # > 4 padding bits
    "tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vpggkg4j",  # non-zero padding
    "bc1gmk9yu",  # empty data section
    # BIP-173
    "tc1qw508d6qejxtdg4y5r3zarvary0c5xw7kg3g4ty",  # invalid HRP
    "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5",  # invalid checksum
    "BC13W508D6QEJXTDG4Y5R3ZARVARY0C5XW7KN40WF2",  # invalid witness version
    "bc1rw5uspcuh",  # invalid program length
    "bc10w508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kw5rljs90",
    "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sL5k7",  # mixed case
    "bc1zw508d6qejxtdg4y5r3zarvaryvqyzf3du",  # zero padding of more than 4 bits
    "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3pjxtptv",  # non-zero padding
    # BIP-173's v1+ examples were bech32; BIP-350 makes them invalid.
    "bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7k7grplx",
    "BC1SW50QA3JX3S",
    "bc1zw508d6qejxtdg4y5r3zarvaryvg6kdaj",
]

INVALID_SEGWIT_ENCODING = [
    ("BC", 0, 20),
    ("bc", 0, 21),
    ("bc", 17, 32),
    ("bc", 1, 1),
    ("bc", 16, 41),
]

# Bitcoin Core src/test/data/base58_encode_decode.json (a selection).
BASE58_VECTORS = [
    ("", ""),
    ("61", "2g"),
    ("626262", "a3gV"),
    ("636363", "aPEr"),
    ("73696d706c792061206c6f6e6720737472696e67", "2cFupjhnEsSn59qHXstmK2ffpLv2"),
    ("00eb15231dfceb60925886b67d065299925915aeb172c06647", "1NS17iag9jJgTHD1VXjvLCEnZuQ3rJDE9L"),
    ("516b6fcd0f", "ABnLTmg"),
    ("bf4f89001e670274dd", "3SEo3LWLoPntC"),
    ("572e4794", "3EFU7m"),
    ("ecac89cad93923c02321", "EJDM8drfXA6uyA"),
    ("10c8511e", "Rt5zm"),
    ("00000000000000000000", "1111111111"),
    ("271F359E", "zzzzy"),
    ("271F35A0", "211111"),
]

# ------------------------------------------------------------------ real addresses
# Litecoin ones, with their hash, are from Litecoin Core's key_io_valid.json.

BTC_ADDRESSES = [
    "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2",
    "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy",
    "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
    "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4",
    "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0",
]

LTC_ADDRESSES = {
    "LT2KVaAy1ppRuxRgrS5RNU3vBsy7RibPeA": "30558dbca7118cd5894502767c7b2ffc21a22f54db",
    "LbfVMz974gbbGFqXF7FZUpSBWSbwBHDwR5": "30b4565f467408e9e1c1d2a3b0ccdeff84db3a3b93",
    "MHrYRxAiMNBTku3eoDHwhA1LQGDjUStZW2": "326d328a5b2a20d943a641c8d29b6cc3c2d2df85d3",
    "MWGEAUUZoN4r6puz8KsgnE9wNTQ8fGWCEy": "32f54ec8d7b0c3f8ab8194db3432d19f8d44d03b12",
}
LTC_SEGWIT = "ltc1qw508d6qejxtdg4y5r3zarvary0c5xw7kgmn4n9"
TESTNET_ADDRESSES = [
    ("BTC", "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7"),
    ("BTC", "mnJYjG654G354sX1xEBaPGvGCoe34M1Pqr"),
    ("LTC", "mwXn5Vhicdav8Av3KMokx4YNuHoGRKxtWs"),
    ("LTC", "QXaUgLHkZcbJb2j5XgMYzY8cF9YM48Y81Z"),
    ("LTC", "tltc1qw508d6qejxtdg4y5r3zarvary0c5xw7klfsuq0"),
]

CHECKSUM_SENTENCE = {
    "BTC": "This is not a Bitcoin address: a character is mistyped (the checksum does not match).",
    "LTC": "This is not a Litecoin address: a character is mistyped (the checksum does not match).",
}


def refusal(currency: str, text: str) -> str:
    """The sentence a person reads when ``text`` is refused; fails the test if it is accepted."""
    with pytest.raises(InvalidAddress) as caught:
        validate_address(currency, text)
    return str(caught.value)


def one_character_typos(address: str) -> list[str]:
    """``address`` with each character in turn swapped for the next one of its own alphabet."""
    bech32 = address.lower().startswith(("bc1", "ltc1"))
    alphabet = BECH32_CHARSET if bech32 else BASE58_ALPHABET
    text = address.lower() if bech32 else address
    # The bech32 separator is structure, not one of the characters a person copies wrongly.
    separator = text.find("1") if bech32 else -1
    typos = []
    for i, char in enumerate(text):
        if i == separator:
            continue
        replacement = alphabet[(alphabet.find(char) + 1) % len(alphabet)]
        typo = text[:i] + replacement + text[i + 1 :]
        typos.append(typo.upper() if address.isupper() else typo)
    return typos


# ------------------------------------------------------------------ the codecs


@pytest.mark.parametrize("text", VALID_BECH32)
def test_bip173_checksum_strings_decode_as_bech32_and_any_flip_breaks_them(text):
    hrp, _, variant = bech32_decode(text)
    assert (hrp, variant) == (text.lower()[: text.rfind("1")], Bech32Variant.BECH32)
    position = text.rfind("1") + 1
    flipped = text[:position] + chr(ord(text[position]) ^ 1) + text[position + 1 :]
    with pytest.raises(MalformedEncoding):
        bech32_decode(flipped)


@pytest.mark.parametrize("text", VALID_BECH32M)
def test_bip350_checksum_strings_decode_as_bech32m_and_any_flip_breaks_them(text):
    _, _, variant = bech32_decode(text)
    assert variant is Bech32Variant.BECH32M
    position = text.rfind("1") + 1
    flipped = text[:position] + chr(ord(text[position]) ^ 1) + text[position + 1 :]
    with pytest.raises(MalformedEncoding):
        bech32_decode(flipped)


@pytest.mark.parametrize(
    ("text", "variant"),
    [(t, Bech32Variant.BECH32) for t in INVALID_BECH32]
    + [(t, Bech32Variant.BECH32M) for t in INVALID_BECH32M],
)
def test_bip_invalid_checksum_strings_are_refused(text, variant):
    try:
        _, _, found = bech32_decode(text)
    except MalformedEncoding:
        return
    assert found is not variant


@pytest.mark.parametrize(("address", "script"), VALID_SEGWIT)
def test_bip350_valid_segwit_addresses_decode_to_their_script_and_encode_back(address, script):
    hrp = "tb" if address.lower().startswith("tb1") else "bc"
    version, program = segwit_decode(hrp, address)
    op_version = version + 0x50 if version else 0
    assert bytes([op_version, len(program)]) + program == bytes.fromhex(script)
    assert segwit_encode(hrp, version, program) == address.lower()


@pytest.mark.parametrize("address", INVALID_SEGWIT)
def test_bip_invalid_segwit_addresses_decode_for_neither_network(address):
    for hrp in ("bc", "tb"):
        with pytest.raises(MalformedEncoding):
            segwit_decode(hrp, address)


@pytest.mark.parametrize(("hrp", "version", "length"), INVALID_SEGWIT_ENCODING)
def test_bip350_impossible_segwit_addresses_cannot_be_encoded(hrp, version, length):
    with pytest.raises(ValueError):
        segwit_encode(hrp, version, bytes(length))


def test_segwit_decode_names_the_flaw_for_a_program_that_cannot_exist():
    with pytest.raises(MalformedEncoding) as caught:
        segwit_decode("bc", "BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P")
    assert caught.value.flaw is EncodingFlaw.PROGRAM


@pytest.mark.parametrize(("hex_bytes", "text"), BASE58_VECTORS)
def test_bitcoin_core_base58_vectors_encode_and_decode(hex_bytes, text):
    assert base58_encode(bytes.fromhex(hex_bytes)) == text
    assert base58_decode(text) == bytes.fromhex(hex_bytes)


def test_base58check_round_trips_and_catches_a_changed_byte():
    payload = bytes.fromhex("00751e76e8199196d454941c45d1b3a323f1433bd6")
    text = base58check_encode(payload)
    assert base58check_decode(text) == payload
    raw = bytearray(base58_decode(text))
    raw[5] ^= 1
    with pytest.raises(MalformedEncoding) as caught:
        base58check_decode(base58_encode(bytes(raw)))
    assert caught.value.flaw is EncodingFlaw.CHECKSUM


# ------------------------------------------------------------------ what a person types


@pytest.mark.parametrize("address", BTC_ADDRESSES)
def test_a_person_can_withdraw_bitcoin_to_a_real_bitcoin_address(address):
    validate_address("BTC", address)
    assert is_valid_address("BTC", address)


@pytest.mark.parametrize("address", [a for a, _ in VALID_SEGWIT if a.lower().startswith("bc1")])
def test_every_bip350_main_network_address_is_accepted_for_bitcoin(address):
    validate_address("BTC", address)


@pytest.mark.parametrize(("address", "payload"), LTC_ADDRESSES.items())
def test_a_litecoin_base58_address_is_accepted_and_decodes_to_its_known_hash(address, payload):
    validate_address("LTC", address)
    assert base58check_decode(address) == bytes.fromhex(payload)


def test_litecoin_accepts_native_segwit_and_old_style_3_addresses():
    validate_address("LTC", LTC_SEGWIT)
    validate_address("LTC", LTC_SEGWIT.upper())
    assert segwit_decode("ltc", LTC_SEGWIT) == (
        0,
        bytes.fromhex("751e76e8199196d454941c45d1b3a323f1433bd6"),
    )
    validate_address("LTC", "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy")


@pytest.mark.parametrize(
    ("currency", "address"),
    [("BTC", a) for a in BTC_ADDRESSES]
    + [("LTC", a) for a in LTC_ADDRESSES]
    + [("LTC", LTC_SEGWIT)],
)
def test_a_one_character_typo_is_refused_with_the_checksum_sentence(currency, address):
    for typo in one_character_typos(address):
        assert typo != address
        message = refusal(currency, typo)
        assert message == CHECKSUM_SENTENCE[currency], typo
        assert typo not in message


@pytest.mark.parametrize(
    "address",
    ["1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2", "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"],
)
def test_a_bitcoin_address_is_refused_when_the_person_chose_litecoin(address):
    assert refusal("LTC", address) == "This looks like a Bitcoin address, but you chose Litecoin."


@pytest.mark.parametrize("address", [*LTC_ADDRESSES, LTC_SEGWIT])
def test_a_litecoin_address_is_refused_when_the_person_chose_bitcoin(address):
    assert refusal("BTC", address) == "This looks like a Litecoin address, but you chose Bitcoin."


@pytest.mark.parametrize(("currency", "address"), TESTNET_ADDRESSES)
def test_a_test_network_address_is_refused_because_it_cannot_receive_real_coins(currency, address):
    name = CURRENCIES[currency].name
    message = refusal(currency, address)
    assert message.startswith(f"This is a {name} test-network address")
    assert f"real {name.lower()}" in message


@pytest.mark.parametrize(
    ("typed", "sentence"),
    [
        (
            "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVNO",
            "Bitcoin addresses do not contain the capital letter O",
        ),
        (
            "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN0",
            "Bitcoin addresses do not contain the digit 0 (zero)",
        ),
        (
            "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVNI",
            "Bitcoin addresses do not contain the capital letter I",
        ),
        (
            "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVNl",
            "Bitcoin addresses do not contain the small letter l",
        ),
        ("bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdo", "do not contain the letter “o” after it"),
        ("bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdb", "do not contain the letter “b” after it"),
        ("bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdi", "do not contain the letter “i” after it"),
        ("bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5md1", "do not contain the digit 1 after it"),
    ],
)
def test_a_character_no_address_contains_is_named_in_the_refusal(typed, sentence):
    assert sentence in refusal("BTC", typed)


def test_an_address_mixing_capital_and_small_letters_is_refused_with_that_reason():
    message = refusal("BTC", "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mDQ")
    assert "mixes capital and small letters" in message


@pytest.mark.parametrize("typed", ["", "   ", "\n\t", "\u200b"])
def test_an_empty_address_is_refused_as_empty(typed):
    assert refusal("BTC", typed) == "The address is empty."


def test_spaces_and_invisible_characters_around_a_pasted_address_are_ignored():
    validate_address("BTC", "  1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2\n")
    validate_address("BTC", "\ufeffbc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq\u200b ")
    assert normalize_address("BTC", " 1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2\t") == (
        "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2"
    )


def test_a_space_inside_an_address_is_refused():
    assert "contains a space" in refusal("BTC", "1BvBMSEYstWetqTFn5Au4 m4GFg7xJaNVN2")


@pytest.mark.parametrize(
    ("typed", "fragment"),
    [
        ("bitcoin:1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2", "payment link"),
        ("0x52908400098527886E0F7030069857D2E4169EE7", "Ethereum"),
        ("1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2.", "only letters and digits"),
        ("1BvBMSEYstWetqTFn5Au4m4GFg7xJаNVN2", "not a plain Latin letter"),  # Cyrillic а
        ("1BvBMSEYstWetqTFn5Au4m4G", "too short or too long"),
        ("1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN21BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2", "too short"),
        ("bc1qar0srrr7xf", "too short or too long"),
        ("bc1qar0srrr7x", "too short or too long"),
        ("BC13W508D6QEJXTDG4Y5R3ZARVARY0C5XW7KN40WF2", "address version"),
        ("tc1qw508d6qejxtdg4y5r3zarvary0c5xw7kg3g4ty", "another coin"),
        ("ltcmweb1qqt9rwznnxzkghv4s5wgtwxs0m0ry6n3atp95f47slppapxljde3xyqmdlnrc8ag7y7", "MWEB"),
    ],
)
def test_other_mistakes_are_explained_in_a_sentence(typed, fragment):
    message = refusal("LTC" if "mweb" in typed else "BTC", typed)
    assert fragment in message
    assert message.endswith(".")


@pytest.mark.parametrize("address", INVALID_SEGWIT)
def test_every_bip_invalid_address_is_refused_for_bitcoin_with_a_sentence(address):
    message = refusal("BTC", address)
    assert message.endswith(".")
    assert address not in message


def test_a_pasted_private_key_is_refused_with_a_warning_that_does_not_repeat_it():
    for version in (0x80, 0xB0):
        wif = base58check_encode(bytes([version]) + bytes(range(1, 33)) + b"\x01")
        message = refusal("BTC", wif)
        assert "private key" in message
        assert wif not in message


@pytest.mark.parametrize("currency", ["USD", "EUR", "RUR"])
def test_fiat_money_does_not_use_addresses(currency):
    assert not supports_addresses(currency)
    assert "does not use addresses" in refusal(currency, "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2")
    with pytest.raises(InvalidAddress, match="does not use addresses"):
        new_address(currency)


def test_an_unknown_currency_does_not_use_addresses():
    assert not supports_addresses("DOGE")
    assert "does not use addresses" in refusal("DOGE", "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2")
    assert not is_valid_address("DOGE", "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2")


def test_exactly_the_cryptocurrencies_support_addresses():
    assert {c for c in CURRENCIES if supports_addresses(c)} == {"BTC", "LTC"}


def test_an_invalid_address_is_a_value_error_for_callers_that_catch_those():
    with pytest.raises(ValueError):
        validate_address("BTC", "not an address")
    assert not is_valid_address("BTC", "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3")


def test_normalizing_lowers_bech32_and_keeps_base58_exactly():
    assert normalize_address("BTC", " BC1QAR0SRRR7XFKVY5L643LYDNW9RE59GTZZWF5MDQ ") == (
        "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"
    )
    assert normalize_address("LTC", "LT2KVaAy1ppRuxRgrS5RNU3vBsy7RibPeA") == (
        "LT2KVaAy1ppRuxRgrS5RNU3vBsy7RibPeA"
    )
    with pytest.raises(InvalidAddress):
        normalize_address("BTC", "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3")


# ------------------------------------------------------------------ fresh deposit addresses


@pytest.mark.parametrize(("currency", "prefix"), [("BTC", "bc1q"), ("LTC", "ltc1q")])
def test_every_fresh_deposit_address_is_a_valid_distinct_segwit_address(currency, prefix):
    addresses = {new_address(currency) for _ in range(500)}
    assert len(addresses) == 500
    for address in addresses:
        assert address.startswith(prefix)
        assert len(address) == len(prefix) + 38
        validate_address(currency, address)
        assert normalize_address(currency, address) == address
        other = "LTC" if currency == "BTC" else "BTC"
        assert not is_valid_address(other, address)


@settings(max_examples=200, deadline=None)
@given(program=st.binary(min_size=20, max_size=20), currency=st.sampled_from(["BTC", "LTC"]))
def test_any_20_byte_hash_makes_an_address_that_decodes_back_to_it(program, currency):
    hrp = "bc" if currency == "BTC" else "ltc"
    address = segwit_encode(hrp, 0, program)
    validate_address(currency, address)
    assert segwit_decode(hrp, address) == (0, program)


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(max_size=120)
    | st.text(alphabet=BASE58_ALPHABET, max_size=40)
    | st.text(alphabet=BECH32_CHARSET, max_size=70).map("bc1".__add__),
    currency=st.sampled_from(["BTC", "LTC", "USD", "XYZ"]),
)
def test_whatever_a_person_types_the_answer_is_yes_or_a_sentence(text, currency):
    try:
        validate_address(currency, text)
    except InvalidAddress as refused:
        message = str(refused)
        assert message[:1].isupper()
        assert message.endswith(".")


def test_a_future_segwit_version_is_valid_but_not_safe_to_send_to():
    from cryptex_desktop.api.addresses import check_safe_to_send, segwit_encode

    future = segwit_encode("bc", 2, bytes(range(16)))  # BIP-350 valid, used by no wallet
    validate_address("BTC", future)
    with pytest.raises(InvalidAddress) as refused:
        check_safe_to_send("BTC", future)
    assert "could be lost" in str(refused.value) and "bc1q" in str(refused.value)
    for today in (segwit_encode("bc", 0, bytes(20)), segwit_encode("bc", 1, bytes(32)),
                  "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2", new_address("LTC")):
        check_safe_to_send("BTC" if not today.startswith("ltc") else "LTC", today)
