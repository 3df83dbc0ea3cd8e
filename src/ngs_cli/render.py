"""Rich views for the terminal. The only module that imports Rich.

Data is always passed to Rich as ``Text``, never as markup, so a title containing
``[bold]`` or ``[link=...]`` is shown as written; control characters are made visible
by ``printable`` first.
"""

from __future__ import annotations

from typing import IO, TYPE_CHECKING, Any

from rich import box
from rich.console import Console, Group
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from .export import meeting_facts, one_line, printable, when
from .query import Hit, Meeting

if TYPE_CHECKING:
    from .dataset import Dataset

ACCENT = "cyan"


def console(stream: IO[str]) -> Console:
    """A console on ``stream``: colour only on a terminal and without NO_COLOR."""
    return Console(file=stream, markup=False, emoji=False, highlight=False)


def _t(value: Any, style: str = "") -> Text:
    return Text(one_line("" if value is None else str(value)), style=style)


def meetings_table(out: Console, meetings: list[Meeting]) -> None:
    # Themes need room; on a narrow terminal the title says enough.
    wide = out.width >= 140
    table = Table(box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False)
    table.add_column("Date", no_wrap=True)
    table.add_column("City", no_wrap=True)
    table.add_column("Title", ratio=3, min_width=20)
    if wide:
        table.add_column("Themes", ratio=2, style="dim")
    table.add_column("Id", no_wrap=True, style=ACCENT)
    for m in meetings:
        cells = [_t(when(m)), _t(m["city"] or "—"), _t(m["title"])]
        if wide:
            cells.append(_t("; ".join(m["themes"])))
        table.add_row(*cells, _t(m["id"]))
    out.print(table)


def _items(items: list[Any], numbered: bool, indent: int = 2) -> list[Any]:
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True, justify="right" if numbered else "left")
    grid.add_column()
    for n, item in enumerate(items, 1):
        marker = Text(f"{n}." if numbered else "•", style=ACCENT)
        text = item if isinstance(item, str) else item["text"]
        cell: Any = Text(printable(text))
        if not isinstance(item, str):
            sub = []
            if item.get("bullets"):
                sub += _items(item["bullets"], False, 0)
            if item.get("numbered"):
                sub += _items(item["numbered"], True, 0)
            cell = Group(cell, *sub)
        grid.add_row(marker, cell)
    return [Padding(grid, (0, 0, 0, indent))]


def show_meeting(out: Console, ds: Dataset, meeting: Meeting) -> None:
    """The full verslag, headings and lists kept, for reading in a terminal."""
    out.print(Text(printable(meeting["title"]), style="bold " + ACCENT))
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="bold", no_wrap=True)
    facts.add_column()
    for key, value in meeting_facts(ds, meeting):
        facts.add_row(key, Text(printable(value), style="dim" if key == "Date note" else ""))
    out.print(facts)
    if meeting["programme"]:
        out.print()
        out.print(Text("Programme", style="bold underline"))
        rows = []
        for item in meeting["programme"]:
            who = "; ".join(", ".join(filter(None, (p["name"], p["role"], p["organisation"])))
                            for p in item["speakers"])
            rows.append(item["title"] + (f" — {who}" if who else ""))
        for r in _items(rows, False):
            out.print(r)
    out.print()
    out.print(Text("Verslag", style="bold underline"))
    for section in meeting["sections"]:
        if section["heading"]:
            out.print()
            style = "bold " + ACCENT if section["level"] == 2 else "bold"
            heading = Text(printable(section["heading"]), style=style)
            out.print(Padding(heading, (0, 0, 0, 2 * (section["level"] - 2))))
        for n, block in enumerate(section["blocks"]):
            if n or section["heading"] is None:
                out.print()
            if "paragraph" in block:
                out.print(Text(printable(block["paragraph"])))
            else:
                numbered = "numbered" in block
                for r in _items(block["numbered"] if numbered else block["bullets"], numbered):
                    out.print(r)
    if meeting["notes"]:
        out.print()
        out.print(Text("Notes", style="bold underline"))
        for r in _items(meeting["notes"], False):
            out.print(r, style="dim")


def search_results(out: Console, hits: list[Hit]) -> None:
    for hit in hits:
        m = hit.meeting
        head = Text.assemble((when(m), "bold"), "  ", (one_line(m["city"] or "—"), ""), "  ",
                             (one_line(m["title"]), "bold"), "  ", (m["id"], ACCENT))
        out.print(head)
        for snippet, spans in hit.snippets:
            text = Text(printable(snippet))
            for a, b in spans:
                text.stylize("bold reverse", a, b)
            out.print(Padding(text, (0, 0, 0, 4)))
        out.print()


def people_table(out: Console, people: list[dict[str, Any]]) -> None:
    table = Table(box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False)
    table.add_column("Name", style="bold", no_wrap=True)
    table.add_column("Role, organisation", ratio=2)
    table.add_column("Meetings", ratio=2)
    for person in people:
        roles = dict.fromkeys(", ".join(filter(None, (a["role"], a["organisation"])))
                              for a in person["appearances"])
        meetings = "\n".join(f"{when_a(a)}  {a['meeting']}" for a in person["appearances"])
        table.add_row(_t(person["name"]), Text(printable("; ".join(r for r in roles if r))),
                      Text(printable(meetings)))
    out.print(table)


def when_a(appearance: dict[str, Any]) -> str:
    return appearance["date"] or str(appearance["year"] or "unknown")


def facet_table(out: Console, rows: list[dict[str, Any]], kind: str) -> None:
    table = Table(box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False)
    if kind == "topic":
        table.add_column("Topic", style=ACCENT, no_wrap=True)
        table.add_column("Label", no_wrap=True)
    else:
        table.add_column("City", no_wrap=True)
    table.add_column("Meetings", justify="right")
    table.add_column("Years")
    if kind == "topic":
        table.add_column("Also matches", style="dim", ratio=1)
    for r in rows:
        years = ", ".join(str(y) for y in r["years"])
        if kind == "topic":
            table.add_row(_t(r["id"]), _t(r["label"]), str(r["count"]), years,
                          _t(", ".join(r["aliases"])))
        else:
            table.add_row(_t(r["city"] or "(unknown)"), str(r["count"]), years)
    out.print(table)


def timeline_view(out: Console, ds: Dataset, years: list[tuple[int | None, list[Meeting]]],
                  theme: str | None) -> None:
    """Year by year: a bar of meetings, then each meeting's date, city and topics."""
    if theme:
        out.print(Text(f"Meetings matching {printable(theme)!r}, year by year", style="bold"))
    for year, meetings in years:
        label = Text(f"{year if year is not None else '  ? '}", style="bold")
        bar = Text("●" * len(meetings), style=ACCENT) if meetings else Text("·", style="dim")
        out.print(Text.assemble(label, "  ", bar))
        for m in meetings:
            topics = ", ".join((ds.topic(t) or {"label": t})["label"] for t in m["topics"])
            line = Text.assemble(
                ("      ", ""), (f"{when(m):<16}", ""), (f"{one_line(m['city'] or '—'):<12}", "bold"),
                (one_line(m["title"]), ""), ("  " + topics if topics else "", "dim"))
            out.print(line, no_wrap=True, overflow="ellipsis")
