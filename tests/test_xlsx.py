"""The Excel workbook, opened with openpyxl: the selected meetings, whole, and only values."""

from __future__ import annotations

import zipfile

import openpyxl
import pytest

from ngs_cli.formats.xlsx import CELL_LIMIT

from .conftest import write
from .process import imported_modules
from .test_data import collection_text, missing_sentences


def export(ngs, tmp_path, *args: str, name: str = "verslagen.xlsx"):
    target = tmp_path / name
    r = ngs("export", "-o", str(target), *args)
    assert r.exit_code == 0, r.stderr
    assert r.stdout == ""
    return openpyxl.load_workbook(target), target


def rows(sheet) -> list[dict]:
    values = list(sheet.iter_rows(values_only=True))
    header = values[0]
    return [dict(zip(header, row)) for row in values[1:]]


def verslag(row: dict, sheet) -> str:
    """The text column and its continuations, joined."""
    header = [c.value for c in sheet[1]]
    cells = [v for h, v in zip(header, row.values()) if h in ("text", "text (continued)")]
    return "".join(v for v in cells if v)


def assert_no_formula(target) -> None:
    book = openpyxl.load_workbook(target)
    for sheet in book:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
    with zipfile.ZipFile(target) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in z.read(name) and b"<f " not in z.read(name), name


def test_the_bundled_verslagen_in_three_sheets(ngs, bundled, tmp_path):
    book, target = export(ngs, tmp_path)
    assert book.sheetnames == ["Verslagen", "Personen", "Onderwerpen"]
    sheet = book["Verslagen"]
    meetings = rows(sheet)
    assert len(meetings) == 18
    for s in book:
        assert s.freeze_panes == "A2", s.title
        assert s.auto_filter.ref == f"A1:{s.cell(1, s.max_column).column_letter}{s.max_row}"
        assert s["A1"].font.b
    assert sheet["J2"].alignment.wrap_text
    by_id = {m["id"]: m for m in meetings}
    nijmegen = by_id["2023-nijmegen"]
    assert nijmegen["date"].date().isoformat() == "2023-03-16"
    assert sheet["B2"].is_date
    assert by_id["2017-emmen"]["date"] == 2017
    assert by_id["2013-eindhoven"]["date"] == "najaar 2013"
    assert by_id["marokkaans-nederlandse-jongeren"]["date"] is None
    # What is known of the date, as the data says it: the last day of a meeting of two,
    # and whether the year was inferred (a real TRUE or FALSE, not text).
    leeuwarden = by_id["2015-leeuwarden"]
    assert leeuwarden["end_date"].date().isoformat() == "2015-11-20"
    assert nijmegen["end_date"] is None and nijmegen["date_inferred"] is False
    assert by_id["2016-amersfoort"]["date_inferred"] is True
    assert "Hubert Bruls" in nijmegen["people"].split("; ")
    people = rows(book["Personen"])
    assert {"name": "Hubert Bruls", "meeting": "2023-nijmegen"}.items() <= next(
        p for p in people if p["name"] == "Hubert Bruls"
    ).items()
    topics = rows(book["Onderwerpen"])
    assert all(t["meetings"] >= 1 for t in topics) and topics[0]["label"]
    assert_no_formula(target)


def test_every_sentence_of_the_source_page_is_in_the_workbook(ngs, bundled, tmp_path):
    book, _ = export(ngs, tmp_path)
    sheet = book["Verslagen"]
    meetings = rows(sheet)
    text = " \n ".join(m["title"] + " \n " + verslag(m, sheet) for m in meetings)
    missing = missing_sentences(text, besides=collection_text())
    assert not missing, f"{len(missing)} sentences missing, e.g. {missing[:5]}"
    # Paragraphs are apart: a blank line between them.
    assert "\n\n" in verslag(meetings[0], sheet)


def test_the_filters_choose_the_rows(ngs, bundled, tmp_path):
    book, _ = export(ngs, tmp_path, "--city", "Utrecht")
    assert {m["city"] for m in rows(book["Verslagen"])} == {"Utrecht"}
    assert {p["meeting"][:4] for p in rows(book["Personen"])} <= {"2015", "2014", "2013"}


def test_a_workbook_needs_a_file(ngs):
    r = ngs("export", "--format", "xlsx")
    assert r.exit_code == 2 and "--output" in r.stderr and r.stdout == ""
    assert ngs("export", "--format", "xlsx", "-o", "-").exit_code == 2


FORMULAS = ['=HYPERLINK("http://x","y")', "+1", "@SUM(1)", "-2+3", "http://example.org"]


