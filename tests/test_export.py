"""Writers: CSV (plain and for Excel), JSON and Markdown, against expected files."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess

import pytest

from ngs_cli import dataset, export
from ngs_cli.query import find_meetings

from .conftest import FIXTURES


@pytest.fixture
def ds():
    return dataset.load(use_cache=False)


def written(writer, *args, **kwargs) -> str:
    stream = io.StringIO(newline="")
    writer(stream, *args, **kwargs)
    return stream.getvalue()


def expected(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def test_csv_matches_expected_file(ds):
    assert written(export.write_csv, find_meetings(ds)) == expected("export.csv").replace(
        "\n", "\r\n"
    ).replace("\r\r\n", "\r\n")


def test_excel_csv_matches_expected_file(ds):
    assert written(export.write_csv, find_meetings(ds), excel=True) == expected(
        "export-excel.csv"
    ).replace("\n", "\r\n").replace("\r\r\n", "\r\n")


def test_markdown_matches_expected_file(ds):
    assert written(export.write_markdown, ds, find_meetings(ds)) == expected("export.md")


def test_list_json_matches_expected_file(ds):
    assert json.loads(written(export.write_summaries_json, find_meetings(ds))) == json.loads(
        expected("list.json")
    )


def test_csv_is_rfc4180_with_header_and_joined_lists(ds):
    text = written(export.write_csv, find_meetings(ds))
    assert text.endswith("\r\n")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["id"] for r in rows] == [
        "2021-utrecht",
        "2021-online",
        "2019-leeuwarden",
        "onbekend-jaar",
    ]
    assert rows[0]["people"] == "Anna de Vries; Jan Jansen"


def test_excel_csv_neutralises_formulas_but_plain_csv_keeps_data_exact(ds):
    meeting = dict(find_meetings(ds)[0])
    for start in ("=", "+", "-", "@", "\t", "\r"):
        meeting["title"] = f'{start}HYPERLINK("http://evil")'
        plain = list(csv.reader(io.StringIO(written(export.write_csv, [meeting]))))
        assert plain[1][9] == meeting["title"]
        excel = written(export.write_csv, [meeting], excel=True)
        assert excel.startswith("\ufeff")
        rows = list(csv.reader(io.StringIO(excel.lstrip("\ufeff")), delimiter=";"))
        assert rows[1][9] == "'" + meeting["title"]


def test_json_contract_fields(ds):
    rows = json.loads(written(export.write_summaries_json, find_meetings(ds)))
    for row in rows:
        assert {"id", "date", "year", "city", "title", "themes", "topics"} <= row.keys()
        assert row["date"] is None or len(row["date"]) == 10
        assert row["year"] is None or isinstance(row["year"], int)


def test_markdown_text_cannot_make_headings_tables_or_links():
    for evil in (
        "# Kop",
        "## Kop",
        "a | b",
        "[klik](http://x)",
        "<script>x</script>",
        "1. lijst",
        "- lijst",
        "===",
        "`code`",
        "*nadruk*",
    ):
        text = export.md_text(evil)
        assert not text.startswith(("#", "-", "=", "1.")), text
        assert "|" not in text.replace("\\|", ""), text
        assert "<" not in text.replace("\\<", ""), text
        assert "[" not in text.replace("\\[", ""), text


def test_markdown_table_survives_a_pipe_in_a_title(ds):
    meeting = dict(find_meetings(ds)[0])
    meeting["title"] = "Onrust | polarisatie"
    doc = written(export.write_markdown, ds, [meeting])
    row = next(line for line in doc.splitlines() if "Onrust" in line and line.startswith("|"))
    assert row.count("|") - row.count("\\|") == 4


def test_printable_makes_escapes_visible():
    assert export.printable("a\x1b[31mb\x07") == "a\\x1b[31mb\\x07"
    assert export.printable("rechts\u202eaf") == "rechts\\u202eaf"
    assert export.printable("gewoon tekst ë") == "gewoon tekst ë"


def test_plain_text_keeps_headings_bullets_and_numbers(ds):
    text = written(export.write_meeting_text, ds, find_meetings(ds)[0], width=80)
    assert "## Jaarwisseling" in text
    assert "  • Carbid schieten is in opkomst." in text
    assert "\n    1. Vuurwerkverbod" in text


@pytest.mark.skipif(
    shutil.which("pandoc") is None, reason="pandoc is not installed (apt-get install pandoc)"
)
def test_markdown_converts_cleanly_with_pandoc(ds, tmp_path):
    source = tmp_path / "export.md"
    source.write_text(written(export.write_markdown, ds, find_meetings(ds)), encoding="utf-8")
    html = subprocess.run(
        ["pandoc", "-f", "gfm", "-t", "html", str(source)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert html.count("<h2") == len(ds.meetings) + 1  # the contents and each meeting
    for m in ds.meetings:
        assert f'href="#{m["id"]}"' in html and f'id="{m["id"]}"' in html
    assert "<h1" in html and html.count("<h1") == 1
