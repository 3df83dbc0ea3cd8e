"""Where and how the meeting was held, and how many came: the host city and venue a
sentence about the meeting names, in person or online, and the attendance the text
counts ("ruim 30 ambtenaren uit 12 steden").
"""

from __future__ import annotations

import re
from typing import Any

from ..i18n import _
from ..text import fold
from .dates import ABOUT_MEETING, DATE
from .findings import Findings
from .page import shorten
from .people import NOT_NAMES

_CITY = re.compile(
    r"\bin\s+((?:['’]s-)?[A-Z][\w’'-]+(?:\s+(?:aan\s+(?:de|den)|op|bij)\s+[A-Z][\w’'-]+"
    r"|\s+[A-Z][\w’'-]+)?)"
)
# "in City" after a noun with its article is where that thing was, not the meeting.
_IN_PASSING = re.compile(
    r"\b(?:de|het|een|die|deze|dit)\s+(?!deelnemers|aanwezigen|ambtenaren|plaats"
    r"|oov|bezoekers|professionals|netwerk|steden|gemeenten|dag\b|bijeenkomst|netwerkdag)"
    r"[a-zà-ÿ][\w-]*\s+$"
)
_NOT_PLACES = {"nederland", "europa", "de", "het", "een", "netwerk", "grote", "totaal"}


def read_city(statements: list[str], f: Findings) -> tuple[str | None, str | None]:
    """The host city and venue, where a sentence about the meeting names them."""
    found: list[tuple[str, str]] = []
    for s in statements:
        if not ABOUT_MEETING.search(s) and not DATE.search(s):
            continue
        for m in _CITY.finditer(s):
            city = m[1]
            if fold(city.split()[0]) in _NOT_PLACES or fold(city.split()[0]) in NOT_NAMES:
                continue
            if _IN_PASSING.search(s, max(0, m.start() - 60), m.start()):
                continue  # "de rellen in Rotterdam": a place the text mentions in passing
            found.append((city, s))
    if not found:
        return None, None
    city, sentence = found[0]
    f.remark("city", _('stated: "{text}"').format(text=shorten(sentence, 90)))
    others = sorted({c for c, _ in found if c != city})
    if others:
        f.decide(
            "city",
            _("the text also names {cities}; check where it was held").format(
                cities=", ".join(others)
            ),
        )
    venue = re.search(rf"\bin (?:de |het )?([A-Z][^,.;:]*?) in {re.escape(city)}\b", sentence)
    return city, venue[1] if venue else None


_NUMBER_WORDS = {
    word: value
    for value, word in enumerate(
        [
            "nul",
            "een",
            "twee",
            "drie",
            "vier",
            "vijf",
            "zes",
            "zeven",
            "acht",
            "negen",
            "tien",
            "elf",
            "twaalf",
            "dertien",
            "veertien",
            "vijftien",
            "zestien",
            "zeventien",
            "achttien",
            "negentien",
        ]
    )
} | {
    word: 10 * tens
    for tens, word in enumerate(
        [
            "twintig",
            "dertig",
            "veertig",
            "vijftig",
            "zestig",
            "zeventig",
            "tachtig",
            "negentig",
            "honderd",
        ],
        start=2,
    )
}
_NUMBER_WORDS["honderd"] = 100


def _number(word: str) -> int | None:
    if word.isdigit():
        return int(word)
    word = fold(word)
    if word in _NUMBER_WORDS:
        return _NUMBER_WORDS[word]
    compound = re.fullmatch(r"(\w+?)en(\w+)", word)
    if compound and compound[1] in _NUMBER_WORDS and compound[2] in _NUMBER_WORDS:
        unit, tens = _NUMBER_WORDS[compound[1]], _NUMBER_WORDS[compound[2]]
        if unit < 10 and tens % 10 == 0:
            return unit + tens
    return None


_PARTICIPANTS = re.compile(
    # Every part starts at a word's start: tried inside a long word, the count would
    # match each of its tails and fail each, which takes time as the square of its length.
    r"(?:\b(?P<approx>ruim|rond de|rond|circa|ca\.|ongeveer|zo['’]n|bijna|meer dan)\s+)?"
    r"\b(?P<count>\d+|[^\W\d_]+)\s+"
    r"(?:deelnemers|ambtenaren|veiligheidscoördinatoren|aanwezigen|bezoekers|oov['’]ers"
    r"|professionals|vertegenwoordigers)"
    r"(?:\s+uit\s+(?P<cities>\d+|[^\W\d_]+)\s+(?:verschillende\s+)?(?:steden|gemeenten))?",
    re.IGNORECASE,
)


def read_participants(statements: list[str], f: Findings) -> dict[str, Any] | None:
    """The attendance, as the first count of participants in the text states it."""
    for s in statements:
        for m in _PARTICIPANTS.finditer(s):
            count = _number(m["count"])
            if not count:
                continue
            cities = _number(m["cities"]) if m["cities"] else None
            text = m.group(0)
            f.remark(
                "participants",
                _('read from "{text}": check the count, "approximate" and the text').format(
                    text=text
                ),
            )
            return {
                "count": count,
                "approximate": m["approx"] is not None,
                "cities": cities or None,
                "text": text,
            }
    return None


# The meeting itself online: "kwamen ... online bijeen", "vond online plaats".
_ONLINE_WORD = re.compile(
    r"\bonline\s+bijeen|\b(?:vond|werd|was)\s+(?:\w+\s+){0,4}?online\s+(?:plaats|gehouden)\b"
    r"|\b(?:bijeenkomst|netwerkdag|vergadering)\s+(?:was|werd|vond)\s+online\b",
    re.IGNORECASE,
)
_ONLINE = re.compile(
    r"\bonline\s+(?:deelsessie|sessie|bijeenkomst|netwerkdag|vergadering|meeting)"
    r"|\bvia\s+(?:teams|zoom|webex)\b|\bdigitale\s+(?:bijeenkomst|netwerkdag)",
    re.IGNORECASE,
)


def read_format(texts: list[str], city_stated: bool, f: Findings) -> str | None:
    """Online where the text says so, in person where it names a place or says "fysiek"."""
    hit = next((t for t in texts if _ONLINE.search(t)), None)
    if hit is None:  # "kwamen ... online bijeen": online, in a sentence about the meeting
        hit = next((t for t in texts if _ONLINE_WORD.search(t)), None)
    if hit is None:
        hit = next((t for t in texts if re.search(r"\bfysieke\s+bijeenkomst", t)), None)
        if hit is not None or city_stated:
            why = f'"{shorten(hit, 80)}"' if hit else _("the text names where it was held")
            f.remark("format", _("guessed: {why}").format(why=why))
            if hit is None:  # a place named is no word on how it was held
                f.decide("format", _("in person guessed from the place the text names"))
            return "in_person"
        f.decide("format", _("the text does not say whether it was in person or online"))
        return None
    f.remark("format", _('guessed: "{text}"').format(text=shorten(hit, 80)))
    return "online"
