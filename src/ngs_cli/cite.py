"""References to a verslag in APA, BibTeX or CSL-JSON, from what the data says and no more.

The publisher and source page come from the collection's metadata; title, place and
date from the meeting. A date keeps its precision (a year stays a year, a season is a
season), an inferred year is marked as supplied ("[2016]" in APA, ``circa`` in CSL, a
note in BibTeX), and a field the data does not have is left out, never guessed.
"""

from __future__ import annotations

import datetime as _dt
import json
from typing import TYPE_CHECKING, Any

from .calendar import MONTHS_EN as _MONTHS
from .calendar import MONTHS_NL as _MONTHS_NL
from .calendar import SEASONS, SEASONS_NL
from .errors import BadValue
from .i18n import N_
from .text import printable

if TYPE_CHECKING:
    from .model import Collection, MeetingRecord

STYLES = ("apa", "bibtex", "csl-json", "ris")
# APA in Dutch (APA 7, as Dutch universities' guides write it): the words a reference
# holds, by language.
LANGUAGES = ("en", "nl")


def parse_accessed(value: str) -> _dt.date:
    """An --accessed date (YYYY-MM-DD, or 'today', in Dutch 'vandaag'), not after today;
    BadValue otherwise."""
    today = _dt.date.today()
    if value.strip().lower() in ("today", "vandaag"):
        return today
    try:
        day = _dt.date.fromisoformat(value.strip())
    except ValueError:
        raise BadValue(
            N_("{value} is not a date: use YYYY-MM-DD or 'today'"), value=repr(value)
        ) from None
    if day > today:
        raise BadValue(
            N_("{value} is after today: give the day you consulted the page"), value=repr(value)
        )
    return day


def cite(
    meeting: MeetingRecord,
    collection: Collection,
    style: str,
    accessed: _dt.date | None = None,
    language: str = "en",
) -> str:
    """The reference to one meeting's verslag in ``style`` (one of ``STYLES``); APA, and
    the note of BibTeX and RIS on a date the source does not state, in ``language``
    (``en`` or ``nl``); their fields, and CSL-JSON, are data and the same in both."""
    if style == "apa":
        return apa(meeting, collection, accessed, language)
    if style == "bibtex":
        return bibtex(meeting, collection, accessed, language)
    if style == "csl-json":
        return json.dumps(csl(meeting, collection, accessed), ensure_ascii=False, indent=2)
    if style == "ris":
        return ris(meeting, collection, accessed, language)
    raise BadValue(N_("unknown citation style {style}"), style=repr(style))


def _description(meeting: MeetingRecord) -> str:
    place = f", {' '.join(meeting['city'].split())}" if meeting["city"] else ""
    return f"Verslag netwerkdag Netwerk Grote Steden{place}"


def apa(
    meeting: MeetingRecord,
    collection: Collection,
    accessed: _dt.date | None = None,
    language: str = "en",
) -> str:
    """APA 7 style, the organisation as author: Publisher. (Date). Title [Verslag]. In
    Source; without a publisher the title comes first: Title [Verslag]. (Date). In
    Source. In Dutch (``language="nl"``): "(2023, 16 maart)", "z.d.", "Geraadpleegd op"."""
    if language not in LANGUAGES:
        raise BadValue(
            N_("no APA in {language}; use one of {languages}"),
            language=repr(language),
            languages=", ".join(LANGUAGES),
        )
    dutch = language == "nl"
    parts = []
    publisher = " ".join((collection.get("publisher") or "").split())
    # The title keeps its own punctuation ("Wat nu...", "Dr."): the description follows.
    title = f"{' '.join(meeting['title'].split())} [{_description(meeting)}]."
    date = f"({_apa_date(meeting, dutch)})."
    # Without an author the title takes the author's place (APA 7, 9.12).
    parts += [_end(publisher), date, title] if publisher else [title, date]
    if source := " ".join((collection.get("title") or "").split()):
        parts.append(f"In {_end(source)}")
    url = _url(meeting, collection)
    if url and accessed and dutch:
        day = f"{accessed.day} {_MONTHS_NL[accessed.month - 1]} {accessed.year}"
        parts.append(f"Geraadpleegd op {day}, van {url}")
    elif url and accessed:
        parts.append(f"Retrieved {_long_date(accessed)}, from {url}")
    elif url:
        parts.append(url)
    return " ".join(parts)


def _url(meeting: MeetingRecord, collection: Collection) -> str | None:
    """The meeting's own link (its verslag on the source page), else the page's."""
    return meeting.get("url") or collection.get("source_url")


def _end(text: str) -> str:
    return text if text.endswith((".", "?", "!")) else text + "."


