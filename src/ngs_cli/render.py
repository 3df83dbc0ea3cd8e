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
from rich.cells import cell_len
from rich.console import Console
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from .calendar import in_words
from .formats.text import write_meeting_text
from .i18n import _
from .summary import Labels
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


# The narrowest the first wrapping column (a title, a name) is still read in, and the
# others (themes, a role, years).
READABLE = 18
READABLE_BESIDE = 16
# What a column costs beside its text: a rule and a space on either side.
GAP = 3


def table(
    out: Console,
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    styles: Mapping[int, str] | None = None,
    wide: Sequence[int] = (),
    whole: Sequence[int] = (),
    drop: Sequence[int] = (),
) -> None:
    """Columns fitted to the terminal: ``wide`` ones wrap, the others keep their width.

    The ``whole`` columns (ids: what a user copies into the next command) are never
    broken. When the screen is too narrow for them, the others at their width and every
    wide column at a readable width, the ``drop`` columns go first, in that order, as gh
    does; narrower still, each row becomes a block of labelled lines.
    """
    styles = styles or {}
    cells = [[data(v) for v in row] for row in rows]
    natural = [
        max([cell_len(header), *(c[i].cell_len for c in cells)]) for i, header in enumerate(headers)
    ]

    def needed(columns: list[int]) -> int:
        first = next((i for i in columns if i in wide), None)
        widths = [
            min(natural[i], READABLE if i == first else READABLE_BESIDE)
            if i in wide
            else natural[i]
            for i in columns
        ]
        return sum(widths) + GAP * (len(columns) - 1)

    shown = list(range(len(headers)))
    for column in drop:
        if needed(shown) <= out.width:
            break
        if column in shown:
            shown.remove(column)
    if whole and needed(shown) > out.width:
        blocks(out, headers, cells, styles, whole)
        return
    grid = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, header_style="bold")
    fits = needed(shown) <= out.width
    for i in shown:
        grid.add_column(
            headers[i],
            style=styles.get(i, ""),
            overflow="fold",
            ratio=2 if i in wide else None,
            min_width=1,
            # Only the wide columns give way; an id, a date, a number stays whole.
            no_wrap=i not in wide and fits,
        )
    for row in cells:
        grid.add_row(*(row[i] for i in shown))
    out.print(grid)


def blocks(
    out: Console,
    headers: Sequence[str],
    cells: Sequence[Sequence[Text]],
    styles: Mapping[int, str],
    whole: Sequence[int],
) -> None:
    """Each row as a block: its first cell, then each other one labelled on its own
    line; an id that does not fit beside its label gets a line of its own."""
    for n, row in enumerate(cells):
        if n:
            out.print()
        first = row[0].copy()
        first.stylize("bold")
        if 0 in whole:
            _id_line(out, first, 0)
        else:
            out.print(first, overflow="fold")
        for i in range(1, len(row)):
            value = row[i].copy()
            if not value.plain:
                continue
            value.stylize(styles.get(i, ""))
            label = Text(f"{headers[i]}: ", style="dim")
            if i in whole and 2 + label.cell_len + value.cell_len > out.width:
                out.print(Padding(label, (0, 0, 0, 2), expand=False))
                _id_line(out, value, 4)
            elif 2 + label.cell_len + value.cell_len > out.width and (
                2 * label.cell_len > out.width
                or max(map(cell_len, value.plain.split()), default=0)
                > out.width - 2 - label.cell_len
            ):
                # Beside the label a word would break letter by letter: the value goes
                # under it.
                out.print(Padding(label, (0, 0, 0, 2), expand=False))
                out.print(Padding(value, (0, 0, 0, 4), expand=False), overflow="fold")
            else:
                # The value's wrapped lines hang under its first, beside the label.
                line = Table.grid()
                line.add_column(no_wrap=True)
                line.add_column(overflow="fold", no_wrap=i in whole)
                line.add_row(label, value)
                out.print(Padding(line, (0, 0, 0, 2), expand=False))


def _id_line(out: Console, value: Text, indent: int) -> None:
    """An id on a line of its own, whole. On a screen narrower than the id, the terminal
    wraps it, not ngs: a wrapped line is still one line to copy, a broken one is two."""
    if value.cell_len > out.width:
        out.print(value, soft_wrap=True)
        return
    if indent + value.cell_len > out.width:
        indent = 0
    out.print(Padding(value, (0, 0, 0, indent), expand=False), no_wrap=True, overflow="fold")


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
    """Each hit: date, city, title and id (the id whole, on a line of its own when the
    line has no room for it), then its snippet with the hits highlighted."""
    for hit in hits:
        m = hit.meeting
        head = Text.assemble(
            data(in_words(m), "bold"),
            "  ",
            data(m["city"] or "—"),
            "  ",
            data(m["title"], "bold"),
        )
        ident = data(m["id"], "cyan")
        if head.cell_len + 2 + ident.cell_len <= out.width:
            out.print(Text.assemble(head, "  ", ident), overflow="fold")
        else:
            out.print(head, overflow="fold")
            _id_line(out, ident, 2)
        for snippet, spans in hit.snippets:
            text = Text(printable(snippet))
            for start, end in spans:
                # printable() keeps the length of text without control characters;
                # where it grew, the highlight is left off rather than misplaced.
                if len(text) == len(snippet):
                    text.stylize("bold reverse", start, end)
            out.print(Padding(text, (0, 0, 0, 4), expand=False), overflow="fold")
        out.print()


def timeline_view(
    out: Console,
    years: Sequence[tuple[int | None, Sequence[MeetingRecord]]],
    labels: Labels,
    theme: str | None,
) -> None:
    """Year by year: a bar of meetings, then each meeting's date, city, title and topics;
    ``theme`` the filter's themes, each quoted, as a title."""
    if theme:
        title = _("Meetings matching {theme}, year by year").format(theme=one_line(theme))
        out.print(Text(title, style="bold"))
    # The date column as wide as its longest date (Dutch dates are longer), and a gap.
    wide = max([16, *(len(in_words(m)) + 2 for _year, ms in years for m in ms)])
    for year, meetings in years:
        label = f"{year}" if year is not None else "  ? "
        bar = Text("●" * len(meetings), style="cyan") if meetings else Text("·", style="dim")
        out.print(Text.assemble(Text(label, style="bold"), "  ", bar), overflow="ellipsis")
        for m in meetings:
            topics = ", ".join(labels.get(t, t) for t in m["topics"])
            line = Text.assemble(
                "      ",
                f"{in_words(m):<{wide}}",
                Text(f"{one_line(m['city'] or '—'):<12} "),
                data(m["title"], "bold"),
                Text(f"  ({one_line(topics)})" if topics else "", style="dim"),
            )
            line.truncate(out.width, overflow="ellipsis")
            out.print(line, no_wrap=True, overflow="ellipsis")
