"""Writers for every format but the terminal's: JSON, JSON Lines, CSV, tab-separated,
Markdown, plain text and SQLite. Each takes the stream (or file) it writes to.

Nothing here imports Rich: the one table the Markdown export needs is a few lines.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import IO, TYPE_CHECKING, Any

from .text import md_text, one_line, printable

if TYPE_CHECKING:
    from .model import Collection, MeetingRecord

Labels = Mapping[str, str]  # topic id -> label


# --- the record as scripts see it ---------------------------------------------------------

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


def write_json(
    stream: IO[str], value: Any, *, ascii_only: bool = False, indent: bool = False
) -> None:
    """JSON: ``indent`` for reading, else compact, with each item of a list on a line of
    its own (as sqlite-utils writes it). ``ascii_only`` for a stream whose encoding cannot
    hold every letter."""
    # Only the compact form has the C encoder (an indent makes json use its pure-Python
    # one, four times slower). A value is written in one piece, a list an item at a
    # time: json.dump writes each token apart, which costs more than the encoding.
    if isinstance(value, list):
        write_json_array(stream, value, ascii_only=ascii_only, indent=indent)
        return
    stream.write(json.dumps(value, ensure_ascii=ascii_only, indent=2 if indent else None) + "\n")


def write_json_array(
    stream: IO[str], items: Iterable[Any], *, ascii_only: bool = False, indent: bool = False
) -> None:
    """A JSON array written as it is read: ``[``, one compact item a line, ``]``; or, with
    ``indent``, the text ``json.dumps(items, indent=2)`` gives, an item at a time."""
    encoder = json.JSONEncoder(ensure_ascii=ascii_only, indent=2 if indent else None)
    stream.write("[")
    first = True
    for item in items:
        text = encoder.encode(item)
        if indent:  # one level in, as inside the array
            text = "  " + text.replace("\n", "\n  ")
        stream.write(("\n" if first else ",\n") + text)
        first = False
    stream.write("]\n" if first else "\n]\n")


def write_ndjson(stream: IO[str], records: Iterable[Any], *, ascii_only: bool = False) -> None:
    """JSON Lines: one compact object a line, each written as soon as it is made."""
    dumps = json.JSONEncoder(ensure_ascii=ascii_only, separators=(",", ":")).encode
    for record in records:
        stream.write(dumps(record) + "\n")


# --- tab-separated and CSV ------------------------------------------------------------------


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
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> str:
    """A value as a CSV cell. A list or mapping is JSON (``["a","b"]``), so that it reads
    back exactly whatever its items hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def neutralise_formula(cell: str) -> str:
    """OWASP's advice for CSV injection: a cell that could start a formula gets a quote."""
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def write_csv(
    stream: IO[str],
    records: Iterable[Mapping[str, Any]],
    columns: Sequence[str] = CSV_COLUMNS,
    *,
    excel: bool = False,
) -> None:
    """RFC 4180 CSV with a header, one row per record; lists as JSON arrays.

    ``excel``: a byte order mark, ';' as delimiter and formula-like cells neutralised, so
    that Excel opens the file as intended and runs nothing from it.
    """
    import csv

    cols = list(columns)
    if excel:
        stream.write("\ufeff")
    writer = csv.writer(
        stream,
        delimiter=";" if excel else ",",
        lineterminator="\r\n",
        quoting=csv.QUOTE_ALL if excel else csv.QUOTE_MINIMAL,
    )
    writer.writerow(cols)
    for record in records:
        cells = [csv_cell(record.get(c)) for c in cols]
        writer.writerow([neutralise_formula(c) for c in cells] if excel else cells)


# --- Markdown -----------------------------------------------------------------------


def md_anchor(meeting_id: str) -> str:
    return f'<a id="{meeting_id}"></a>'


def _md_items(items: list[Any], numbered: bool, indent: str = "") -> list[str]:
    lines = []
    for n, item in enumerate(items, 1):
        marker = f"{n}." if numbered else "-"
        text = item if isinstance(item, str) else item["text"]
        lines.append(f"{indent}{marker} {md_text(text)}")
        if not isinstance(item, str):
            pad = indent + " " * (len(marker) + 1)
            if item.get("bullets"):
                lines += _md_items(item["bullets"], False, pad)
            if item.get("numbered"):
                lines += _md_items(item["numbered"], True, pad)
    return lines


