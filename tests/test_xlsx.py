"""The Excel workbook, opened with openpyxl: the selected meetings, whole, and only values."""

from __future__ import annotations

import shutil
import subprocess
import zipfile

import openpyxl
import pytest

from ngs_cli.formats.xlsx import ROW_TEXT

from .conftest import write
from .process import imported_modules
from .test_data import collection_text, missing_sentences, sentences, source_units


def export(ngs, tmp_path, *args: str, name: str = "verslagen.xlsx", env=None):
    target = tmp_path / name
    r = ngs("export", "-o", str(target), *args, env=env)
    assert r.exit_code == 0, r.stderr
    assert r.stdout == ""
    return openpyxl.load_workbook(target), target


def rows(sheet) -> list[dict]:
    values = list(sheet.iter_rows(values_only=True))
    header = values[0]
    return [dict(zip(header, row)) for row in values[1:]]


def verslag(book, meeting: str, sheet: str = "Text") -> str:
    """The text of one meeting's verslag, its rows joined."""
    return "".join(r["Text"] for r in rows(book[sheet]) if r["Meeting"] == meeting and r["Text"])


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


def test_the_bundled_verslagen_in_four_sheets(ngs, bundled, tmp_path):
    book, target = export(ngs, tmp_path)
    assert book.sheetnames == ["Meetings", "Text", "People", "Topics"]
    sheet = book["Meetings"]
    meetings = rows(sheet)
    assert len(meetings) == 18
    for s in book:
        assert s.freeze_panes == "A2", s.title
        assert s.auto_filter.ref == f"A1:{s.cell(1, s.max_column).column_letter}{s.max_row}"
        assert s["A1"].font.b
        # Printed: landscape on A4, as wide as the page, the header on every page.
        assert s.page_setup.orientation == "landscape" and s.page_setup.paperSize == 9
        assert s.sheet_properties.pageSetUpPr.fitToPage  # one page wide (1: the default)
        assert s.page_setup.fitToWidth in (None, 1)
        assert s.page_setup.fitToHeight == 0 and s.print_title_rows == "$1:$1"
        # Each row as tall as its text needs (neither Excel nor LibreOffice fits it).
        assert all(s.row_dimensions[r].height for r in range(1, s.max_row + 1)), s.title
    assert sheet["H2"].alignment.wrap_text
    assert list(meetings[0]) == ["Id", "Date", "End date", "Date in words", "Year", "Year inferred",
                                 "City", "Title", "Themes", "Topics", "People"]  # fmt: skip
    by_id = {m["Id"]: m for m in meetings}
    nijmegen = by_id["2023-nijmegen"]
    assert nijmegen["Date"].date().isoformat() == "2023-03-16"
    assert nijmegen["Date in words"] == "2023-03-16" and nijmegen["Year"] == 2023
    assert sheet["B2"].is_date
    # The date column holds real dates only: where the day is unknown, it is empty, and
    # the date in words and the year say what is known.
    emmen, eindhoven = by_id["2017-emmen"], by_id["2013-eindhoven"]
    assert emmen["Date"] is None and emmen["Year"] == 2017 and emmen["Date in words"] == "2017"
    assert eindhoven["Date"] is None and eindhoven["Date in words"] == "autumn 2013"
    unknown = by_id["marokkaans-nederlandse-jongeren"]
    assert unknown["Date"] is None and unknown["Year"] is None
    # Sorting the date column sorts by date: every value in it is a date.
    dates = [m["Date"] for m in meetings if m["Date"] is not None]
    assert len(dates) == 14 and sorted(dates) == dates[::-1]
    # What is known of the date, as the data says it: the last day of a meeting of two,
    # and whether the year was inferred (a real TRUE or FALSE, not text).
    leeuwarden = by_id["2015-leeuwarden"]
    assert leeuwarden["End date"].date().isoformat() == "2015-11-20"
    assert nijmegen["End date"] is None and nijmegen["Year inferred"] is False
    assert by_id["2016-amersfoort"]["Year inferred"] is True
    assert "Hubert Bruls" in nijmegen["People"].split("; ")
    people = rows(book["People"])
    assert {"Name": "Hubert Bruls", "Meeting": "2023-nijmegen"}.items() <= next(
        p for p in people if p["Name"] == "Hubert Bruls"
    ).items()
    topics = rows(book["Topics"])
    assert all(t["Meetings"] >= 1 for t in topics) and topics[0]["Label"]
    assert_no_formula(target)


