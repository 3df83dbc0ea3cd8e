"""Terminal views: aligned tables, a readable verslag, highlighted search hits, a timeline.

These are drawn with plain ANSI styles rather than Rich: importing Rich costs about as
much as Typer itself (≈60 ms measured, see README "Performance"), and these views need
only bold, dim, one accent colour and column layout. Colour is used only on a terminal
and never when NO_COLOR is set or TERM is "dumb". Every piece of data goes through
``printable`` first, so escape sequences in the data never reach the terminal raw.
"""

from __future__ import annotations

import os
import shutil
import textwrap
import unicodedata
from typing import IO, TYPE_CHECKING, Any

from .export import one_line, printable, when

if TYPE_CHECKING:
    from .dataset import Dataset
    from .query import Hit, Meeting


class Style:
    """Wraps text in ANSI styles when enabled; returns it unchanged otherwise."""

    CODES = {"bold": "1", "dim": "2", "underline": "4", "reverse": "7", "accent": "36"}

    def __init__(self, enabled: bool):
        self.enabled = enabled

    def __call__(self, text: str, *styles: str) -> str:
        if not self.enabled or not text:
            return text
        codes = ";".join(self.CODES[s] for s in styles)
        return f"\x1b[{codes}m{text}\x1b[0m"

    @classmethod
    def for_stream(cls, stream: IO[str]) -> Style:
        if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
            return cls(False)
        try:
            return cls(stream.isatty())
        except (AttributeError, ValueError):
            return cls(False)


def terminal_width() -> int:
    return max(40, shutil.get_terminal_size((100, 24)).columns)


def display_width(text: str) -> int:
    """Columns the text takes on a terminal (wide East Asian characters count twice)."""
    if text.isascii():
        return len(text)
    return sum(
        2 if unicodedata.east_asian_width(c) in "WF" else 0 if unicodedata.combining(c) else 1
        for c in text
    )


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - display_width(text))


