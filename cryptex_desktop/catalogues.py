"""The translation catalogues: extract the marked strings, merge them in, compile, check.

    python -m cryptex_desktop.catalogues extract   # cryptex.pot and every .po, from the code
    python -m cryptex_desktop.catalogues compile   # every .po into its .mo
    python -m cryptex_desktop.catalogues check     # what is missing, unused or wrong (exit 1)

(``make catalogues`` runs the first two, ``make test`` the third through
``tests/test_catalogues.py``.) Strings are found by reading the code, not running it: a
literal passed to ``_``, ``N_``, ``_p`` or ``_n`` is a string to translate. ``_(f"...")`` is an
error, since no catalogue can hold it. The files are GNU gettext's, so any translator's tool
(Poedit, Lokalize) opens them; this module writes them itself, so no gettext tools need
installing. The sandbox is not extracted: it is the exchange, whose words are its own.
"""

from __future__ import annotations

import ast
import re
import struct
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from cryptex_desktop.i18n import DOMAIN, LANGUAGES, LOCALE_DIR, SOURCE_LANGUAGE, format_fields

PACKAGE = Path(__file__).resolve().parent
#: The template every catalogue is merged from.
TEMPLATE = LOCALE_DIR / f"{DOMAIN}.pot"
#: Code whose words are not the app's (the exchange speaks for itself).
NOT_EXTRACTED = ("sandbox",)

#: Each language's plural rule, in gettext's C syntax (the header every .po carries).
PLURAL_FORMS = {
    "ru": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
          "(n%100<10 || n%100>=20) ? 1 : 2);",
    "zh_CN": "nplurals=1; plural=0;",
}


@dataclass
class Message:
    """One string to translate, where the code uses it, and (in a .po) its translation."""

    msgid: str
    plural: str | None = None
    places: list[str] = field(default_factory=list)
    translations: list[str] = field(default_factory=list)
    fuzzy: bool = False
    #: What tells two meanings of one English text apart (``_p``'s first argument).
    context: str | None = None

    @property
    def key(self) -> tuple[str | None, str, str | None]:
        return self.context, self.msgid, self.plural

    @property
    def translated(self) -> bool:
        return bool(self.translations) and all(self.translations) and not self.fuzzy


class ExtractionError(Exception):
    """A marked call no catalogue can hold (an f-string, a computed text)."""


# -- extract -------------------------------------------------------------------------------

def source_files(root: Path = PACKAGE) -> list[Path]:
    """The package's Python files whose words are the app's, in a stable order."""
    return sorted(path for path in root.rglob("*.py")
                  if not set(path.relative_to(root).parts[:-1]) & set(NOT_EXTRACTED))


def extract(files: Iterable[Path] | None = None, root: Path = PACKAGE) -> list[Message]:
    """Every marked string in ``files``, in the order the code first uses them."""
    found: dict[tuple[str | None, str, str | None], Message] = {}
    problems: list[str] = []
    for path in files if files is not None else source_files(root):
        where = path.relative_to(root.parent).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            name, args = node.func.id, node.args
            place = f"{where}:{node.lineno}"
            if name in ("_", "N_") and len(args) == 1:
                texts = [args[0]]
            elif name in ("_n", "_p") and len(args) == (3 if name == "_n" else 2):
                texts = args[:2]
            else:
                continue
            if any(isinstance(text, ast.JoinedStr) for text in texts):
                problems.append(f"{place}: {name}() of an f-string; use _(\"... {{name}}\")"
                                ".format(name=...)")
                continue
            if not all(isinstance(t, ast.Constant) and isinstance(t.value, str) for t in texts):
                continue  # _(TITLE): a name marked with N_ where it was defined
            values = [text.value for text in texts]  # type: ignore[attr-defined]
            context = values.pop(0) if name == "_p" else None
            msgid, plural = values[0], (values[1] if name == "_n" else None)
            message = found.setdefault((context, msgid, plural),
                                       Message(msgid, plural, context=context))
            message.places.append(place)
    if problems:
        raise ExtractionError("\n".join(problems))
    return sorted(found.values(), key=lambda m: _place_order(m.places[0]))


def _place_order(place: str) -> tuple[str, int]:
    path, line = place.rsplit(":", 1)
    return path, int(line)


# -- .po files -----------------------------------------------------------------------------

def _quote(text: str) -> str:
    escaped = (text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t")
               .replace("\n", "\\n"))
    return f'"{escaped}"'


def _po_string(keyword: str, text: str) -> list[str]:
    """``msgid "..."``, split after each newline as gettext's tools write long strings."""
    if "\n" not in text[:-1]:
        return [f"{keyword} {_quote(text)}"]
    pieces = text.splitlines(keepends=True)
    return [f'{keyword} ""'] + [_quote(piece) for piece in pieces]


