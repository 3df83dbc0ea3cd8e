"""The record as a person or a script sees it: the summary fields of ``list`` and
``export``, the date in words, and the facts at the head of a verslag. What every
format and terminal view shows of a meeting comes from here."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .calendar import in_words
from .i18n import language, speaking

if TYPE_CHECKING:
    from .model import MeetingRecord

Labels = Mapping[str, str]  # topic id -> label


SUMMARY_FIELDS = (
    "id",
    "date",
    "end_date",
    "year",
    "date_precision",
    "season",
    "date_inferred",
    "city",
    "venue",
    "format",
    "title",
    "themes",
    "topics",
)


# The record fields a summary is made from: all a list needs to read.
SUMMARY_SOURCES = (*SUMMARY_FIELDS, "participants", "speakers", "files_announced", "url")


def summary(meeting: MeetingRecord) -> dict[str, Any]:
    """The fields of a meeting that ``list --format json`` and ``export`` promise."""
    fields: Mapping[str, Any] = meeting
    row = {k: fields[k] for k in SUMMARY_FIELDS}
    row["participants"] = meeting["participants"]["count"] if meeting["participants"] else None
    row["people"] = meeting["speakers"]
    row["files_announced"] = meeting["files_announced"]
    row["url"] = meeting["url"]
    return row


def when_long(meeting: Mapping[str, Any], lang: str | None = None) -> str:
    """``calendar.in_words`` with what was inferred said out loud, in ``lang`` (None: the
    interface's)."""
    text = in_words(meeting, lang)
    if meeting["date_inferred"]:
        say = speaking(lang)
        text += " " + (say("(year inferred)") if meeting["year"] else say("(see date note)"))
    return text


def data_facts(
    data: Mapping[str, Any], digest: str | None, last_check: Mapping[str, Any] | None
) -> dict[str, Any]:
    """What ``ngs about`` tells of a dataset (a data file's validated mapping): where it
    comes from, the meetings per year and the years between the first and the last
    without one, what is unknown or inferred, and the versions; ``digest`` is the data
    file's SHA-256, ``last_check`` what the last ``ngs check`` of its page found (None
    where it was not this page)."""
    from . import __version__

    collection = data["collection"]
    meetings = data["meetings"]
    per_year: dict[int, int] = {}
    for m in meetings:
        if m.get("year") is not None:
            per_year[m["year"]] = per_year.get(m["year"], 0) + 1
    years = sorted(per_year)
    return {
        "title": collection["title"],
        "source_url": collection.get("source_url"),
        "publisher": collection.get("publisher"),
        "retrieved": collection.get("retrieved"),
        "last_check": dict(last_check) if last_check else None,
        "meetings": len(meetings),
        "per_year": {str(y): per_year[y] for y in years},
        "years_without": [y for y in range(years[0], years[-1] + 1) if y not in per_year]
        if years
        else [],
        "year_unknown": sum(1 for m in meetings if m.get("year") is None),
        "years_inferred": sum(
            1 for m in meetings if m.get("date_inferred") and m.get("year") is not None
        ),
        "cities_unknown": sum(1 for m in meetings if not m.get("city")),
        "schema_version": data["schema_version"],
        "data_sha256": digest,
        "ngs_version": __version__,
    }


def iso_or_year(meeting: Mapping[str, Any]) -> str:
    """The date for scripts: ISO when the day is known, else the year, else empty."""
    return meeting["date"] or (str(meeting["year"]) if meeting["year"] is not None else "")


def plain_cell(value: Any) -> str:
    """A value as one cell of plain text: lists joined with '; ', nothing for null."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "; ".join(plain_cell(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


CSV_COLUMNS = (*SUMMARY_FIELDS, "participants", "people", "files_announced", "url")


def in_language(meeting: Mapping[str, Any], field: str, lang: str | None = None) -> Any:
    """A curator's note in the reader's language (``lang``; None: the interface's): the
    dataset's own (Dutch), or its English sibling (``date_note_en``, ``notes_en``) for an
    English reader, when there is one."""
    if (lang or language()) == "en":
        english = meeting.get(f"{field}_en")
        if english:
            return english
    return meeting.get(field)


def person_line(p: Mapping[str, Any]) -> str:
    """A person as one line: name, role, organisation."""
    return ", ".join(filter(None, (p["name"], p["role"], p["organisation"])))


def own_programme(meeting: MeetingRecord) -> bool:
    """Whether the verslag has a programme section of its own ("Programma")."""
    from .text import fold, one_line

    return any(
        fold(one_line(section["heading"] or "")).startswith(("programma", "programme"))
        for section in meeting["sections"]
    )


def programme_shown(meeting: MeetingRecord) -> list[tuple[str, str]]:
    """The structured programme as every reader's format gives it after the people: each
    item's title and who spoke, by name only where the people above give the role. None
    when the verslag has a Programma section of its own, which says it once, in its words.
    """
    if not meeting["programme"] or own_programme(meeting):
        return []
    listed = {p["name"] for p in meeting["people"]}
    return [
        (
            item["title"],
            "; ".join(
                p["name"] if p["name"] in listed else person_line(p) for p in item["speakers"]
            ),
        )
        for item in meeting["programme"]
    ]


def meeting_facts(
    meeting: MeetingRecord, labels: Labels, lang: str | None = None
) -> list[tuple[str, str, str]]:
    """The facts at the head of a verslag, in ``lang`` (None: the interface's), as
    ``(field, label, value)``: the one list that ``show``, the text and Markdown exports
    and the HTML page each lay out (the page puts the date's note by the date)."""
    say = speaking(lang)
    city, note, url = meeting["city"], in_language(meeting, "date_note", lang), meeting.get("url")
    facts = [("date", say("Date"), when_long(meeting, lang))]
    facts.append(("city", say("City"), city or say("unknown (not stated in the source)")))
    if meeting["venue"]:
        facts.append(("venue", say("Venue"), meeting["venue"]))
    if meeting["format"]:
        kinds = {"in_person": say("in person"), "online": say("online")}
        facts.append(("format", say("Format"), kinds.get(meeting["format"], meeting["format"])))
    facts.append(("themes", say("Themes"), "; ".join(meeting["themes"]) or say("none stated")))
    names = ", ".join(labels.get(t, t) for t in meeting["topics"])
    facts.append(("topics", say("Topics"), names or say("none")))
    if meeting["participants"]:
        facts.append(("participants", say("Participants"), meeting["participants"]["text"]))
    if meeting["files_announced"]:
        offered = say("the source page offered files to download")
        facts.append(("files_announced", say("Files"), offered))
    facts.append(("id", say("Id"), meeting["id"]))
    if note:
        facts.append(("date_note", say("Date note"), note))
    if url:
        facts.append(("url", say("Link"), url))  # the verslag on the source page
    return facts