def _apa_date(meeting: MeetingRecord, dutch: bool = False) -> str:
    year = meeting["year"]
    if year is None:
        return "z.d." if dutch else "n.d."
    shown = f"[{year}]" if meeting["date_inferred"] else str(year)
    date, end = meeting["date"], meeting["end_date"]
    if date and dutch:
        day = _dt.date.fromisoformat(date)
        text = f"{shown}, {day.day} {_MONTHS_NL[day.month - 1]}"
        if end and end != date:
            last = _dt.date.fromisoformat(end)
            if last.month == day.month:
                text = f"{shown}, {day.day}–{last.day} {_MONTHS_NL[day.month - 1]}"
            else:
                text += f" – {last.day} {_MONTHS_NL[last.month - 1]}"
        return text
    if date:
        day = _dt.date.fromisoformat(date)
        text = f"{shown}, {_MONTHS[day.month - 1]} {day.day}"
        if end and end != date:
            last = _dt.date.fromisoformat(end)
            same_month = last.month == day.month
            text += f"–{last.day}" if same_month else f" – {_MONTHS[last.month - 1]} {last.day}"
        return text
    if meeting["date_precision"] == "season" and meeting["season"]:
        season = meeting["season"]
        # A season is a common noun in Dutch, lower case; APA in English capitalises it.
        return f"{shown}, {SEASONS_NL[season] if dutch else season.capitalize()}"
    return shown


def _long_date(day: _dt.date) -> str:
    return f"{_MONTHS[day.month - 1]} {day.day}, {day.year}"