def header(language: str | None) -> str:
    """The catalogue's header entry (no dates: a catalogue changes only when its words do)."""
    lines = ["Project-Id-Version: Cryptex Desktop", "MIME-Version: 1.0",
             "Content-Type: text/plain; charset=UTF-8", "Content-Transfer-Encoding: 8bit"]
    if language is not None:
        lines[1:1] = [f"Language: {language}"]
        lines.append(f"Plural-Forms: {PLURAL_FORMS[language]}")
    return "".join(line + "\n" for line in lines)


def nplurals(language: str | None) -> int:
    """How many plural forms a language's catalogue holds (2 in the template, as English)."""
    if language is None:
        return 2
    return int(re.search(r"nplurals=(\d+)", PLURAL_FORMS[language]).group(1))  # type: ignore[union-attr]


def write_po(path: Path, messages: list[Message], language: str | None) -> None:
    """Write a catalogue (``language`` None: the template, with empty translations)."""
    out = [f"# Cryptex Desktop: {LANGUAGES[language] if language else 'template'}.",
           "# Written by `make catalogues`; translate the msgstr lines.", 'msgid ""']
    out += _po_string("msgstr", header(language))
    for message in messages:
        out.append("")
        out += [f"#: {place}" for place in message.places]
        flags = (["fuzzy"] if message.fuzzy else []) + (
            ["python-brace-format"] if format_fields(message.msgid) else [])
        if flags:
            out.append("#, " + ", ".join(flags))
        if message.context is not None:
            out += _po_string("msgctxt", message.context)
        out += _po_string("msgid", message.msgid)
        translations = message.translations if language else []
        if message.plural is None:
            out += _po_string("msgstr", translations[0] if translations else "")
        else:
            out += _po_string("msgid_plural", message.plural)
            for index in range(nplurals(language)):
                text = translations[index] if index < len(translations) else ""
                out += _po_string(f"msgstr[{index}]", text)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


_PO_LINE = re.compile(r'^(msgctxt|msgid|msgid_plural|msgstr|msgstr\[(\d+)\])\s+(".*")\s*$')


def _unquote(quoted: str) -> str:
    body = quoted[1:-1]
    return re.sub(r'\\(.)', lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), body)


def read_po(path: Path) -> list[Message]:
    """The entries of a .po file (the header entry left out), in the file's order."""
    messages: list[Message] = []
    current: Message | None = None
    target: tuple[str, int] | None = None
    places: list[str] = []
    fuzzy = False
    context: str | None = None

    def finish() -> None:
        nonlocal current
        if current is not None and current.msgid:
            messages.append(current)
        current = None

    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line:
            continue
        if line.startswith("#"):
            if current is not None and target and target[0] == "msgstr":
                finish()
            if line.startswith("#:"):
                places += line[2:].split()
            elif line.startswith("#,") and "fuzzy" in line:
                fuzzy = True
            continue
        if line.startswith('"'):
            if target is not None and target[0] == "msgctxt":
                context = (context or "") + _unquote(line)
                continue
            if current is None or target is None:
                raise ValueError(f"{path}:{number}: a string outside an entry")
            _append(current, target, _unquote(line))
            continue
        match = _PO_LINE.match(line)
        if match is None:
            raise ValueError(f"{path}:{number}: cannot read {line!r}")
        keyword, index, quoted = match.group(1), match.group(2), _unquote(match.group(3))
        if keyword == "msgctxt":
            finish()
            context, target = quoted, ("msgctxt", 0)
        elif keyword == "msgid":
            if target is None or target[0] != "msgctxt":
                finish()
                context = None
            current = Message(quoted, places=places, fuzzy=fuzzy, context=context)
            places, fuzzy, context = [], False, None
            target = ("msgid", 0)
        elif current is None:
            raise ValueError(f"{path}:{number}: {keyword} before msgid")
        elif keyword == "msgid_plural":
            current.plural = quoted
            target = ("msgid_plural", 0)
        else:
            slot = int(index) if index is not None else 0
            while len(current.translations) <= slot:
                current.translations.append("")
            current.translations[slot] = quoted
            target = ("msgstr", slot)
    finish()
    return messages


def _append(message: Message, target: tuple[str, int], text: str) -> None:
    kind, slot = target
    if kind == "msgid":
        message.msgid += text
    elif kind == "msgid_plural":
        message.plural = (message.plural or "") + text
    else:
        message.translations[slot] += text


def catalogue_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def translated_languages() -> list[str]:
    return [code for code in LANGUAGES if code != SOURCE_LANGUAGE]