def _person(p: Mapping[str, Any]) -> str:
    return ", ".join(filter(None, (p["name"], p["role"], p["organisation"])))


def meeting_markdown(meeting: MeetingRecord, labels: Labels, level: int = 1) -> str:
    """One meeting's full verslag as Markdown; its title at heading ``level``."""
    h = "#" * level
    out = [f"{h} {md_text(meeting['title'])}", ""]
    out += [f"- **{k}:** {md_text(v)}" for k, v in meeting_facts(meeting, labels)]
    if meeting["programme"]:
        out += ["", f"{h}# Programme", ""]
        for item in meeting["programme"]:
            who = "; ".join(_person(p) for p in item["speakers"])
            out.append(f"- {md_text(item['title'])}" + (f" — {md_text(who)}" if who else ""))
    if meeting["people"]:
        out += ["", f"{h}# People", ""]
        out += [f"- {md_text(_person(p))}" for p in meeting["people"]]
    out += ["", f"{h}# Verslag"]
    for section in meeting["sections"]:
        if section["heading"]:
            out += ["", f"{h}{'#' * section['level']} {md_text(section['heading'])}"]
        block: Any
        for block in section["blocks"]:
            out.append("")
            if "paragraph" in block:
                out.append(md_text(block["paragraph"]))
            else:
                numbered = "numbered" in block
                out += _md_items(block["numbered"] if numbered else block["bullets"], numbered)
    if meeting["notes"]:
        out += ["", f"{h}# Notes", ""]
        out += [f"- {md_text(n)}" for n in meeting["notes"]]
    return "\n".join(out) + "\n"


def markdown_table(headers: list[str], rows: list[list[str]]) -> str:
    """A GitHub-style pipe table, columns padded; cells must already be ``md_text``."""
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(headers)]

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths)) + " |\n"

    return (
        line(headers)
        + "|"
        + "|".join("-" * (w + 2) for w in widths)
        + "|\n"
        + "".join(line(r) for r in rows)
    )


_SAFE_URL = r"https?://[^\s<>\\`\x00-\x1f\x7f]+"  # compiled on first use


def md_link(url: str) -> str:
    """A printable http(s) address as an autolink; anything else as escaped text."""
    return f"<{url}>" if url.isprintable() and re.fullmatch(_SAFE_URL, url) else md_text(url)


def write_markdown(
    stream: IO[str],
    collection: Collection,
    meetings: Sequence[MeetingRecord],
    full: Iterable[MeetingRecord],
    labels: Labels,
) -> None:
    """One document: title, introduction, a table of contents and every full verslag.

    ``meetings`` are the records for the contents; ``full`` yields the same meetings with
    their sections, one at a time.
    """
    stream.write(f"# {md_text(collection['title'])}\n\n")
    for para in collection["introduction"]:
        stream.write(md_text(para) + "\n\n")
    if collection["source_url"]:
        by = f" ({md_text(collection['publisher'])})" if collection["publisher"] else ""
        stream.write(f"Source: {md_link(collection['source_url'])}{by}\n\n")
    elif collection["publisher"]:
        stream.write(f"Source: {md_text(collection['publisher'])}\n\n")
    stream.write("## Contents\n\n")
    rows = [
        [md_text(when(m)), md_text(m["city"] or "unknown"), f"[{md_text(m['title'])}](#{m['id']})"]
        for m in meetings
    ]
    stream.write(markdown_table(["Date", "City", "Meeting"], rows))
    for m in full:
        stream.write(f"\n{md_anchor(m['id'])}\n\n")
        stream.write(meeting_markdown(m, labels, level=2))


# --- plain text, for a meeting in a pipe ----------------------------------------------------