# Each character that TeX or BibTeX reads as markup, written once as the text command
# that prints it. Braces become commands too: BibTeX counts every brace, escaped or not,
# so a lone ``\{`` in a title would end or break the entry.
_BIBTEX_SPECIAL = {c: "\\" + c for c in "&%$#_"} | {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


# Pairs that TeX's fonts set as one sign ('' as ”, -- as –, ?` as ¿, << as « in T1): an
# empty group between the two keeps both characters as the data has them.
_LIGATURES = frozenset({"''", "``", "--", ",,", "<<", ">>", "?`", "!`"})


def _bib(text: str) -> str:
    """Text for a BibTeX field: on one line, a control or bidi character made visible as
    everywhere (``\\u202e``), then every special character escaped, the backslash of
    such an escape too: no data becomes a TeX command."""
    out: list[str] = []
    before = ""
    for c in printable(" ".join(text.split())):
        if before + c in _LIGATURES:
            out.append("{}")
        out.append(_BIBTEX_SPECIAL.get(c, c))
        before = c
    return "".join(out)


def _bib_url(url: str) -> str:
    """An address for BibTeX and LaTeX's \\url: the characters that would end the field
    or escape its end (braces, a backslash) and white space percent-encoded, as a browser
    sends them."""
    safe = {"{": "%7B", "}": "%7D", "\\": "%5C", " ": "%20"}
    return "".join(safe.get(c, c) for c in printable(" ".join(url.split())))


def _braced(text: str) -> str:
    return "{" + text + "}"


def ris(
    meeting: MeetingRecord,
    collection: Collection,
    accessed: _dt.date | None = None,
    language: str = "en",
) -> str:
    """A RIS record (what Zotero, EndNote and Mendeley import): a report (``RPRT``) with
    its title, the publisher as author and publisher, the date as far as it is known,
    the city as place, the language, the link, and the collection as its series."""
    fields: list[tuple[str, str]] = [("TY", "RPRT"), ("TI", meeting["title"])]
    publisher, url = collection.get("publisher"), _url(meeting, collection)
    if publisher:
        fields.append(("AU", publisher))
    if meeting["year"] is not None:
        fields.append(("PY", str(meeting["year"])))
        if meeting["date"]:
            fields.append(("DA", meeting["date"].replace("-", "/")))
    if meeting["city"]:
        fields.append(("CY", meeting["city"]))
    if publisher:
        fields.append(("PB", publisher))
    if collection.get("title"):
        fields.append(("T3", collection["title"]))
    fields.append(("M3", _description(meeting)))
    fields.append(("LA", "nl"))
    if url:
        fields.append(("UR", url))
    if accessed:
        fields.append(("Y2", accessed.strftime("%Y/%m/%d")))
    fields += [("N1", note) for note in _notes(meeting, language)]
    fields.append(("ID", meeting["id"]))
    # One line a field: a line break in a value would start a field of its own.
    lines = [f"{tag}  - {printable(' '.join(value.split()))}" for tag, value in fields]
    return "\n".join([*lines, "ER  - "])


def _notes(meeting: MeetingRecord, language: str) -> list[str]:
    """What a reference says of a date the source does not state, in ``language``."""
    dutch = language == "nl"
    notes = []
    if meeting["date_inferred"] and meeting["year"] is not None:
        notes.append(
            "Jaar afgeleid, niet vermeld in de bron"
            if dutch
            else "Year inferred, not stated in the source"
        )
    if meeting["year"] is None:
        notes.append("Jaar onbekend" if dutch else "Year unknown")
    season = meeting["season"]
    if meeting["date_precision"] == "season" and season:
        notes.append(
            f"Gehouden in het {SEASONS_NL.get(season, season)} van {meeting['year']}"
            if dutch
            else f"Held in the {season} of {meeting['year']}"
        )
    return notes


def bibtex(
    meeting: MeetingRecord,
    collection: Collection,
    accessed: _dt.date | None = None,
    language: str = "en",
) -> str:
    """A ``@misc`` entry (biblatex reads it too); the key is the meeting's id."""
    fields: list[tuple[str, str]] = []
    publisher, url = collection.get("publisher"), _url(meeting, collection)
    if publisher:
        # Double braces: an organisation, not a person's name to split.
        fields.append(("author", _braced(_braced(_bib(publisher)))))
    fields.append(("title", _braced(_braced(_bib(meeting["title"])))))
    fields.append(("howpublished", _braced(_bib(_description(meeting)))))
    if collection.get("title"):
        fields.append(("series", _braced(_bib(collection["title"]))))
    if meeting["year"] is not None:
        fields.append(("year", _braced(str(meeting["year"]))))
        if meeting["date"]:
            # The month macro, unquoted: BibTeX's styles print it in their own language,
            # and biblatex reads it as a number.
            month = int(meeting["date"][5:7])
            fields.append(("month", _MONTHS[month - 1][:3].lower()))
            end = f"/{meeting['end_date']}" if meeting["end_date"] else ""
            fields.append(("date", _braced(meeting["date"] + end)))
    if meeting["city"]:
        fields.append(("address", _braced(_bib(meeting["city"]))))
    if publisher:
        fields.append(("publisher", _braced(_bib(publisher))))
    if url:
        fields.append(("url", _braced(_bib_url(url))))
    if accessed:
        fields.append(("urldate", _braced(accessed.isoformat())))
    notes = _notes(meeting, language)
    if notes:
        fields.append(("note", _braced(_bib("; ".join(notes)))))
    fields.append(("language", _braced("dutch")))  # the verslag's, as babel and biblatex name it
    body = ",\n".join(f"  {name} = {value}" for name, value in fields)
    return f"@misc{{{meeting['id']},\n{body}\n}}"


def csl(
    meeting: MeetingRecord, collection: Collection, accessed: _dt.date | None = None
) -> dict[str, Any]:
    """One CSL-JSON item (Zotero, Pandoc's citeproc), of type ``report``."""
    item: dict[str, Any] = {"id": meeting["id"], "type": "report", "title": meeting["title"]}
    item["genre"] = _description(meeting)
    if collection.get("publisher"):
        item["author"] = [{"literal": collection["publisher"]}]
        item["publisher"] = collection["publisher"]
    if collection.get("title"):
        item["collection-title"] = collection["title"]
    if meeting["city"]:
        item["event-place"] = meeting["city"]
    issued = _csl_date(meeting)
    if issued:
        item["issued"] = issued
    url = _url(meeting, collection)
    if url:
        item["URL"] = url
    if accessed:
        item["accessed"] = {"date-parts": [[accessed.year, accessed.month, accessed.day]]}
    item["language"] = "nl"  # the verslag's
    return item


def coins(meeting: MeetingRecord, collection: Collection) -> str:
    """The reference as COinS (an OpenURL ContextObject, Z39.88-2004, in KEV form): what
    a ``<span class="Z3988" title="...">`` holds for Zotero's connector to find on a
    page. A report, with the fields CSL-JSON has."""
    from urllib.parse import urlencode

    pairs = [
        ("ctx_ver", "Z39.88-2004"),
        ("rft_val_fmt", "info:ofi/fmt:kev:mtx:book"),
        ("rft.genre", "report"),
        ("rft.btitle", meeting["title"]),
    ]
    publisher, url = collection.get("publisher"), _url(meeting, collection)
    if publisher:
        pairs += [("rft.aucorp", publisher), ("rft.pub", publisher)]
    if meeting["year"] is not None:
        pairs.append(("rft.date", meeting["date"] or str(meeting["year"])))
    if meeting["city"]:
        pairs.append(("rft.place", meeting["city"]))
    if collection.get("title"):
        pairs.append(("rft.series", collection["title"]))
    pairs.append(("rft.language", "nl"))
    if url:
        pairs.append(("rft_id", url))
    return urlencode(pairs)


def _csl_date(meeting: MeetingRecord) -> dict[str, Any] | None:
    if meeting["year"] is None:
        return None
    date: dict[str, Any]
    if meeting["date"]:
        first = [int(p) for p in meeting["date"].split("-")]
        parts = [first]
        if meeting["end_date"] and meeting["end_date"] != meeting["date"]:
            parts.append([int(p) for p in meeting["end_date"].split("-")])
        date = {"date-parts": parts}
    else:
        date = {"date-parts": [[meeting["year"]]]}
        if meeting["date_precision"] == "season" and meeting["season"]:
            date["season"] = SEASONS.index(meeting["season"]) + 1
    if meeting["date_inferred"]:
        date["circa"] = True
    return date
