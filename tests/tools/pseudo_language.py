"""A pseudo-language: every string of the code in accented look-alikes, 40% longer.

Where the app shows a text in plain ASCII letters, the text never went through ``_()``; where
a pseudo text is cut short (its closing ``⟧`` is missing) or does not fit its widget, a longer
language would be cut there too. The pseudo catalogue is compiled under the code ``"ru"``, so
Russian plural rules, numbers and dates come with it.

    python -m tests.tools.pseudo_language "&Save {amount}…"   # prints ⟦&Sàvé {amount}… ·ẋẋ⟧
"""

from __future__ import annotations

import math
import re
import sys
from pathlib import Path

from cryptex_desktop import catalogues, i18n
from cryptex_desktop.catalogues import Message

#: The language the pseudo catalogue stands in for (its plural rules, numbers and dates).
PSEUDO_CODE = "ru"
#: How much longer each text is made: Russian runs about a third longer than English.
LENGTHEN = 0.4
#: The brackets around every pseudo text, so a cut-off one shows (no closing bracket).
OPEN, CLOSE = "⟦", "⟧"
#: What lengthens a text: repeated inside the brackets after a separator.
PAD_START, PAD_CHAR, PAD_WORD = " ·", "ẋ", 6

_LOWER = "àƀçðéƒĝĥîĵķļɱñöþǫŕšţûṽŵẋýž"
_UPPER = "ÅƁÇÐÉƑĜĤÎĴĶĻṀÑÖÞǪŔŠŢÛṼŴẊÝŽ"
ACCENTED = str.maketrans("abcdefghijklmnopqrstuvwxyz" + "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
                         _LOWER + _UPPER)

# What must stay as written: {fields}, a mnemonic (&S, &&), rich-text tags and entities, URLs.
_KEPT = re.compile(
    r"\{[^{}]*\}"              # a format field, with its spec
    r"|&#?\w+;"                # an HTML entity (before mnemonics: "&nbsp;" is not Alt+N)
    r"|&&|&[A-Za-z]"           # a mnemonic (its letter keeps Alt+letter working) or a real &
    r"|<[^<>]+>"               # a rich-text tag
    r"|https?://\S+"           # a link
)


def accent(text: str) -> str:
    """``text`` with every ASCII letter swapped for a look-alike, except where it must stay."""
    out, last = [], 0
    for match in _KEPT.finditer(text):
        out.append(text[last:match.start()].translate(ACCENTED))
        out.append(match.group())
        last = match.end()
    out.append(text[last:].translate(ACCENTED))
    return "".join(out)


def visible_length(text: str) -> int:
    """How many characters ``text`` shows: a tag none, a field, entity or mnemonic one."""
    return len(_KEPT.sub(lambda m: "" if m.group().startswith("<") else "x", text))


def pseudo(text: str) -> str:
    """``text`` accented and lengthened by :data:`LENGTHEN`, between ``⟦`` and ``⟧``.

    Spaces and newlines around the text stay outside the brackets (a suffix such as
    ``" seconds"`` keeps its space), and an empty text stays empty.
    """
    core = text.strip()
    if not core:
        return text
    start = text.index(core)
    lead, trail = text[:start], text[start + len(core):]
    pad = max(1, math.ceil(visible_length(core) * LENGTHEN) - len(PAD_START) - 2)
    # In words of at most PAD_WORD letters: a real language has no 80-letter word to wrap.
    words = [PAD_CHAR * min(PAD_WORD, pad - start) for start in range(0, pad, PAD_WORD + 1)]
    return f"{lead}{OPEN}{accent(core)}{PAD_START}{' '.join(words)}{CLOSE}{trail}"


def pseudo_messages(messages: list[Message] | None = None) -> list[Message]:
    """The code's strings (``catalogues.extract()``), each translated into the pseudo-language."""
    found = catalogues.extract() if messages is None else messages
    plurals = catalogues.nplurals(PSEUDO_CODE)
    made = []
    for message in found:
        if message.plural is None:
            translations = [pseudo(message.msgid)]
        else:  # one form, the singular's, the rest the plural's, as Russian picks them
            translations = [pseudo(message.msgid)] + [pseudo(message.plural)] * (plurals - 1)
        made.append(Message(message.msgid, message.plural, list(message.places), translations,
                            context=message.context))
    return made


def write_pseudo_catalogue(folder: Path) -> Path:
    """Compile the pseudo catalogue into ``folder`` as the :data:`PSEUDO_CODE` catalogue.

    Point ``i18n.LOCALE_DIR`` at ``folder`` to use it. Returns the ``.mo`` file written.
    """
    path = folder / PSEUDO_CODE / "LC_MESSAGES" / f"{i18n.DOMAIN}.mo"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(catalogues.compile_messages(pseudo_messages(), PSEUDO_CODE))
    return path


if __name__ == "__main__":
    for argument in sys.argv[1:]:
        print(pseudo(argument))
