"""The record as a person or a script sees it: the summary fields of ``list`` and
``export``, the date in words, and the facts at the head of a verslag. What every
format and terminal view shows of a meeting comes from here."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

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


def summary(meeting: MeetingRecord) -> dict[str, Any]:
    """The fields of a meeting that ``list --format json`` and ``export`` promise."""
    fields: Mapping[str, Any] = meeting
    row = {k: fields[k] for k in SUMMARY_FIELDS}
    row["participants"] = meeting["participants"]["count"] if meeting["participants"] else None
    row["people"] = meeting["speakers"]
    row["files_announced"] = meeting["files_announced"]
    return row


def when(meeting: Mapping[str, Any]) -> str:
    """The meeting's date as far as it is known, e.g. '2015-11-19/20', 'autumn 2013'."""
    date, end = meeting["date"], meeting["end_date"]
    if date:
        if end and end != date:
            text = f"{date}/{end[8:]}" if end[:7] == date[:7] else f"{date}/{end}"
        else:
            text = date
    elif meeting["season"] and meeting["year"]:
        text = f"{meeting['season']} {meeting['year']}"
    elif meeting["year"]:
        text = str(meeting["year"])
    else:
        text = "unknown"
    return text


def when_long(meeting: Mapping[str, Any]) -> str:
    """``when`` with what was inferred said out loud."""
    text = when(meeting)
    if meeting["date_inferred"]:
        text += " (year inferred)" if meeting["year"] else " (see date note)"
    return text


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


CSV_COLUMNS = (*SUMMARY_FIELDS, "participants", "people", "files_announced")


def person_line(p: Mapping[str, Any]) -> str:
    """A person as one line: name, role, organisation."""
    return ", ".join(filter(None, (p["name"], p["role"], p["organisation"])))


def meeting_facts(meeting: MeetingRecord, labels: Labels) -> list[tuple[str, str]]:
    """The head of ``show``: labelled facts about a meeting."""
    facts = [
        ("Date", when_long(meeting)),
        ("City", meeting["city"] or "unknown (not stated in the source)"),
    ]
    if meeting["venue"]:
        facts.append(("Venue", meeting["venue"]))
    if meeting["format"]:
        facts.append(("Format", meeting["format"].replace("_", " ")))
    facts.append(("Themes", "; ".join(meeting["themes"]) or "none stated"))
    names = [labels.get(t, t) for t in meeting["topics"]]
    facts.append(("Topics", ", ".join(names) or "none"))
    if meeting["participants"]:
        facts.append(("Participants", meeting["participants"]["text"]))
    if meeting["files_announced"]:
        facts.append(("Files", "the source page offered files to download"))
    facts.append(("Id", meeting["id"]))
    if meeting["date_note"]:
        facts.append(("Date note", meeting["date_note"]))
    return facts