def test_data_that_looks_like_a_formula_is_a_value(ngs, mini, tmp_path):
    text = mini.read_text(encoding="utf-8")
    text = text.replace("title: Jeugd en veiligheid", f"title: '{FORMULAS[0]}'")
    text = text.replace("city: Leeuwarden", "city: '+1'")
    text = text.replace("themes: [Jeugd en Veiligheid]", "themes: ['@SUM(1)', '-2+3']")
    text = text.replace("name: Piet Pietersen", "name: 'http://example.org'")
    write(mini, text)
    book, target = export(ngs, tmp_path, "--data", str(mini))
    (row,) = [m for m in rows(book["Verslagen"]) if m["id"].startswith("2019")]
    assert row["title"] == FORMULAS[0] and row["city"] == "+1"
    assert row["themes"] == "@SUM(1); -2+3"
    # Each such cell carries Excel's quote prefix: edited in Excel, it stays text.
    sheet = book["Verslagen"]
    header = [c.value for c in sheet[1]]
    (cells,) = [r for r in sheet.iter_rows(min_row=2) if r[0].value.startswith("2019")]
    by_name = dict(zip(header, cells))
    assert by_name["title"].quotePrefix and by_name["city"].quotePrefix
    assert by_name["themes"].quotePrefix and not by_name["id"].quotePrefix
    assert "http://example.org" in [p["name"] for p in rows(book["Personen"])]
    assert_no_formula(target)
    for sheet in book:
        assert not any(c.hyperlink for r in sheet.iter_rows() for c in r)


LONG = """\
schema_version: 1
collection: {title: Lang}
meetings:
- id: 2020-lang
  title: Een lang verslag
  year: 2020
  date_precision: year
  sections:
  - heading: Alles
    blocks:
"""


def test_a_verslag_longer_than_a_cell_goes_on_in_the_next_cells(ngs, tmp_path):
    paragraph = " ".join(f"Zin nummer {n} van de alinea." for n in range(60))
    paragraphs = [f"{i}: {paragraph}" for i in range(30)]
    data = LONG + "".join(f"    - paragraph: '{p}'\n" for p in paragraphs)
    source = write(tmp_path / "lang.yaml", data)
    expected = "\n\n".join(["Alles", *paragraphs])
    assert len(expected) > 48_000
    book, target = export(ngs, tmp_path, "--data", str(source))
    sheet = book["Verslagen"]
    header = [c.value for c in sheet[1]]
    assert header[9:] == ["text", "text (continued)"]
    (row,) = rows(sheet)
    cells = [c.value for c in sheet[2]][9:]
    assert all(len(c) <= CELL_LIMIT for c in cells)
    # The first piece ends where a paragraph does, not inside a sentence.
    assert cells[0].endswith("van de alinea.\n\n")
    assert verslag(row, sheet) == expected
    assert_no_formula(target)


@pytest.mark.parametrize("command", [["list"], ["export", "--format", "csv"]])
def test_start_up_does_not_import_xlsxwriter(tmp_path, command):
    imported = imported_modules(command, tmp_path)
    assert "xlsxwriter" not in imported and "openpyxl" not in imported


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("a" * 20 + "\n" + "b" * 200, "a" * 20 + "\n"),  # a line break, early in the piece
        ("Een zin. " * 5 + "c" * 200, "Een zin. " * 5),  # the last sentence end
        ("x" * 250, "x" * 100),  # no break at all: cut at the limit
        ("alinea\n\n" + "w " * 60, "alinea\n\n" + "w " * 46),  # the last space, later
    ],
    ids=["line break", "sentence", "no break", "space"],
)
def test_a_long_text_is_cut_where_it_reads_best_and_joins_back(text, first):
    from ngs_cli.formats.xlsx import text_cells

    pieces = text_cells(text, limit=100)
    assert "".join(pieces) == text and all(len(p) <= 100 for p in pieces)
    assert pieces[0] == first


def utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


@pytest.mark.parametrize(
    "paragraph",
    [
        "😀" * 40_000,  # two UTF-16 units each: 80,000 units in 40,000 characters
        "a" * 32_766 + "😀",  # one character short of the limit, one unit over it
        "漢字かな" * 9_000 + "e\u0301" * 9_000,  # CJK, and letters with combining accents
    ],
    ids=["emoji", "one emoji over", "CJK and combining marks"],
)
def test_a_verslag_round_trips_whole_counted_as_excel_counts(ngs, tmp_path, paragraph):
    data = LONG + f"    - paragraph: '{paragraph}'\n"
    source = write(tmp_path / "lang.yaml", data)
    book, _ = export(ngs, tmp_path, "--data", str(source))
    sheet = book["Verslagen"]
    cells = [c.value for c in sheet[2]][9:]  # text, and text (continued) as often as needed
    assert "".join(c for c in cells if c) == "Alles\n\n" + paragraph
    assert all(utf16(c) <= CELL_LIMIT for c in cells if c)
    assert not any(c and c[0] == "\u0301" for c in cells)  # an accent stays with its letter