def table(
    out: IO[str],
    headers: list[str],
    rows: list[list[str]],
    *,
    flexible: set[int],
    style: Style,
    width: int | None = None,
    styles: dict[int, str] | None = None,
) -> None:
    """Columns aligned to the terminal: fixed ones at their natural width, ``flexible``
    ones sharing the rest and wrapping."""
    width = width or terminal_width()
    styles = styles or {}
    cells = [[one_line(c) for c in row] for row in rows]
    natural = [
        max([display_width(h)] + [display_width(r[i]) for r in cells])
        for i, h in enumerate(headers)
    ]
    gap = 2
    fixed = sum(w for i, w in enumerate(natural) if i not in flexible)
    room = width - fixed - gap * (len(headers) - 1)
    widths = list(natural)
    flex_total = sum(natural[i] for i in flexible) or 1
    if sum(natural[i] for i in flexible) > room:
        for i in flexible:
            widths[i] = max(12, room * natural[i] // flex_total)
    out.write(
        style("  ".join(_pad(h, widths[i]) for i, h in enumerate(headers)).rstrip(), "bold") + "\n"
    )
    out.write(style("─" * min(width, sum(widths) + gap * (len(headers) - 1)), "dim") + "\n")
    for row in cells:
        wrapped = [
            textwrap.wrap(c, widths[i], break_on_hyphens=False) or [""] if i in flexible else [c]
            for i, c in enumerate(row)
        ]
        for n in range(max(len(w) for w in wrapped)):
            parts = []
            for i, lines in enumerate(wrapped):
                piece = _pad(lines[n] if n < len(lines) else "", widths[i])
                parts.append(style(piece, styles[i]) if i in styles and piece.strip() else piece)
            out.write("  ".join(parts).rstrip() + "\n")


def meetings_table(out: IO[str], meetings: list[Meeting], style: Style) -> None:
    wide = terminal_width() >= 140  # themes need room; on a narrow terminal the title will do
    headers = ["Date", "City", "Title"] + (["Themes"] if wide else []) + ["Id"]
    rows = []
    for m in meetings:
        row = [when(m), m["city"] or "—", m["title"]]
        if wide:
            row.append("; ".join(m["themes"]))
        rows.append(row + [m["id"]])
    flexible = {2, 3} if wide else {2}
    table(
        out,
        headers,
        rows,
        flexible=flexible,
        style=style,
        styles={len(headers) - 1: "accent"} | ({3: "dim"} if wide else {}),
    )


def show_meeting(out: IO[str], ds: Dataset, meeting: Meeting, style: Style) -> None:
    """The full verslag for reading in a terminal: styled headings, lists kept."""
    from .export import write_meeting_text

    write_meeting_text(out, ds, meeting, width=min(terminal_width(), 100), style=style)


def _highlight(text: str, spans: list[tuple[int, int]], style: Style) -> str:
    if not style.enabled or not spans:
        return text
    out, pos = [], 0
    for a, b in sorted(spans):
        if a < pos:
            continue
        out += [text[pos:a], style(text[a:b], "bold", "reverse")]
        pos = b
    out.append(text[pos:])
    return "".join(out)


def search_results(out: IO[str], hits: list[Hit], style: Style) -> None:
    width = terminal_width()
    for hit in hits:
        m = hit.meeting
        out.write(
            "  ".join(
                [
                    style(when(m), "bold"),
                    one_line(m["city"] or "—"),
                    style(one_line(m["title"]), "bold"),
                    style(m["id"], "accent"),
                ]
            )
            + "\n"
        )
        for snippet, spans in hit.snippets:
            text = printable(snippet)
            lines = textwrap.wrap(
                text,
                width - 4,
                break_on_hyphens=False,
                replace_whitespace=False,
                drop_whitespace=True,
            )
            pos = 0
            for line in lines:
                start = text.find(line, pos)
                pos = start + len(line)
                local = [
                    (max(a, start) - start, min(b, pos) - start)
                    for a, b in spans
                    if a < pos and b > start
                ]
                out.write("    " + _highlight(line, local, style) + "\n")
        out.write("\n")


def people_table(out: IO[str], people: list[dict[str, Any]], style: Style) -> None:
    rows = []
    for person in people:
        for n, a in enumerate(person["appearances"]):
            role = ", ".join(filter(None, (a["role"], a["organisation"])))
            date = a["date"] or str(a["year"] or "unknown")
            rows.append([person["name"] if n == 0 else "", role, date, a["meeting"]])
    table(
        out,
        ["Name", "Role, organisation", "Date", "Meeting"],
        rows,
        flexible={1},
        style=style,
        styles={0: "bold", 3: "accent"},
    )


def facet_table(out: IO[str], rows: list[dict[str, Any]], kind: str, style: Style) -> None:
    if kind == "topic":
        data = [
            [
                r["id"],
                r["label"],
                str(r["count"]),
                ", ".join(map(str, r["years"])),
                ", ".join(r["aliases"]),
            ]
            for r in rows
        ]
        table(
            out,
            ["Topic", "Label", "Meetings", "Years", "Also matches"],
            data,
            flexible={3, 4},
            style=style,
            styles={0: "accent", 4: "dim"},
        )
    else:
        data = [
            [r["city"] or "(unknown)", str(r["count"]), ", ".join(map(str, r["years"]))]
            for r in rows
        ]
        table(
            out, ["City", "Meetings", "Years"], data, flexible={2}, style=style, styles={0: "bold"}
        )


def timeline_view(
    out: IO[str],
    ds: Dataset,
    years: list[tuple[int | None, list[Meeting]]],
    theme: str | None,
    style: Style,
) -> None:
    """Year by year: a bar of meetings, then each meeting's date, city and topics."""
    width = terminal_width()
    if theme:
        out.write(style(f"Meetings matching {printable(theme)!r}, year by year", "bold") + "\n")
    for year, meetings in years:
        label = style(f"{year if year is not None else '  ? '}", "bold")
        bar = style("●" * len(meetings), "accent") if meetings else style("·", "dim")
        out.write(f"{label}  {bar}\n")
        for m in meetings:
            topics = ", ".join((ds.topic(t) or {"label": t})["label"] for t in m["topics"])
            prefix = f"      {when(m):<16}{one_line(m['city'] or '—'):<12}"
            title = one_line(m["title"])
            rest = f"  ({topics})" if topics else ""
            room = width - display_width(prefix)
            if display_width(title + rest) > room:
                if display_width(title) >= room:
                    title, rest = title[: max(0, room - 1)] + "…", ""
                else:
                    rest = rest[: room - display_width(title) - 1] + "…"
            out.write(prefix + style(title, "bold") + style(rest, "dim") + "\n")
