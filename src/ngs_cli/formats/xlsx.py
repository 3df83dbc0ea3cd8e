"""An Excel workbook (XlsxWriter): the meetings the filters select, their people and topics.

Every cell is written as a value: XlsxWriter is told never to read a string as a formula,
a link or a number, and each string goes through ``write_string``, so data that starts
with ``=``, ``+``, ``-`` or ``@`` stays text. A verslag longer than a cell holds goes on
in the cells beside it, never cut.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from .text import verslag_text

if TYPE_CHECKING:
    from ..model import MeetingRecord
    from ..summary import Labels

CELL_LIMIT = 32_767  # Excel's longest text in one cell
OPTIONS = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "constant_memory": True,
}
SEASONS = {"spring": "voorjaar", "summer": "zomer", "autumn": "najaar", "winter": "winter"}
COLUMNS = ("id", "date", "city", "title", "themes", "topics", "people", "text")
WIDTHS = (26, 12, 14, 45, 35, 35, 40, 100)


def text_cells(text: str, limit: int = CELL_LIMIT) -> list[str]:
    """``text`` in pieces of at most ``limit`` characters that join back to it, each
    ending at a space or line break where there is one."""
    pieces = []
    while len(text) > limit:
        cut = max(text.rfind(" ", 0, limit), text.rfind("\n", 0, limit)) + 1
        if cut <= 0:
            cut = limit
        pieces.append(text[:cut])
        text = text[cut:]
    pieces.append(text)
    return pieces


def date_value(meeting: MeetingRecord) -> _dt.date | int | str | None:
    """The date as Excel should hold it: a date when the day is known, else the year, or
    the season and year in Dutch ('najaar 2013'), else nothing."""
    if meeting["date"]:
        return _dt.date.fromisoformat(meeting["date"])
    if meeting["year"] is None:
        return None
    if meeting["date_precision"] == "season" and meeting["season"]:
        return f"{SEASONS[meeting['season']]} {meeting['year']}"
    return meeting["year"]


def write_workbook(labels: Labels, meetings: Iterable[MeetingRecord], target: str) -> None:
    """The workbook ``target``: sheet "Verslagen" (a row a meeting, its whole verslag
    included), "Personen" (a row a person a meeting) and "Onderwerpen" (each topic of
    the selected meetings and how many it is in)."""
    import xlsxwriter

    meetings = list(meetings)
    texts = [text_cells(verslag_text(m)) for m in meetings]
    extra = max((len(t) for t in texts), default=1) - 1
    book = xlsxwriter.Workbook(target, OPTIONS)
    try:
        header = book.add_format({"bold": True})
        wrapped = book.add_format({"text_wrap": True, "valign": "top"})
        day = book.add_format({"num_format": "yyyy-mm-dd", "valign": "top", "align": "left"})
        top = book.add_format({"valign": "top", "align": "left"})
        sheet = book.add_worksheet("Verslagen")
        headers = [*COLUMNS, *["text (vervolg)"] * extra]
        widths = [*WIDTHS, *[WIDTHS[-1]] * extra]
        rows = []
        for m, text in zip(meetings, texts):
            rows.append(
                [
                    m["id"],
                    date_value(m),
                    m["city"],
                    m["title"],
                    "; ".join(m["themes"]),
                    "; ".join(labels.get(t, t) for t in m["topics"]),
                    "; ".join(m["speakers"]),
                    *text,
                ]
            )
        sheet.set_default_row(60)  # a few lines of each verslag; a row grows on demand
        _table(sheet, headers, widths, rows, header, wrapped, {1: day})

        people = book.add_worksheet("Personen")
        rows = []
        for m in meetings:
            named = set()
            for p in m["people"]:
                named.add(p["name"])
                rows.append([p["name"], p.get("role"), p.get("organisation"), m["id"]])
            rows += [[name, None, None, m["id"]] for name in m["speakers"] if name not in named]
        _table(
            people, ("name", "role", "organisation", "meeting"), (30, 40, 40, 26), rows, header, top
        )

        topics = book.add_worksheet("Onderwerpen")
        counts: dict[str, int] = {}
        for m in meetings:
            for t in m["topics"]:
                counts[t] = counts.get(t, 0) + 1
        order = sorted(counts, key=lambda t: (-counts[t], labels.get(t, t).lower()))
        rows = [[t, labels.get(t, t), counts[t]] for t in order]
        _table(topics, ("topic", "label", "meetings"), (30, 40, 10), rows, header, top)
    finally:
        book.close()


def _table(
    sheet: Any,
    headers: Sequence[str],
    widths: Sequence[int],
    rows: list[list[Any]],
    header: Any,
    cell: Any,
    formats: dict[int, Any] | None = None,
) -> None:
    """A sheet of rows under a frozen, bold header row with an autofilter. Rows are
    written in order, as ``constant_memory`` requires."""
    formats = formats or {}
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width, formats.get(col, cell))
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(len(rows), 1), len(headers) - 1)
    sheet.set_row(0, 18, header)
    for col, name in enumerate(headers):
        sheet.write_string(0, col, name, header)
    for r, row in enumerate(rows, 1):
        for col, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, str):
                sheet.write_string(r, col, value, cell)
            elif isinstance(value, _dt.date):
                sheet.write_datetime(r, col, value, formats.get(col, cell))
            else:  # a number (a year) is not a date, whatever its column's format
                sheet.write_number(r, col, value, cell)
