"""An Excel workbook (XlsxWriter): the meetings the filters select, their people and topics.

Every cell is written as a value: XlsxWriter is told never to read a string as a formula,
a link or a number, and each string goes through ``write_string``, so data that starts
with ``=``, ``+``, ``-`` or ``@`` stays text; such a cell also carries Excel's quote
prefix, so that editing it in Excel keeps it text. A verslag longer than a cell holds
goes on in the cells beside it, never cut, each piece ending at a paragraph or sentence
where one is near; any other value too long for a cell is refused with a message, never
cut. Lengths are counted as Excel counts them, in UTF-16 code units (an emoji is two).
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from ..calendar import SEASONS_NL
from ..errors import OutputError
from ..i18n import N_
from .csv import FORMULA_START
from .text import verslag_text

if TYPE_CHECKING:
    from ..model import MeetingRecord
    from ..summary import Labels

CELL_LIMIT = 32_767  # Excel's longest text in one cell, in UTF-16 code units
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")  # two UTF-16 code units each
OPTIONS = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "constant_memory": True,
}
# date: an Excel date where the day is known (end_date the last day of a meeting of more
# than one); date_inferred: TRUE where the year is not stated in the source but inferred.
COLUMNS = ("id", "date", "end_date", "date_inferred", "city", "title", "themes", "topics",
           "people", "text")  # fmt: skip
WIDTHS = (26, 12, 12, 8, 14, 45, 35, 35, 40, 100)
CONTINUED = "text (continued)"


def units(text: str) -> int:
    """The length of ``text`` as Excel counts it: in UTF-16 code units."""
    return len(text) + len(_ASTRAL.findall(text))


def text_cells(text: str, limit: int = CELL_LIMIT) -> list[str]:
    """``text`` in pieces of at most ``limit`` UTF-16 code units that join back to it,
    each ending after a paragraph, else a sentence, in the last half of the piece, else
    at a space or line break where there is one."""
    pieces = []
    start, remaining = 0, units(text)
    while remaining > limit:
        end = _fitting(text, start, limit)
        for mark in ("\n\n", ". ", "\n"):
            cut = text.rfind(mark, start, end) + len(mark)
            if cut - start > (end - start) // 2:
                break
        else:  # none in the piece's second half: the last space or line break
            cut = max(text.rfind(" ", start, end), text.rfind("\n", start, end)) + 1
            if cut <= start:  # no break anywhere in the piece
                cut = end
                while cut > end - _CLUSTER and cut > start + 1 and _joined(text, cut):
                    cut -= 1  # a letter keeps its accents, an emoji its parts
                if cut <= end - _CLUSTER:
                    cut = end  # no character of a reader's ends near: cut where it must
        pieces.append(text[start:cut])
        remaining -= units(pieces[-1])
        start = cut
    pieces.append(text[start:])
    return pieces


_RI = range(0x1F1E6, 0x1F200)  # regional indicators: two make a flag
_CLUSTER = 64  # code points a character a reader sees may take, looked back over at most
# A worksheet's size (Excel's, and XlsxWriter's, limits).
MAX_ROWS, MAX_COLUMNS = 1_048_576, 16_384


def _joined(text: str, index: int) -> bool:
    """Whether the characters before and at ``index`` belong to one character a reader
    sees (a letter and its accents, an emoji with a joiner, variation or skin tone, a
    flag's two letters), so that a cell must not end between them."""
    char, before = text[index], text[index - 1]
    if unicodedata.category(char)[0] == "M" or "\u200d" in (char, before):
        return True
    code = ord(char)
    if 0xFE00 <= code <= 0xFE0F or 0x1F3FB <= code <= 0x1F3FF or 0xE0020 <= code <= 0xE007F:
        return True
    if code in _RI and ord(before) in _RI:
        run = 0  # the flag's second letter if an odd number of indicators comes before
        while index - run - 1 >= 0 and ord(text[index - run - 1]) in _RI:
            run += 1
        return run % 2 == 1
    return False


def _fitting(text: str, start: int, limit: int) -> int:
    """Where the longest piece of ``text`` from ``start`` within ``limit`` UTF-16 units
    ends."""
    end = min(len(text), start + limit)
    while (over := units(text[start:end]) - limit) > 0:
        end -= (over + 1) // 2  # a character is one unit or two: never too many
    return end


def date_value(meeting: MeetingRecord) -> _dt.date | int | str | None:
    """The date as Excel should hold it: a date when the day is known, else the year, or
    the season and year in Dutch ('najaar 2013'), else nothing."""
    if meeting["date"]:
        return _dt.date.fromisoformat(meeting["date"])
    if meeting["year"] is None:
        return None
    if meeting["date_precision"] == "season" and meeting["season"]:
        return f"{SEASONS_NL[meeting['season']]} {meeting['year']}"
    return meeting["year"]


def write_workbook(labels: Labels, meetings: Iterable[MeetingRecord], target: str) -> None:
    """The workbook ``target``: sheet "Verslagen" (a row a meeting, its whole verslag
    included), "Personen" (a row a person a meeting) and "Onderwerpen" (each topic of
    the selected meetings and how many it is in)."""
    import xlsxwriter

    meetings = list(meetings)
    texts = [text_cells(verslag_text(m)) for m in meetings]
    extra = max((len(t) for t in texts), default=1) - 1
    if len(COLUMNS) + extra > MAX_COLUMNS:
        longest = meetings[max(range(len(texts)), key=lambda i: len(texts[i]))]["id"]
        raise OutputError(
            N_(
                "the workbook cannot hold the verslag of {id}: it needs {cells} cells of a "
                "row, more than the {limit} a sheet has. Export it as CSV or JSON."
            ),
            id=_quoted(longest),
            cells=_thousands(extra + 1),
            limit=_thousands(MAX_COLUMNS - len(COLUMNS) + 1),
        )  # fmt: skip
    book = xlsxwriter.Workbook(target, OPTIONS)
    try:
        header = book.add_format({"bold": True})
        wrapped = _Cells(book, {"text_wrap": True, "valign": "top"})
        day = book.add_format({"num_format": "yyyy-mm-dd", "valign": "top", "align": "left"})
        top = _Cells(book, {"valign": "top", "align": "left"})
        sheet = book.add_worksheet("Verslagen")
        headers = [*COLUMNS, *[CONTINUED] * extra]
        widths = [*WIDTHS, *[WIDTHS[-1]] * extra]
        rows = []
        for m, text in zip(meetings, texts):
            rows.append(
                [
                    m["id"],
                    date_value(m),
                    _dt.date.fromisoformat(m["end_date"]) if m["end_date"] else None,
                    m["date_inferred"],
                    m["city"],
                    m["title"],
                    "; ".join(m["themes"]),
                    "; ".join(labels.get(t, t) for t in m["topics"]),
                    "; ".join(m["speakers"]),
                    *text,
                ]
            )
        sheet.set_default_row(60)  # a few lines of each verslag; a row grows on demand
        _table(sheet, headers, widths, rows, header, wrapped, {1: day, 2: day})

        people = book.add_worksheet("Personen")
        rows = []
        for m in meetings:
            named = set()
            for p in m["people"]:
                named.add(p["name"])
                rows.append([p["name"], p.get("role"), p.get("organisation"), m["id"]])
            rows += [[name, None, None, m["id"]] for name in m["speakers"] if name not in named]
        if len(rows) >= MAX_ROWS:
            raise OutputError(
                N_(
                    "the workbook cannot hold all the people: {rows} rows, more than the "
                    "{limit} a sheet has. Choose fewer meetings, or export as CSV or JSON."
                ),
                rows=_thousands(len(rows)),
                limit=_thousands(MAX_ROWS - 1),
            )
        _table(
            people, ("name", "role", "organisation", "meeting"), (30, 40, 40, 26), rows, header,
            top, key=3,
        )  # fmt: skip

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


def _refuse_too_long(sheet: Any, column: str, row: list[Any], key: int, value: str) -> None:
    """An OutputError for a value that no cell holds whole (only a verslag's text goes
    on in the next cell)."""
    if len(value) <= CELL_LIMIT // 2 or (size := units(value)) <= CELL_LIMIT:
        return
    raise OutputError(
        N_(
            "the workbook cannot hold the {column} of {row} on sheet {sheet} whole: "
            "{size} characters as Excel counts them, more than the {limit} a cell holds. "
            "Export it as CSV or JSON, which hold any length."
        ),
        column=repr(column),
        row=_quoted(str(row[key])),
        sheet=repr(sheet.name),
        size=_thousands(size),
        limit=_thousands(CELL_LIMIT),
    )  # fmt: skip


def _quoted(value: str) -> str:
    """A value quoted in a message, its first 60 characters where it is longer."""
    return repr(value if len(value) <= 60 else value[:59] + "…")


def _thousands(number: int) -> str:
    """A number with its thousands apart, as the interface's language writes it."""
    from ..i18n import language

    text = f"{number:,}"
    return text.replace(",", ".") if language() == "nl" else text


class _Cells:
    """A cell format, and the same with Excel's quote prefix (for text that would read as
    a formula once edited in Excel)."""

    def __init__(self, book: Any, properties: dict[str, Any]):
        self.plain = book.add_format(properties)
        self.quoted = book.add_format({**properties, "quote_prefix": True})


def _table(
    sheet: Any,
    headers: Sequence[str],
    widths: Sequence[int],
    rows: list[list[Any]],
    header: Any,
    cells: _Cells,
    formats: dict[int, Any] | None = None,
    key: int = 0,
) -> None:
    """A sheet of rows under a frozen, bold header row with an autofilter. Rows are
    written in order, as ``constant_memory`` requires; ``key`` is the column that names
    a row in a message."""
    formats = formats or {}
    cell = cells.plain
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
                _refuse_too_long(sheet, headers[col], row, key, value)
                written = sheet.write_string(
                    r, col, value, cells.quoted if value.startswith(FORMULA_START) else cell
                )
                if written != 0:  # -2: cut; never, the length being checked above
                    raise OutputError(
                        N_("XlsxWriter did not take a value whole ({code})"), code=written
                    )
            elif isinstance(value, bool):
                sheet.write_boolean(r, col, value, cell)
            elif isinstance(value, _dt.date):
                sheet.write_datetime(r, col, value, formats.get(col, cell))
            else:  # a number (a year) is not a date, whatever its column's format
                sheet.write_number(r, col, value, cell)
