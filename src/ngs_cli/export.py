"""Writers for every non-terminal format: JSON, CSV, tab-separated, Markdown, plain text.

Each writer takes the stream it writes to. Nothing here imports Rich or tabulate: the
one table the Markdown export needs is a few lines, and importing tabulate cost a third
of a Typer start-up (see README, "Performance").
"""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Callable, Iterable
from typing import IO, TYPE_CHECKING, Any

from .query import Hit, Meeting, meeting_people

if TYPE_CHECKING:
    from .dataset import Dataset

# C0 and C1 control characters (but tab and newline), DEL, and the bidirectional
# overrides that can make text display as something else.
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """Text safe to show on a terminal: control characters and escapes made visible."""
    if text.isprintable():
        return text
    return _UNSAFE.sub(
        lambda m: (
            f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}"
        ),
        text,
    )


def one_line(text: str) -> str:
    """Printable text on one line (for table cells and tab-separated rows)."""
    return " ".join(printable(text).split())


# --- the record as scripts see it ---------------------------------------------------------

SUMMARY_FIELDS = (
    "id",
    "date",
    "end_date",
    "year",
    "date_precision",
    "date_inferred",
    "city",
    "venue",
    "format",
    "title",
    "themes",
    "topics",
)


def summary(meeting: Meeting) -> dict[str, Any]:
    """The fields of a meeting that ``list --format json`` and ``export`` promise."""
    row = {k: meeting[k] for k in SUMMARY_FIELDS}
    row["participants"] = meeting["participants"]["count"] if meeting["participants"] else None
    row["people"] = meeting_people(meeting)
    row["files_announced"] = meeting["files_announced"]
    return row


def when(meeting: Meeting) -> str:
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


def when_long(meeting: Meeting) -> str:
    """``when`` with what was inferred said out loud."""
    text = when(meeting)
    if meeting["date_inferred"]:
        text += " (year inferred)" if meeting["year"] else " (see date note)"
    return text


def write_json(stream: IO[str], value: Any) -> None:
    # One write of the whole text: json.dump writes each token apart, which cost more
    # than the encoding itself on a large export.
    stream.write(json.dumps(value, ensure_ascii=False, indent=2) + "\n")


def write_summaries_json(stream: IO[str], meetings: Iterable[Meeting]) -> None:
    write_json(stream, [summary(m) for m in meetings])


def write_search_json(stream: IO[str], hits: list[Hit]) -> None:
    write_json(
        stream,
        [
            {**summary(h.meeting), "score": h.score, "snippets": [text for text, _ in h.snippets]}
            for h in hits
        ],
    )


# --- tab-separated and CSV ------------------------------------------------------------------


def write_tsv(stream: IO[str], rows: Iterable[Iterable[Any]]) -> None:
    """Rows of plain, tab-separated text: no header, no colour, one record a line."""
    for row in rows:
        stream.write("\t".join(one_line("" if v is None else str(v)) for v in row) + "\n")


def iso_or_year(meeting: Meeting) -> str:
    """The date for scripts: ISO when the day is known, else the year, else empty."""
    return meeting["date"] or (str(meeting["year"]) if meeting["year"] is not None else "")


def list_rows(meetings: Iterable[Meeting]) -> Iterable[list[Any]]:
    """Rows of ``list --format plain``: id, date, city, title, themes."""
    for m in meetings:
        yield [m["id"], iso_or_year(m), m["city"] or "", m["title"], "; ".join(m["themes"])]


CSV_COLUMNS = (*SUMMARY_FIELDS, "participants", "people", "files_announced")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value)