def _wrap(text: str, width: int | None, first: str = "", rest: str | None = None) -> list[str]:
    """Printable text wrapped to ``width`` after ``first``; on one line when width is None."""
    if width is None:
        return [first + one_line(text)]
    import textwrap

    rest = " " * len(first) if rest is None else rest
    return textwrap.wrap(
        printable(text),
        width=width,
        initial_indent=first,
        subsequent_indent=rest,
        break_on_hyphens=False,
    ) or [first.rstrip()]


def _text_items(
    items: list[Any], numbered: bool, width: int | None, indent: str = "  "
) -> list[str]:
    lines = []
    for n, item in enumerate(items, 1):
        marker = f"{n}. " if numbered else "• "
        text = item if isinstance(item, str) else item["text"]
        lines += _wrap(text, width, indent + marker)
        if not isinstance(item, str):
            pad = indent + " " * len(marker)
            lines += _text_items(item.get("bullets", []), False, width, pad)
            lines += _text_items(item.get("numbered", []), True, width, pad)
    return lines


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


def _unstyled(text: str, *styles: str) -> str:
    return text


def write_meeting_text(
    stream: IO[str],
    meeting: MeetingRecord,
    labels: Labels,
    width: int | None = None,
    style: Callable[..., str] = _unstyled,
) -> None:
    """A meeting's full verslag as text, headings marked, lists kept.

    ``width=None`` writes each paragraph and list item on one line, so that ``grep``
    finds whole sentences; a terminal passes its width. ``style(text, *names)`` may
    decorate titles, headings and labels (the terminal view passes ANSI styles); wrapping
    is done on the plain text first, and all data is made printable.
    """
    title = _wrap(meeting["title"], width)
    lines = [style(line, "bold", "accent") for line in title]
    if style is _unstyled:
        lines.append("=" * max(map(len, title)))
    lines.append("")
    facts = meeting_facts(meeting, labels)
    label_width = max(len(k) for k, _ in facts) + 2
    for k, v in facts:
        wrapped = _wrap(v, width, f"{k + ':':<{label_width}}")
        wrapped[0] = style(wrapped[0][:label_width], "bold") + wrapped[0][label_width:]
        lines += wrapped

    def heading(text: str, underline: str) -> list[str]:
        if style is _unstyled:
            return ["", text, underline * len(text)]
        return ["", style(text, "bold", "underline")]

    if meeting["programme"]:
        lines += heading("Programme", "-")
        for item in meeting["programme"]:
            who = "; ".join(_person(p) for p in item["speakers"])
            lines += _wrap(item["title"] + (f" — {who}" if who else ""), width, "  • ")
    if meeting["people"]:
        lines += heading("People", "-")
        for p in meeting["people"]:
            lines += _wrap(_person(p), width, "  ")
    lines += heading("Verslag", "-")
    for section in meeting["sections"]:
        if section["heading"]:
            text = one_line(section["heading"])
            if style is _unstyled:
                lines += ["", *_wrap(text, width, "#" * section["level"] + " ")]
            else:
                indent = "  " * (section["level"] - 2)
                names = ("bold", "accent") if section["level"] == 2 else ("bold",)
                lines += ["", *(style(x, *names) for x in _wrap(text, width, indent))]
        block: Any
        for block in section["blocks"]:
            lines.append("")
            if "paragraph" in block:
                lines += _wrap(block["paragraph"], width)
            elif "numbered" in block:
                lines += _text_items(block["numbered"], True, width)
            else:
                lines += _text_items(block["bullets"], False, width)
    if meeting["notes"]:
        lines += heading("Notes", "-")
        for note in meeting["notes"]:
            lines += [style(x, "dim") for x in _wrap(note, width, "  • ")]
    stream.write("\n".join(lines) + "\n")


def write_sqlite(source: Any, target: str) -> None:
    """Copy a compiled dataset (an open ``sqlite3`` connection) into the file ``target``.

    The copy is the database every command reads: tables ``meetings``, ``sections``,
    ``people``, ``topics``, ``meeting_topics``, ``collection`` and the full-text index
    ``meeting_text_fts`` over ``meeting_text``; see docs/database.md.
    """
    import sqlite3

    dest = sqlite3.connect(target)
    try:
        source.backup(dest)
    finally:
        dest.close()
