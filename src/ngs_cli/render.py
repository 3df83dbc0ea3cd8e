"""Terminal views: tables that fit the screen, a readable verslag, search hits, a timeline.

Imported only when output goes to a terminal. Tables are Rich tables, which wrap or fold
cells to the terminal's width and measure wide characters; every piece of data goes
through ``text.printable`` first (``data``), because Rich passes escape sequences in text
through as they are. Colour only where the environment allows it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import IO, TYPE_CHECKING, Any

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from .formats.text import write_meeting_text
from .i18n import _
from .summary import Labels, when
from .text import one_line, printable

if TYPE_CHECKING:
    from .model import MeetingRecord


def console(stream: IO[str], width: int, colour: bool) -> Console:
    """A Rich console on ``stream``: a terminal of ``width`` columns, coloured or not."""
    return Console(
        file=stream,
        width=width,
        force_terminal=True,
        color_system="standard" if colour else None,
        no_color=not colour,
        highlight=False,
        markup=False,
        emoji=False,
        legacy_windows=False,
        safe_box=True,
    )


def data(value: Any, style: str = "") -> Text:
    """One piece of data as terminal text: escaped, on one line."""
    if value is None:
        return Text("")
    if isinstance(value, bool):
        value = _("yes") if value else _("no")
    elif isinstance(value, list):
        value = "; ".join(map(str, value))
    return Text(one_line(str(value)), style=style)


def table(
    out: Console,
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    styles: Mapping[int, str] | None = None,
    wide: Sequence[int] = (),
) -> None:
    """Columns fitted to the terminal: ``wide`` ones wrap, the others fold when they must."""
    styles = styles or {}
    grid = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, header_style="bold")
    for i, header in enumerate(headers):
        grid.add_column(
            header,
            style=styles.get(i, ""),
            overflow="fold",
            ratio=2 if i in wide else None,
            min_width=1,
        )
    for row in rows:
        grid.add_row(*(data(v) for v in row))
    out.print(grid)


class Style:
    """ANSI styles for the verslag view, or none; applied to text already made printable."""

    CODES = {"bold": "1", "dim": "2", "underline": "4", "reverse": "7", "accent": "36"}

    def __init__(self, enabled: bool):
        self.enabled = enabled

    def __call__(self, text: str, *styles: str) -> str:
        if not self.enabled or not text:
            return text
        codes = ";".join(self.CODES[s] for s in styles)
        return f"\x1b[{codes}m{text}\x1b[0m"


def show_meeting(
    stream: IO[str], meeting: MeetingRecord, labels: Labels, width: int, colour: bool
) -> None:
    """The full verslag for reading in a terminal: wrapped, styled headings, lists kept."""
    write_meeting_text(stream, meeting, labels, width=min(width, 100), style=Style(colour))


def search_results(out: Console, hits: Sequence[Any]) -> None:
    """Each hit: date, city, title and id, then its snippet with the hits highlighted."""
    for hit in hits:
        m = hit.meeting
        head = Text.assemble(
            data(when(m), "bold"),
            "  ",
            data(m["city"] or "—"),
            "  ",
            data(m["title"], "bold"),
            "  ",
            data(m["id"], "cyan"),
        )
        out.print(head, overflow="fold")
        for snippet, spans in hit.snippets:
            text = Text(printable(snippet))
            for start, end in spans:
                # printable() keeps the length of text without control characters;
                # where it grew, the highlight is left off rather than misplaced.
                if len(text) == len(snippet):
                    text.stylize("bold reverse", start, end)
            out.print(Text("    ").append(text), overflow="fold")
        out.print()


def timeline_view(
    out: Console,
    years: Sequence[tuple[int | None, Sequence[MeetingRecord]]],
    labels: Labels,
    theme: str | None,
) -> None:
    """Year by year: a bar of meetings, then each meeting's date, city, title and topics."""
    if theme:
        title = _("Meetings matching {theme}, year by year").format(theme=repr(one_line(theme)))
        out.print(Text(title, style="bold"))
    # The date column as wide as its longest date (Dutch dates are longer), and a gap.
    wide = max([16, *(len(when(m)) + 2 for _year, ms in years for m in ms)])
    for year, meetings in years:
        label = f"{year}" if year is not None else "  ? "
        bar = Text("●" * len(meetings), style="cyan") if meetings else Text("·", style="dim")
        out.print(Text.assemble(Text(label, style="bold"), "  ", bar), overflow="ellipsis")
        for m in meetings:
            topics = ", ".join(labels.get(t, t) for t in m["topics"])
            line = Text.assemble(
                "      ",
                f"{when(m):<{wide}}",
                Text(f"{one_line(m['city'] or '—'):<12} "),
                data(m["title"], "bold"),
                Text(f"  ({one_line(topics)})" if topics else "", style="dim"),
            )
            line.truncate(out.width, overflow="ellipsis")
            out.print(line, no_wrap=True, overflow="ellipsis")
