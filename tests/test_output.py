"""Writers: CSV (plain and for Excel), JSON and Markdown, against expected files."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess

import pytest

from ngs_cli import export, query, store
from ngs_cli.query import find_meetings
from ngs_cli.text import md_text, printable

from .conftest import FIXTURES


@pytest.fixture
def ds():
    return store.open_store(use_cache=False)


def summaries(ds):
    return [export.summary(m) for m in find_meetings(ds)]


def markdown(ds, meetings=None) -> str:
    meetings = meetings if meetings is not None else find_meetings(ds)
    full = [{**m, **query.get_meeting(ds, m["id"]), "title": m["title"]} for m in meetings]
    return written(export.write_markdown, ds.collection(), meetings, full, query.topic_labels(ds))


def written(writer, *args, **kwargs) -> str:
    stream = io.StringIO(newline="")
    writer(stream, *args, **kwargs)
    return stream.getvalue()


def expected(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def test_csv_matches_expected_file(ds):
    assert written(export.write_csv, summaries(ds)) == expected("export.csv").replace(
        "\n", "\r\n"
    ).replace("\r\r\n", "\r\n")


def test_excel_csv_matches_expected_file(ds):
    assert written(export.write_csv, summaries(ds), excel=True) == expected(
        "export-excel.csv"
    ).replace("\n", "\r\n").replace("\r\r\n", "\r\n")


def test_markdown_matches_expected_file(ds):
    assert markdown(ds) == expected("export.md")


def test_list_json_matches_expected_file(ds):
    assert json.loads(written(export.write_json, summaries(ds))) == json.loads(
        expected("list.json")
    )


def test_csv_is_rfc4180_with_header_and_joined_lists(ds):
    text = written(export.write_csv, summaries(ds))
    assert text.endswith("\r\n")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["id"] for r in rows] == [
        "2021-utrecht",
        "2021-online",
        "2019-leeuwarden",
        "onbekend-jaar",
    ]
    assert json.loads(rows[0]["people"]) == ["Anna de Vries", "Jan Jansen"]


def test_csv_lists_round_trip_whatever_their_items_hold(ds):
    record = dict(summaries(ds)[0])
    record["themes"] = ["a; b", 'quote " and, comma', "new\nline", "[not json"]
    text = written(export.write_csv, [record])
    (row,) = csv.DictReader(io.StringIO(text, newline=""))
    assert json.loads(row["themes"]) == record["themes"]


def test_excel_csv_neutralises_formulas_but_plain_csv_keeps_data_exact(ds):
    meeting = dict(summaries(ds)[0])
    for start in ("=", "+", "-", "@", "\t", "\r"):
        meeting["title"] = f'{start}HYPERLINK("http://evil")'
        plain = list(csv.reader(io.StringIO(written(export.write_csv, [meeting]))))
        assert plain[1][10] == meeting["title"]
        excel = written(export.write_csv, [meeting], excel=True)
        assert excel.startswith("\ufeff")
        rows = list(csv.reader(io.StringIO(excel.lstrip("\ufeff")), delimiter=";"))
        assert rows[1][10] == "'" + meeting["title"]


def test_json_contract_fields(ds):
    rows = json.loads(written(export.write_json, summaries(ds)))
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
        "&lt;b&gt;",
        "https://evil.nl",
        "www.evil.nl",
        "evil@evil.nl",
    ):
        text = md_text(evil)
        assert not text.startswith(("#", "-", "=", "1.")), text
        assert "|" not in text.replace("\\|", ""), text
        assert "<" not in text.replace("\\<", ""), text
        assert "[" not in text.replace("\\[", ""), text
        assert "&" not in text.replace("\\&", ""), text
        assert "://" not in text.replace("\\://", "") and "www." not in text, text  # no autolink
        assert "@" not in text.replace("\\@", ""), text


def test_markdown_table_survives_a_pipe_in_a_title(ds):
    meeting = dict(find_meetings(ds)[0])
    meeting["title"] = "Onrust | polarisatie"
    doc = markdown(ds, [meeting])
    row = next(line for line in doc.splitlines() if "Onrust" in line and line.startswith("|"))
    assert row.count("|") - row.count("\\|") == 4


def test_printable_makes_escapes_visible():
    assert printable("a\x1b[31mb\x07") == "a\\x1b[31mb\\x07"
    assert printable("rechts\u202eaf") == "rechts\\u202eaf"
    assert printable("gewoon tekst ë") == "gewoon tekst ë"


def test_plain_text_keeps_headings_bullets_and_numbers(ds):
    meeting = query.get_meeting(ds, "2021-utrecht")
    text = written(export.write_meeting_text, meeting, query.topic_labels(ds), width=80)
    assert "## Jaarwisseling" in text
    assert "  • Carbid schieten is in opkomst." in text
    assert "\n    1. Vuurwerkverbod" in text


def test_plain_text_without_a_width_keeps_each_paragraph_on_one_line(ds):
    meeting = query.get_meeting(ds, "2021-utrecht")
    paragraph = meeting["sections"][0]["blocks"][0]["paragraph"]
    narrow = written(export.write_meeting_text, meeting, query.topic_labels(ds), width=40)
    assert paragraph not in narrow.splitlines()
    text = written(export.write_meeting_text, meeting, query.topic_labels(ds))
    assert paragraph in text.splitlines()


@pytest.mark.skipif(
    shutil.which("pandoc") is None, reason="pandoc is not installed (apt-get install pandoc)"
)
def test_markdown_converts_cleanly_with_pandoc(ds, tmp_path):
    source = tmp_path / "export.md"
    source.write_text(markdown(ds), encoding="utf-8")
    html = subprocess.run(
        ["pandoc", "-f", "gfm", "-t", "html", str(source)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    meetings = find_meetings(ds)
    assert html.count("<h2") == len(meetings) + 1  # the contents and each meeting
    for m in meetings:
        assert f'href="#{m["id"]}"' in html and f'id="{m["id"]}"' in html
    assert "<h1" in html and html.count("<h1") == 1


@pytest.mark.parametrize("indent", [False, True])
def test_json_arrays_written_an_item_at_a_time_are_the_arrays_json_writes(indent):
    items = [{"a": [1, "x\ny"], "b": {"c": None}}, "ë", [], {}]
    for value in ([], items[:1], items):
        stream = io.StringIO()
        export.write_json_array(stream, iter(value), indent=indent)
        text = stream.getvalue()
        assert json.loads(text) == value
        if indent:
            assert text == json.dumps(value, indent=2, ensure_ascii=False) + "\n"
        else:
            assert text.count("\n") == (len(value) + 2 if value else 1)  # [, an item a line, ]