@pytest.mark.parametrize(
    ("field", "sheet", "column"),
    [
        ("title: '{}'", "Verslagen", "'title'"),
        ("city: '{}'", "Verslagen", "'city'"),
        ("people: [{{name: '{}'}}]", "Verslagen", "'people'"),
        ("people: [{{name: Jan, role: '{}'}}]", "Personen", "'role'"),
    ],
    ids=["title", "city", "a person's name", "a person's role"],
)
def test_a_value_no_cell_holds_is_refused_not_cut(ngs, tmp_path, field, sheet, column):
    value = "Naam 😀 " * 5_000  # 35,000 characters, 40,000 UTF-16 units
    data = LONG.replace("  title: Een lang verslag\n", f"  {field.format(value)}\n", 1)
    if not field.startswith("title"):
        data = data.replace("  year: 2020\n", "  title: Lang\n  year: 2020\n", 1)
    data += "    - paragraph: 'Tekst.'\n"
    source = write(tmp_path / "lang.yaml", data)
    target = write(tmp_path / "verslagen.xlsx", "mine")
    r = ngs("export", "--data", str(source), "-o", str(target))
    assert r.exit_code == 1, r.stdout
    assert f"sheet '{sheet}'" in r.stderr and "40,000 characters" in r.stderr, r.stderr
    assert f"the {column} of '2020-lang'" in r.stderr
    assert target.read_text() == "mine"  # the file that was there is kept
    r = ngs("export", "--data", str(source), "-o", str(target), env={"LANGUAGE": "nl"})
    assert r.exit_code == 1 and "40.000 tekens" in r.stderr and "32.767" in r.stderr


@pytest.mark.parametrize(
    "cluster",
    ["e\u0301\u0302", "\u2764\ufe0f", "\U0001f1f3\U0001f1f1", "\U0001f44d\U0001f3fd",
     "\U0001f469\u200d\U0001f469\u200d\U0001f467"],
    ids=["accents", "variation", "flag", "skin tone", "joined family"],
)  # fmt: skip
def test_a_cell_never_ends_inside_what_a_reader_sees_as_one_character(cluster):
    from ngs_cli.formats.xlsx import text_cells, units

    for before in range(1, 12):
        text = "x" * before + cluster + "y" * 30
        pieces = text_cells(text, limit=12)
        assert "".join(pieces) == text and all(units(p) <= 12 for p in pieces)
        assert any(cluster in p for p in pieces), (before, pieces)


def test_a_verslag_of_accents_on_one_letter_is_cut_where_it_must_be(ngs, tmp_path):
    # 70,000 combining accents on one letter: no place between characters a reader sees
    # is near, so a cell ends where it must, and the workbook is written (it took minutes
    # and failed, a cell a character).
    paragraph = "x" + "\u0301" * 70_000
    source = write(tmp_path / "lang.yaml", LONG + f"    - paragraph: '{paragraph}'\n")
    book, _ = export(ngs, tmp_path, "--data", str(source))
    cells = [c.value for c in book["Verslagen"][2]][9:]
    assert "".join(c for c in cells if c) == "Alles\n\n" + paragraph and len(cells) <= 4


def test_a_sheet_too_small_for_the_people_is_refused_with_its_limit(ngs, mini, monkeypatch):
    from ngs_cli.formats import xlsx

    monkeypatch.setattr(xlsx, "MAX_ROWS", 3)
    target = mini.parent / "verslagen.xlsx"
    r = ngs("export", "--data", str(mini), "-o", str(target))
    assert r.exit_code == 1 and "cannot hold all the people" in r.stderr, r.stderr
    assert "more than the 2 a sheet has" in r.stderr and not target.exists()
    monkeypatch.setattr(xlsx, "MAX_ROWS", 1_048_576)
    monkeypatch.setattr(xlsx, "MAX_COLUMNS", 20)
    monkeypatch.setattr(xlsx, "text_cells", list)  # a character a cell
    r = ngs("export", "--data", str(mini), "-o", str(target))
    assert r.exit_code == 1 and "cannot hold the verslag of" in r.stderr, r.stderr