def test_the_text_a_row_a_paragraph_or_item_under_its_heading(ngs, bundled, tmp_path):
    book, _ = export(ngs, tmp_path)
    text = rows(book["Text"])
    assert list(text[0]) == ["Meeting", "Date", "Year", "City", "Heading", "Text"]
    nijmegen = [r for r in text if r["Meeting"] == "2023-nijmegen"]
    assert nijmegen[0]["Date"].date().isoformat() == "2023-03-16"
    assert {r["City"] for r in nijmegen} == {"Nijmegen"} and {r["Year"] for r in nijmegen} == {2023}
    programme = [r["Text"] for r in nijmegen if r["Heading"] == "Programma"]
    assert programme[0].startswith("• Welkomstvoorwoord door dagvoorzitter")
    assert any(r["Text"].startswith("1. De noodzaak") for r in nijmegen)
    assert all(r["Text"] or r["Heading"] for r in text)
    # The meetings in the order of the first sheet.
    order = list(dict.fromkeys(r["Meeting"] for r in text))
    assert order == [m["Id"] for m in rows(book["Meetings"])]


def test_sheet_names_and_headers_in_the_readers_language(ngs, bundled, tmp_path):
    book, _ = export(ngs, tmp_path, env={"LANGUAGE": "nl"})
    assert book.sheetnames == ["Verslagen", "Tekst", "Sprekers", "Onderwerpen"]
    meetings = rows(book["Verslagen"])
    assert list(meetings[0])[:6] == ["Id", "Datum", "Einddatum", "Datum in woorden", "Jaar",
                                    "Jaar afgeleid"]  # fmt: skip
    by_id = {m["Id"]: m for m in meetings}
    assert by_id["2013-eindhoven"]["Datum in woorden"] == "najaar 2013"
    assert by_id["2015-leeuwarden"]["Datum in woorden"] == "19–20 november 2015"
    assert list(rows(book["Tekst"])[0]) == ["Verslag", "Datum", "Jaar", "Stad", "Kop", "Tekst"]
    assert list(rows(book["Sprekers"])[0]) == ["Naam", "Rol", "Organisatie", "Verslag"]
    # A boolean shows as Dutch spreadsheets name it.
    assert book["Verslagen"]["F2"].number_format == '"WAAR";"WAAR";"ONWAAR"'


def test_every_sentence_of_the_source_page_is_in_the_workbook(ngs, bundled, tmp_path):
    book, _ = export(ngs, tmp_path)
    titles = [m["Title"] for m in rows(book["Meetings"])]
    blocks = [f"{r['Heading'] or ''} \n {r['Text'] or ''}" for r in rows(book["Text"])]
    missing = missing_sentences(" \n ".join(titles + blocks), besides=collection_text())
    assert not missing, f"{len(missing)} sentences missing, e.g. {missing[:5]}"


def _words_by_column(bbox: str, headers: set[str]) -> str:
    """The words of a PDF (``pdftotext -bbox``), page by page and column by column, each
    column's words in reading order; the columns are found by the header row each
    printed page repeats."""
    import html
    import re

    word = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" [^>]*>([^<]*)</word>')
    out = []
    for page in bbox.split("<page ")[1:]:
        words = [(float(x), float(y), html.unescape(w)) for x, y, w in word.findall(page)]
        if not words:
            continue
        top = min(y for _x, y, _w in words)
        starts = sorted(x for x, y, w in words if abs(y - top) < 2 and w in headers)
        columns: dict[int, list[tuple[float, float, str]]] = {}
        for x, y, w in words:
            at = max((i for i, start in enumerate(starts) if start <= x + 0.5), default=0)
            columns.setdefault(at, []).append((x, y, w))
        for at in sorted(columns):
            out.append(
                " ".join(w for _x, _y, w in sorted(columns[at], key=lambda c: (round(c[1]), c[0])))
            )
    return "\n".join(out)


@pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None,
    reason="LibreOffice or pdftotext is not installed (apt-get install libreoffice-calc "
    "poppler-utils)",
)
def test_the_workbook_printed_by_libreoffice_shows_every_verslag_whole(ngs, bundled, tmp_path):
    """The workbook as LibreOffice prints it to PDF, read as a reader sees it: the
    verslagen whole (a row cut short would hide its last lines: with rows of one line,
    44 of the page's sentences are lost), the headers Dutch."""
    _, target = export(ngs, tmp_path, env={"LANGUAGE": "nl"})
    home = tmp_path / "lo-home"
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{home}", "--headless", "--convert-to",
         "pdf", "--outdir", str(tmp_path), str(target)],
        check=True, capture_output=True, timeout=240,
    )  # fmt: skip
    bbox = subprocess.run(
        ["pdftotext", "-bbox", str(tmp_path / "verslagen.pdf"), "-"],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    headers = {"Id", "Datum", "Einddatum", "Jaar", "Stad", "Titel", "Thema’s", "Onderwerpen",
               "Sprekers", "Verslag", "Kop", "Tekst", "Naam", "Rol", "Organisatie",
               "Onderwerp", "Verslagen"}  # fmt: skip
    text = _words_by_column(bbox, headers)
    total = sum(len(sentences(unit)) for unit in source_units())
    missing = missing_sentences(text, besides=collection_text())
    assert not missing, f"{len(missing)} of {total} missing: {missing[:5]}"
    assert "Datum in woorden" in text and "Jaar afgeleid" in text and "ONWAAR" in text


def test_the_filters_choose_the_rows(ngs, bundled, tmp_path):
    book, _ = export(ngs, tmp_path, "--city", "Utrecht")
    assert {m["City"] for m in rows(book["Meetings"])} == {"Utrecht"}
    assert {r["City"] for r in rows(book["Text"])} == {"Utrecht"}
    assert {p["Meeting"][:4] for p in rows(book["People"])} <= {"2015", "2014", "2013"}


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
    (row,) = [m for m in rows(book["Meetings"]) if m["Id"].startswith("2019")]
    assert row["Title"] == FORMULAS[0] and row["City"] == "+1"
    assert row["Themes"] == "@SUM(1); -2+3"
    # Each such cell carries Excel's quote prefix: edited in Excel, it stays text.
    sheet = book["Meetings"]
    header = [c.value for c in sheet[1]]
    (cells,) = [r for r in sheet.iter_rows(min_row=2) if r[0].value.startswith("2019")]
    by_name = dict(zip(header, cells))
    assert by_name["Title"].quotePrefix and by_name["City"].quotePrefix
    assert by_name["Themes"].quotePrefix and not by_name["Id"].quotePrefix
    assert "http://example.org" in [p["Name"] for p in rows(book["People"])]
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


def test_a_paragraph_longer_than_a_row_goes_on_in_the_rows_below(ngs, tmp_path):
    paragraph = " ".join(f"Zin nummer {n} van de alinea." for n in range(100))
    paragraphs = [f"{i}: {paragraph}" for i in range(30)]
    assert ROW_TEXT < len(paragraphs[0]) < 2 * ROW_TEXT
    data = LONG + "".join(f"    - paragraph: '{p}'\n" for p in paragraphs)
    source = write(tmp_path / "lang.yaml", data)
    book, target = export(ngs, tmp_path, "--data", str(source))
    text = rows(book["Text"])
    assert all(r["Heading"] == "Alles" and r["Meeting"] == "2020-lang" for r in text)
    assert all(len(r["Text"]) <= ROW_TEXT for r in text) and len(text) == 60
    # Each piece ends where a sentence does; the pieces join back to the paragraphs.
    assert all(r["Text"].endswith("van de alinea.") for r in text[1::2])
    assert text[0]["Text"].endswith("van de alinea. ")
    assert verslag(book, "2020-lang") == "".join(paragraphs)
    assert all(book["Text"].row_dimensions[r].height < 409 for r in range(2, 62))
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
    cells = [r["Text"] for r in rows(book["Text"])]
    assert "".join(cells) == paragraph
    assert all(utf16(c) <= ROW_TEXT for c in cells)
    assert not any(c[0] == "\u0301" for c in cells)  # an accent stays with its letter


@pytest.mark.parametrize(
    ("field", "sheet", "column"),
    [
        ("title: '{}'", "Meetings", "'Title'"),
        ("city: '{}'", "Meetings", "'City'"),
        ("people: [{{name: '{}'}}]", "Meetings", "'People'"),
        ("people: [{{name: Jan, role: '{}'}}]", "People", "'Role'"),
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
     "\U0001f469\u200d\U0001f469\u200d\U0001f467", "\u1100\u116e\u11a8", "\uac00\u11a8",
     "\r\n"],
    ids=["accents", "variation", "flag", "skin tone", "joined family",
         "Korean letters", "Korean syllable and final", "CR LF"],
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
    cells = [r["Text"] for r in rows(book["Text"])]
    assert "".join(cells) == paragraph and len(cells) <= 80


def test_a_sheet_too_small_for_the_people_is_refused_with_its_limit(ngs, mini, monkeypatch):
    from ngs_cli.formats import xlsx

    monkeypatch.setattr(xlsx, "MAX_ROWS", 3)
    target = mini.parent / "verslagen.xlsx"
    r = ngs("export", "--data", str(mini), "-o", str(target))
    assert r.exit_code == 1 and "cannot hold all the people" in r.stderr, r.stderr
    assert "more than the 2 a sheet has" in r.stderr and not target.exists()
    monkeypatch.setattr(xlsx, "MAX_ROWS", 6)  # the people fit; the text does not
    r = ngs("export", "--data", str(mini), "-o", str(target))
    assert r.exit_code == 1 and "cannot hold the sheet 'Text'" in r.stderr, r.stderr
    assert "more than the 5 rows a sheet has" in r.stderr and not target.exists()


def test_a_section_without_heading_is_under_none_not_the_heading_before(ngs, mini, tmp_path):
    text = mini.read_text(encoding="utf-8").replace(
        "    - paragraph: De nationale politie zet extra capaciteit in.\n",
        "    - paragraph: De nationale politie zet extra capaciteit in.\n"
        "  - blocks:\n"
        "    - paragraph: Een alinea zonder kopje.\n",
    )
    mini.write_text(text, encoding="utf-8")
    target = tmp_path / "v.xlsx"
    assert ngs("export", "--data", str(mini), "-o", str(target)).exit_code == 0
    book = openpyxl.load_workbook(target)
    found = {r["Text"]: r["Heading"] for r in rows(book["Text"])}
    assert found["Een alinea zonder kopje."] is None
    assert found["De nationale politie zet extra capaciteit in."] == "Jaarwisseling"


@pytest.mark.parametrize(
    ("text", "lines"),
    [("z" * 400, 4), ("Zie " + "z" * 400, 5), ("x" * 100, 1), ("x" * 101, 2),
     ("aa " * 50, 17), ("een\ntwee", 2)],
)  # fmt: skip
def test_a_row_is_as_tall_as_its_text_wrapped_a_word_without_spaces_too(text, lines):
    from ngs_cli.formats.xlsx import _lines

    assert _lines(text, 10 if text.startswith("aa") else 100) == lines
