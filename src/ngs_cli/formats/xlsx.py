"""An Excel workbook (XlsxWriter) of the meetings the filters select, to read, filter,
sort and print: a sheet of the meetings (a row each), one of their text (a row a
paragraph or list item, under its meeting, date, city and heading), one of their people
and one of their topics. Sheet names and headers are in the reader's language: the
workbook is a document (CSV and JSON stay the scripts' formats).

Every cell is written as a value: XlsxWriter is told never to read a string as a formula,
a link or a number, and each string goes through ``write_string``, so data that starts
with ``=``, ``+``, ``-`` or ``@`` stays text; such a cell also carries Excel's quote
prefix, so that editing it in Excel keeps it text. A paragraph longer than a row shows
on screen and on paper goes on in the rows below it, never cut, each piece ending at a
sentence where one is near; any other value too long for a cell is refused with a
message, never cut. Lengths are counted as Excel counts them, in UTF-16 code units (an
emoji is two). Every sheet prints landscape, as wide as the page, its header row on
every page.
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from ..calendar import in_words
from ..errors import OutputError
from ..i18n import N_
from ..verslag import text_places
from .csv import FORMULA_START

if TYPE_CHECKING:
    from ..model import MeetingRecord
    from ..summary import Labels
    from . import Job

CELL_LIMIT = 32_767  # Excel's longest text in one cell, in UTF-16 code units
# The longest piece of text a row of the text sheet holds: about 25 lines of its column,
# within the 409 points Excel lets a row grow to, so a row is never cut on screen or paper.
ROW_TEXT = 2_000
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")  # two UTF-16 code units each
OPTIONS = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "constant_memory": True,
}


class _Column:
    """A column of a sheet: its key, its header in each language, its width, its kind
    ("text", "date", "number", "boolean")."""

    __slots__ = ("en", "key", "kind", "nl", "width")

    def __init__(self, key: str, nl: str, en: str, width: int, kind: str = "text"):
        self.key, self.nl, self.en, self.width, self.kind = key, nl, en, width, kind


# Each sheet: its name in each language, and its columns.
SHEETS: dict[str, tuple[str, str, tuple[_Column, ...]]] = {
    "meetings": ("Verslagen", "Meetings", (
        _Column("id", "Id", "Id", 24),
        _Column("date", "Datum", "Date", 11, "date"),  # a date, where the day is known
        _Column("end_date", "Einddatum", "End date", 11, "date"),  # a meeting of days
        _Column("when", "Datum in woorden", "Date in words", 18),  # as far as it is known
        _Column("year", "Jaar", "Year", 7, "number"),
        _Column("date_inferred", "Jaar afgeleid", "Year inferred", 9, "boolean"),
        _Column("city", "Stad", "City", 14),
        _Column("title", "Titel", "Title", 40),
        _Column("themes", "Thema’s", "Themes", 30),
        _Column("topics", "Onderwerpen", "Topics", 30),
        _Column("people", "Sprekers", "People", 40),
    )),
    "text": ("Tekst", "Text", (
        _Column("meeting", "Verslag", "Meeting", 24),
        _Column("date", "Datum", "Date", 11, "date"),
        _Column("year", "Jaar", "Year", 7, "number"),
        _Column("city", "Stad", "City", 14),
        _Column("heading", "Kop", "Heading", 28),
        _Column("text", "Tekst", "Text", 100),
    )),
    "people": ("Sprekers", "People", (
        _Column("name", "Naam", "Name", 30),
        _Column("role", "Rol", "Role", 40),
        _Column("organisation", "Organisatie", "Organisation", 40),
        _Column("meeting", "Verslag", "Meeting", 24),
    )),
    "topics": ("Onderwerpen", "Topics", (
        _Column("topic", "Onderwerp", "Topic", 30),
        _Column("label", "Naam", "Label", 40),
        _Column("meetings", "Verslagen", "Meetings", 10, "number"),
    )),
}  # fmt: skip
# A real TRUE or FALSE, shown as the reader's spreadsheet names it (LibreOffice shows a
# boolean as the number format says).
_BOOLEAN = {"nl": '"WAAR";"WAAR";"ONWAAR"', "en": '"TRUE";"TRUE";"FALSE"'}


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
MAX_ROWS = 1_048_576


def _joined(text: str, index: int) -> bool:
    """Whether the characters before and at ``index`` belong to one character a reader
    sees (a letter and its accents, an emoji with a joiner, variation or skin tone, a
    flag's two letters, a Korean syllable's letters, "\r\n"), so that a cell must not end
    between them."""
    char, before = text[index], text[index - 1]
    if unicodedata.category(char)[0] == "M" or "\u200d" in (char, before):
        return True
    if before == "\r" and char == "\n":
        return True
    code = ord(char)
    jamo, jamo_before = _hangul(code), _hangul(ord(before))
    if jamo and jamo_before and jamo in _HANGUL_AFTER[jamo_before]:
        return True
    if 0xFE00 <= code <= 0xFE0F or 0x1F3FB <= code <= 0x1F3FF or 0xE0020 <= code <= 0xE007F:
        return True
    if code in _RI and ord(before) in _RI:
        run = 0  # the flag's second letter if an odd number of indicators comes before
        while index - run - 1 >= 0 and ord(text[index - run - 1]) in _RI:
            run += 1
        return run % 2 == 1
    return False


# Unicode's rules for a Korean syllable written in its letters (UAX #29, GB6 to GB8): a
# leading consonant (L) goes on with a vowel or a syllable, a vowel (V) or a syllable
# without a final (LV) with a vowel or a final (T), a final or a whole syllable with a final.
_HANGUL_AFTER = {"L": {"L", "V", "LV", "LVT"}, "V": {"V", "T"}, "LV": {"V", "T"},
                 "T": {"T"}, "LVT": {"T"}}  # fmt: skip


def _hangul(code: int) -> str | None:
    """The kind of a Korean letter or syllable (L, V, T, LV, LVT), else None."""
    if 0xAC00 <= code <= 0xD7A3:
        return "LV" if (code - 0xAC00) % 28 == 0 else "LVT"
    if 0x1100 <= code <= 0x115F or 0xA960 <= code <= 0xA97C:
        return "L"
    if 0x1160 <= code <= 0x11A7 or 0xD7B0 <= code <= 0xD7C6:
        return "V"
    if 0x11A8 <= code <= 0x11FF or 0xD7CB <= code <= 0xD7FB:
        return "T"
    return None


def _fitting(text: str, start: int, limit: int) -> int:
    """Where the longest piece of ``text`` from ``start`` within ``limit`` UTF-16 units
    ends."""
    end = min(len(text), start + limit)
    while (over := units(text[start:end]) - limit) > 0:
        end -= (over + 1) // 2  # a character is one unit or two: never too many
    return end


def _day(value: str | None) -> _dt.date | None:
    return _dt.date.fromisoformat(value) if value else None


def _meeting_row(meeting: MeetingRecord, labels: Labels, lang: str) -> dict[str, Any]:
    return {
        "id": meeting["id"],
        "date": _day(meeting["date"]),
        "end_date": _day(meeting["end_date"]),
        "when": in_words(meeting, lang),
        "year": meeting["year"],
        "date_inferred": meeting["date_inferred"],
        "city": meeting["city"],
        "title": meeting["title"],
        "themes": "; ".join(meeting["themes"]),
        "topics": "; ".join(labels.get(t, t) for t in meeting["topics"]),
        "people": "; ".join(meeting["speakers"]),
    }


_ITEM = re.compile(r"\.(bullets|numbered)\[(\d+)\](?:\.text)?$")


def _text_rows(meeting: MeetingRecord) -> Iterator[dict[str, Any]]:
    """A row a paragraph or list item of the verslag (an item marked as the page marks
    it, a nested one indented), under its section's heading; a paragraph longer than
    ROW_TEXT goes on in the rows below; a heading over no text is a row of its own."""
    about = {"meeting": meeting["id"], "date": _day(meeting["date"]),
             "year": meeting["year"], "city": meeting["city"]}  # fmt: skip
    heading, shown, section = None, True, None
    for place, text in text_places(meeting):
        if section is None or not place.startswith(section):  # a section begins
            if not shown:
                yield {**about, "heading": heading, "text": None}
            section, heading, shown = place.split(".", 1)[0] + ".", None, True
        if place.endswith(".heading"):
            heading, shown = text, False
            continue
        item = _ITEM.search(place)
        if item is not None:
            mark = "•" if item[1] == "bullets" else f"{int(item[2]) + 1}."
            nested = place.count("bullets[") + place.count("numbered[") > 1
            text = f"{'    ' if nested else ''}{mark} {text}"
        for piece in text_cells(text, ROW_TEXT):
            yield {**about, "heading": heading, "text": piece}
        shown = True
    if not shown:
        yield {**about, "heading": heading, "text": None}


def write(target: str, job: Job) -> None:
    """The job's meetings, whole, as the workbook ``target`` in the job's language."""
    write_workbook(job.labels, job.meetings, target, job.language)


def write_workbook(
    labels: Labels, meetings: Iterable[MeetingRecord], target: str, lang: str | None = None
) -> None:
    """The workbook ``target``, in ``lang`` ("nl" or "en"; None: the interface's
    language): the sheets of ``SHEETS``, of the meetings given."""
    import xlsxwriter

    from ..i18n import language

    lang = lang or language()
    meetings = list(meetings)
    people: list[dict[str, Any]] = []
    counts: dict[str, int] = {}
    for m in meetings:
        named = set()
        for p in m["people"]:
            named.add(p["name"])
            people.append({"name": p["name"], "role": p.get("role"),
                           "organisation": p.get("organisation"), "meeting": m["id"]})  # fmt: skip
        people += [
            {"name": name, "meeting": m["id"]} for name in m["speakers"] if name not in named
        ]
        for t in m["topics"]:
            counts[t] = counts.get(t, 0) + 1
    if len(people) >= MAX_ROWS:
        raise OutputError(
            N_(
                "the workbook cannot hold all the people: {rows} rows, more than the "
                "{limit} a sheet has. Choose fewer meetings, or export as CSV or JSON."
            ),
            rows=_thousands(len(people)),
            limit=_thousands(MAX_ROWS - 1),
        )
    order = sorted(counts, key=lambda t: (-counts[t], labels.get(t, t).lower()))
    book = _Book(xlsxwriter.Workbook(target, OPTIONS), lang)
    try:
        book.sheet("meetings", "id", (_meeting_row(m, labels, lang) for m in meetings))
        book.sheet("text", "meeting", (row for m in meetings for row in _text_rows(m)))
        book.sheet("people", "meeting", people)
        book.sheet(
            "topics", "topic",
            ({"topic": t, "label": labels.get(t, t), "meetings": counts[t]} for t in order),
        )  # fmt: skip
    finally:
        book.book.close()


class _Book:
    """The workbook being written, its cell formats, and its language."""

    def __init__(self, book: Any, lang: str):
        self.book, self.lang = book, lang
        self.header = book.add_format({"bold": True, "valign": "top", "text_wrap": True,
                                       "bottom": 1})  # fmt: skip
        top = {"valign": "top", "align": "left", "text_wrap": True}
        self.formats = {
            "text": book.add_format(top),
            "quoted": book.add_format({**top, "quote_prefix": True}),
            "date": book.add_format({**top, "num_format": "yyyy-mm-dd"}),
            "number": book.add_format({**top, "num_format": "0"}),
            "boolean": book.add_format({**top, "num_format": _BOOLEAN[lang]}),
        }

    def sheet(self, name: str, key: str, rows: Iterable[dict[str, Any]]) -> None:
        """A sheet of ``rows`` (by column key) under a frozen, bold header row with an
        autofilter, set up to print. Rows are written in order, as ``constant_memory``
        requires; the column ``key`` names a row in a message."""
        nl, en, columns = SHEETS[name]
        sheet = self.book.add_worksheet(nl if self.lang == "nl" else en)
        for col, column in enumerate(columns):
            sheet.set_column(col, col, column.width, self.formats[column.kind])
        sheet.freeze_panes(1, 0)
        sheet.set_landscape()
        sheet.set_paper(9)  # A4
        sheet.fit_to_pages(1, 0)  # as wide as the page, as long as it takes
        sheet.repeat_rows(0)
        sheet.hide_gridlines(0)  # the cells' lines, on paper too
        sheet.set_footer("&L&A&R&P / &N")
        names = {c.key: c.nl if self.lang == "nl" else c.en for c in columns}
        sheet.set_row(0, _height(names, columns))
        for col, column in enumerate(columns):
            sheet.write_string(0, col, names[column.key], self.header)
        r = 0
        for r, row in enumerate(rows, 1):
            if r >= MAX_ROWS:
                raise OutputError(
                    N_(
                        "the workbook cannot hold the sheet {sheet}: more than the {limit} "
                        "rows a sheet has. Choose fewer meetings, or export as CSV or JSON."
                    ),
                    sheet=repr(sheet.name),
                    limit=_thousands(MAX_ROWS - 1),
                )
            sheet.set_row(r, _height(row, columns))
            for col, column in enumerate(columns):
                self._write(sheet, r, col, column, row.get(column.key), row[key])
        sheet.autofilter(0, 0, max(r, 1), len(columns) - 1)

    def _write(self, sheet: Any, r: int, col: int, column: _Column, value: Any, key: str) -> None:
        if value is None:
            return
        if isinstance(value, str):
            _refuse_too_long(sheet, column.nl if self.lang == "nl" else column.en, key, value)
            quoted = value.startswith(FORMULA_START)
            written = sheet.write_string(
                r, col, value, self.formats["quoted" if quoted else "text"]
            )
            if written != 0:  # -2: cut; never, the length being checked above
                raise OutputError(
                    N_("XlsxWriter did not take a value whole ({code})"), code=written
                )
        elif isinstance(value, bool):
            sheet.write_boolean(r, col, value, self.formats["boolean"])
        elif isinstance(value, _dt.date):
            sheet.write_datetime(r, col, value, self.formats["date"])
        else:
            sheet.write_number(r, col, value, self.formats["number"])


_LINE = 15  # points a line of the default font (Calibri 11) takes
_TALLEST = 409  # points: the most Excel lets a row grow to


def _height(row: dict[str, Any], columns: tuple[_Column, ...]) -> float:
    """The height in points that shows the row's tallest cell whole, its text wrapped at
    the column's width. Neither Excel nor LibreOffice fits a row to its text when they
    open a file, so the rows are given the height their text takes, counted a little
    generously (a column of width w holds about 1.1 w characters of text a line)."""
    lines = 1
    for column in columns:
        value = row.get(column.key)
        if isinstance(value, str) and len(value) > column.width:
            lines = max(lines, _lines(value, int(column.width * 1.1)))
    return min(_TALLEST, lines * _LINE + 2)


def _lines(text: str, width: int) -> int:
    """How many lines ``text`` takes wrapped at ``width`` characters, a word kept whole
    where it fits on a line."""
    count = 0
    for part in text.split("\n"):
        count += 1
        used = 0
        for word in part.split(" "):
            size = len(word) + (used > 0)
            if used and used + size > width:
                count += 1
                used, size = 0, len(word)
            used += size
            if used > width:  # a word longer than a line goes on in the lines below
                count += (used - 1) // width
                used = used % width or width
    return count


def _refuse_too_long(sheet: Any, column: str, key: str, value: str) -> None:
    """An OutputError for a value that no cell holds whole (a verslag's text goes on in
    the rows below, and is never this long)."""
    if len(value) <= CELL_LIMIT // 2 or (size := units(value)) <= CELL_LIMIT:
        return
    raise OutputError(
        N_(
            "the workbook cannot hold the {column} of {row} on sheet {sheet} whole: "
            "{size} characters as Excel counts them, more than the {limit} a cell holds. "
            "Export it as CSV or JSON, which hold any length."
        ),
        column=repr(column),
        row=_quoted(str(key)),
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