def merge(messages: list[Message], existing: list[Message]) -> list[Message]:
    """The template's messages, each with its translation from ``existing`` where it had one."""
    known = {message.key: message for message in existing}
    merged = []
    for message in messages:
        old = known.get(message.key)
        merged.append(Message(message.msgid, message.plural, list(message.places),
                              list(old.translations) if old else [],
                              old.fuzzy if old else False, message.context))
    return merged


# -- .mo files -----------------------------------------------------------------------------

def compile_messages(messages: list[Message], language: str) -> bytes:
    """GNU .mo bytes for the translated messages (untranslated ones stay out: English shows)."""
    entries: dict[bytes, bytes] = {b"": header(language).encode()}
    for message in messages:
        if not message.translated:
            continue
        msgid = message.msgid.encode()
        if message.context is not None:  # gettext's way: the context, EOT, the text
            msgid = message.context.encode() + b"\x04" + msgid
        if message.plural is None:
            entries[msgid] = message.translations[0].encode()
        else:
            key = msgid + b"\0" + message.plural.encode()
            entries[key] = b"\0".join(text.encode() for text in message.translations)
    keys = sorted(entries)
    table_start = 7 * 4
    strings_start = table_start + 2 * 8 * len(keys)
    ids = b"".join(key + b"\0" for key in keys)
    strs = b"".join(entries[key] + b"\0" for key in keys)
    id_table, str_table = [], []
    offset = strings_start
    for key in keys:
        id_table += [len(key), offset]
        offset += len(key) + 1
    for key in keys:
        str_table += [len(entries[key]), offset]
        offset += len(entries[key]) + 1
    head = struct.pack("<7I", 0x950412DE, 0, len(keys), table_start,
                       table_start + 8 * len(keys), 0, 0)
    return (head + struct.pack(f"<{len(id_table)}I", *id_table)
            + struct.pack(f"<{len(str_table)}I", *str_table) + ids + strs)


def compiled_path(language: str) -> Path:
    return catalogue_path(language).with_suffix(".mo")


# -- check ---------------------------------------------------------------------------------

def problems(language: str, messages: list[Message], catalogue: list[Message]) -> list[str]:
    """What is wrong with one language's catalogue against the code's ``messages``."""
    found: list[str] = []
    wanted = {message.key for message in messages}
    have = {message.key: message for message in catalogue}
    for message in messages:
        entry = have.get(message.key)
        if entry is None:
            found.append(f"{language}: not in the catalogue: {message.msgid!r} "
                         f"({message.places[0]}); run `make catalogues`")
        elif not entry.translated:
            found.append(f"{language}: not translated: {message.msgid!r} ({message.places[0]})")
    for key, entry in have.items():
        if key not in wanted:
            found.append(f"{language}: no longer used: {entry.msgid!r}; run `make catalogues`")
            continue
        if len(entry.translations) not in (0, nplurals(language) if entry.plural else 1):
            found.append(f"{language}: {entry.msgid!r} has {len(entry.translations)} forms, "
                         f"the language has {nplurals(language)}")
        for text in entry.translations:
            if text and format_fields(text) != format_fields(entry.msgid):
                found.append(f"{language}: {entry.msgid!r} -> {text!r} changes the "
                             f"{{fields}} ({sorted(format_fields(entry.msgid))})")
    return found


def main(argv: list[str] | None = None) -> int:
    command = (argv if argv is not None else sys.argv[1:] or ["check"])[0]
    if command == "extract":
        messages = extract()
        write_po(TEMPLATE, messages, None)
        for language in translated_languages():
            path = catalogue_path(language)
            existing = read_po(path) if path.exists() else []
            write_po(path, merge(messages, existing), language)
        print(f"{len(messages)} strings into {TEMPLATE.relative_to(PACKAGE.parent)} and "
              f"{len(translated_languages())} catalogues")
        return 0
    if command == "compile":
        for language in translated_languages():
            catalogue = read_po(catalogue_path(language))
            compiled_path(language).write_bytes(compile_messages(catalogue, language))
            done = sum(message.translated for message in catalogue)
            print(f"{language}: {done} of {len(catalogue)} strings translated")
        return 0
    if command == "check":
        messages = extract()
        found = []
        for language in translated_languages():
            path = catalogue_path(language)
            catalogue = read_po(path) if path.exists() else []
            found += problems(language, messages, catalogue)
            if compiled_path(language).exists() and compiled_path(language).read_bytes() != \
                    compile_messages(catalogue, language):
                found.append(f"{language}: the .mo is older than the .po: run `make catalogues`")
        print("\n".join(found) or "every catalogue is complete")
        return 1 if found else 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main())