def neutralise_formula(cell: str) -> str:
    """OWASP's advice for CSV injection: a cell that could start a formula gets a quote."""
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def write_csv(
    stream: IO[str],
    meetings: Iterable[Meeting],
    *,
    excel: bool = False,
    columns: Iterable[str] = CSV_COLUMNS,
) -> None:
    """RFC 4180 CSV, one row per meeting, list fields joined with '; '.

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
    for m in meetings:
        row = summary(m)
        cells = [_csv_cell(row[c]) for c in cols]
        writer.writerow([neutralise_formula(c) for c in cells] if excel else cells)


# --- Markdown -----------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")
_MD_LINE_START = re.compile(r"^(\s*)(\d+)([.)])")


def md_text(text: str) -> str:
    """Inline Markdown for literal text: nothing in it can become markup or a heading."""
    text = " ".join(printable(text).split())
    text = _MD_SPECIAL.sub(r"\\\1", text)
    text = _MD_LINE_START.sub(r"\1\2\\\3", text)
    if text.startswith(("-", "=", "+")):
        text = "\\" + text
    return text


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


def _person(p: dict[str, Any]) -> str:
    return ", ".join(filter(None, (p["name"], p["role"], p["organisation"])))


def meeting_markdown(ds: Dataset, meeting: Meeting, level: int = 1) -> str:
    """One meeting's full verslag as Markdown; its title at heading ``level``."""
    h = "#" * level
    out = [f"{h} {md_text(meeting['title'])}", ""]
    out += [f"- **{k}:** {md_text(v)}" for k, v in meeting_facts(ds, meeting)]
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


def write_markdown(stream: IO[str], ds: Dataset, meetings: list[Meeting]) -> None:
    """One document: title, introduction, a table of contents and every full verslag."""
    coll = ds.collection
    stream.write(f"# {md_text(coll['title'])}\n\n")
    for para in coll["introduction"]:
        stream.write(md_text(para) + "\n\n")
    if coll["source_url"]:
        by = f" ({md_text(coll['publisher'])})" if coll["publisher"] else ""
        stream.write(f"Source: <{coll['source_url']}>{by}\n\n")
    stream.write("## Contents\n\n")
    rows = [
        [md_text(when(m)), md_text(m["city"] or "unknown"), f"[{md_text(m['title'])}](#{m['id']})"]
        for m in meetings
    ]
    stream.write(markdown_table(["Date", "City", "Meeting"], rows))
    for m in meetings:
        stream.write(f"\n{md_anchor(m['id'])}\n\n")
        stream.write(meeting_markdown(ds, m, level=2))


# --- plain text, for a meeting in a pipe ----------------------------------------------------


def _wrap(text: str, width: int, first: str = "", rest: str | None = None) -> list[str]:
    rest = " " * len(first) if rest is None else rest
    return textwrap.wrap(
        printable(text),
        width=width,
        initial_indent=first,
        subsequent_indent=rest,
        break_on_hyphens=False,
    ) or [first.rstrip()]


def _text_items(items: list[Any], numbered: bool, width: int, indent: str = "  ") -> list[str]:
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


def meeting_facts(ds: Dataset, meeting: Meeting) -> list[tuple[str, str]]:
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
    labels = [(ds.topic(t) or {"label": t})["label"] for t in meeting["topics"]]
    facts.append(("Topics", ", ".join(labels) or "none"))
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
    ds: Dataset,
    meeting: Meeting,
    width: int = 80,
    style: Callable[..., str] = _unstyled,
) -> None:
    """A meeting's full verslag as text, headings marked, lists kept.

    ``style(text, *names)`` may decorate titles, headings and labels (the terminal view
    passes ANSI styles); wrapping is done on the plain text first.
    """
    title = printable(meeting["title"])
    lines = [style(title, "bold", "accent")]
    if style is _unstyled:
        lines.append("=" * min(len(title), width))
    lines.append("")
    facts = meeting_facts(ds, meeting)
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
            text = printable(section["heading"])
            if style is _unstyled:
                lines += ["", *_wrap(text, width, "#" * section["level"] + " ")]
            else:
                indent = "  " * (section["level"] - 2)
                names = ("bold", "accent") if section["level"] == 2 else ("bold",)
                lines += ["", *(style(x, *names) for x in _wrap(text, width, indent))]
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
