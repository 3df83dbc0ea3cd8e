"""What lands on stdout and in an export: every format, from the writers (against
expected files) to the commands in a pipe and on a terminal."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from ngs_cli import query, store
from ngs_cli import summary as shown
from ngs_cli.formats import csv as csv_format
from ngs_cli.formats import json as json_format
from ngs_cli.formats import markdown as markdown_format
from ngs_cli.formats import text as text_format
from ngs_cli.query import find_meetings
from ngs_cli.text import md_text

from .conftest import FIXTURES


@pytest.fixture
def ds():
    return store.open_store(use_cache=False)


def summaries(ds):
    return [shown.summary(m) for m in find_meetings(ds)]


def markdown(ds, meetings=None) -> str:
    meetings = meetings if meetings is not None else find_meetings(ds)
    full = [{**m, **query.get_meeting(ds, m["id"]), "title": m["title"]} for m in meetings]
    return written(
        markdown_format.write_markdown, ds.collection(), meetings, full, query.topic_labels(ds)
    )


def written(writer, *args, **kwargs) -> str:
    stream = io.StringIO(newline="")
    writer(stream, *args, **kwargs)
    return stream.getvalue()


def expected(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


# --- the writers ------------------------------------------------------------------------


def test_csv_matches_expected_file(ds):
    assert written(csv_format.write_csv, summaries(ds)) == expected("export.csv").replace(
        "\n", "\r\n"
    ).replace("\r\r\n", "\r\n")


def test_excel_csv_matches_expected_file(ds):
    assert written(csv_format.write_csv, summaries(ds), excel=True) == expected(
        "export-excel.csv"
    ).replace("\n", "\r\n").replace("\r\r\n", "\r\n")


def test_markdown_matches_expected_file(ds):
    assert markdown(ds) == expected("export.md")


def test_list_json_matches_expected_file(ds):
    assert json.loads(written(json_format.write_json, summaries(ds))) == json.loads(
        expected("list.json")
    )


def test_csv_is_rfc4180_with_header_and_joined_lists(ds):
    text = written(csv_format.write_csv, summaries(ds))
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
    text = written(csv_format.write_csv, [record])
    (row,) = csv.DictReader(io.StringIO(text, newline=""))
    assert json.loads(row["themes"]) == record["themes"]


def test_excel_csv_neutralises_formulas_but_plain_csv_keeps_data_exact(ds):
    meeting = dict(summaries(ds)[0])
    for start in ("=", "+", "-", "@", "\t", "\r"):
        meeting["title"] = f'{start}HYPERLINK("http://evil")'
        plain = list(csv.reader(io.StringIO(written(csv_format.write_csv, [meeting]))))
        assert plain[1][10] == meeting["title"]
        excel = written(csv_format.write_csv, [meeting], excel=True)
        assert excel.startswith("\ufeff")
        rows = list(csv.reader(io.StringIO(excel.lstrip("\ufeff")), delimiter=";"))
        assert rows[1][10] == "'" + meeting["title"]


def test_json_contract_fields(ds):
    rows = json.loads(written(json_format.write_json, summaries(ds)))
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


def test_a_contents_entry_survives_brackets_and_a_pipe_in_a_title(ds):
    meeting = dict(find_meetings(ds)[0])
    meeting["title"] = "Onrust | polarisatie [zie](x) ]("
    doc = markdown(ds, [meeting])
    entry = next(line for line in doc.splitlines() if line.startswith("- ") and "Onrust" in line)
    assert entry.count("](#") == 1 and entry.endswith(")")  # one link, its text escaped


def test_plain_text_keeps_headings_bullets_and_numbers(ds):
    meeting = query.get_meeting(ds, "2021-utrecht")
    text = written(text_format.write_meeting_text, meeting, query.topic_labels(ds), width=80)
    assert "\nJaarwisseling\n~~~~~~~~~~~~~\n" in text  # one heading style: underlined
    assert not re.search(r"(?m)^#", text)
    assert "  • Carbid schieten is in opkomst." in text
    assert "\n    1. Vuurwerkverbod" in text


def test_plain_text_without_a_width_keeps_each_paragraph_on_one_line(ds):
    meeting = query.get_meeting(ds, "2021-utrecht")
    paragraph = meeting["sections"][0]["blocks"][0]["paragraph"]
    narrow = written(text_format.write_meeting_text, meeting, query.topic_labels(ds), width=40)
    assert paragraph not in narrow.splitlines()
    text = written(text_format.write_meeting_text, meeting, query.topic_labels(ds))
    assert paragraph in text.splitlines()


@pytest.mark.parametrize("indent", [False, True])
def test_json_arrays_written_an_item_at_a_time_are_the_arrays_json_writes(indent):
    items = [{"a": [1, "x\ny"], "b": {"c": None}}, "ë", [], {}]
    for value in ([], items[:1], items):
        stream = io.StringIO()
        json_format.write_json_array(stream, iter(value), indent=indent)
        text = stream.getvalue()
        assert json.loads(text) == value
        if indent:
            assert text == json.dumps(value, indent=2, ensure_ascii=False) + "\n"
        else:
            assert text.count("\n") == (len(value) + 2 if value else 1)  # [, an item a line, ]


# --- list, show and export on stdout --------------------------------------------------


def test_list_plain_in_a_pipe(ngs):
    r = ngs("list")
    assert r.exit_code == 0 and r.stderr == ""
    lines = r.stdout.splitlines()
    assert lines[0].split("\t") == [
        "2021-utrecht",
        "2021-11-18",
        "Utrecht",
        "Corona en de jaarwisseling",
        "Corona",
    ]
    assert "\x1b" not in r.stdout


def test_the_defaults_stay_the_defaults(ngs):
    assert ngs("list").stdout.splitlines()[0].split("\t") == [
        "2021-utrecht", "2021-11-18", "Utrecht", "Corona en de jaarwisseling", "Corona",
    ]  # fmt: skip


def test_list_json(ngs):
    rows = json.loads(ngs("list", "--format", "json", "--city", "utrecht").stdout)
    assert [r["id"] for r in rows] == ["2021-utrecht"]


def test_no_match_csv_is_header_only(ngs):
    r = ngs("list", "--format", "csv", "--year", "1999")
    assert r.exit_code == 0 and r.stdout.strip().startswith("id,date")
    assert len(r.stdout.splitlines()) == 1 and "none in 1999" in r.stderr


def test_show_one_meeting_in_full(ngs):
    r = ngs("show", "2019")
    assert r.exit_code == 0
    for text in (
        "Jeugd en veiligheid",
        "Date:",
        "Leeuwarden",
        "1. Jongerenoverlast",
        "Jongerenoverlast en veilig uitgaan stonden centraal.",
    ):
        assert text in r.stdout


def test_show_all(ngs):
    r = ngs("show", "2021", "--all")
    assert r.exit_code == 0
    assert "Corona en de jaarwisseling" in r.stdout and "Radicalisering online" in r.stdout


def test_show_json_is_the_whole_record(ngs):
    record = json.loads(ngs("show", "2019-leeuwarden", "--format", "json").stdout)
    assert record["sections"][0]["blocks"][1]["numbered"] == ["Jongerenoverlast", "Jeugd en horeca"]


def test_show_markdown(ngs):
    r = ngs("show", "onbek", "--format", "markdown")
    assert r.stdout.startswith("# Een bijeenkomst zonder datum\n")


def test_show_in_a_pipe_writes_each_paragraph_on_one_line(ngs, bundled):
    from ngs_cli.verslag import meeting_texts

    record = json.loads(ngs("show", "2023", "--format", "json").stdout)
    texts = [t for t in meeting_texts(record) if "kloof" in t.lower()]
    import re

    out = ngs("show", "2023").stdout.splitlines()
    lines = [re.sub(r"^\s*(•|\d+\.)\s+", "", line) for line in out]
    assert texts and all(" ".join(t.split()) in lines for t in texts)


def test_export_to_stdout_and_file(ngs, tmp_path):
    assert ngs("export").stdout.startswith("id,date,")
    target = tmp_path / "out.md"
    r = ngs("export", "--output", str(target))
    assert r.exit_code == 0 and r.stdout == ""
    text = target.read_text(encoding="utf-8")
    assert text.startswith('---\npagetitle: "Testverslagen"\nlang: nl\n---\n\n# Testverslagen\n')


def test_export_json_is_full_records(ngs):
    rows = json.loads(ngs("export", "--format", "json", "--year", "2019").stdout)
    assert [r["id"] for r in rows] == ["2019-leeuwarden"] and "sections" in rows[0]


def test_export_excel_through_the_command(ngs, tmp_path):
    target = tmp_path / "excel.csv"
    r = ngs("export", "--excel", "-o", str(target), "--city", "Utrecht")
    assert r.exit_code == 0
    raw = target.read_bytes()
    assert raw.startswith("\ufeff".encode()) and b'"id";"date"' in raw and b"\r\n" in raw


def test_export_markdown_on_a_terminal_is_the_document_a_file_gets(ngs, bundled):
    _, shown = ngs.terminal("export", "--format", "markdown")
    piped = ngs("export", "--format", "markdown").stdout
    assert shown == piped
    assert shown.startswith("---\npagetitle: ") and "\n# " in shown and "\n## Contents\n" in shown


# --- people, topics, cities and the timeline ------------------------------------------


def test_people(ngs):
    r = ngs("people", "vries")
    assert r.stdout.splitlines() == [
        "Anna de Vries\t2021-utrecht\t2021-11-18\tdagvoorzitter\thet CCV",
        "Anna de Vries\t2019-leeuwarden\t2019-04-11\tadviseur\tgemeente Leeuwarden",
    ]
    assert json.loads(ngs("people", "--format", "json").stdout)[0]["name"] == "Jan Jansen"


def test_topics_and_cities(ngs):
    topics = ngs("topics").stdout.splitlines()
    assert topics[0].startswith("corona\t1\t2021\tCorona\tcovid-19")
    assert ngs("cities").stdout.splitlines()[0] == "\t2\t2021"
    assert "Also matches" in ngs("topics", "--format", "table").stdout


def test_timeline(ngs):
    r = ngs("timeline", "--theme", "jeugd")
    assert r.stdout.splitlines() == ["2019\t1\t2019-leeuwarden", "2020\t0\t", "2021\t0\t"]
    picture = ngs("timeline", "--format", "table").stdout
    assert "2021  ●●" in picture and "2020  ·" in picture


def test_facets_and_timeline_as_json(ngs):
    cities = json.loads(ngs("cities", "--format", "json").stdout)
    assert {c["city"]: c["count"] for c in cities} == {None: 2, "Utrecht": 1, "Leeuwarden": 1}
    timeline = json.loads(ngs("timeline", "--format", "json").stdout)
    assert [(t["year"], t["count"]) for t in timeline] == [
        (2019, 1),
        (2020, 0),
        (2021, 2),
        (None, 1),
    ]


def test_people_and_cities_tables(ngs):
    assert "Anna de Vries" in ngs("people", "--format", "table").stdout
    assert "(unknown)" in ngs("cities", "--format", "table").stdout


# --- --fields -------------------------------------------------------------------------


@pytest.mark.parametrize("command", [["list"], ["search", "radicalisering"], ["export"]])
def test_fields_in_the_order_given_for_every_format(ngs, command):
    fields = "title,id,year"
    rows = json.loads(ngs(*command, "--fields", fields, "--format", "json").stdout)
    assert rows and all(list(r) == ["title", "id", "year"] for r in rows)
    lines = ngs(*command, "--fields", fields, "--format", "ndjson").stdout.splitlines()
    assert [json.loads(line) for line in lines] == rows
    table = list(
        csv.reader(io.StringIO(ngs(*command, "--fields", fields, "--format", "csv").stdout))
    )
    assert table[0] == ["title", "id", "year"] and len(table) == len(rows) + 1
    if command[0] != "export":
        plain = ngs(*command, "--fields", fields, "--format", "plain").stdout.splitlines()
        assert plain[0].split("\t") == [rows[0]["title"], rows[0]["id"], str(rows[0]["year"])]


def test_people_fields_give_one_row_per_appearance(ngs):
    r = ngs("people", "vries", "--fields", "name,meeting,role", "--format", "csv")
    assert r.stdout.splitlines() == [
        "name,meeting,role",
        "Anna de Vries,2021-utrecht,dagvoorzitter",
        "Anna de Vries,2019-leeuwarden,adviseur",
    ]


def test_fields_help_or_question_mark_lists_them(ngs):
    assert ngs("list", "--fields", "help").stdout == ngs("list", "--fields", "?").stdout
    r = ngs("list", "--fields", "help")
    assert r.exit_code == 0 and r.stdout.splitlines()[:3] == ["id", "date", "end_date"]
    assert "score" in ngs("search", "x", "--fields", "?").stdout.split()
    assert "sections" in ngs("export", "--format", "json", "--fields", "?").stdout.split()


# --- JSON and JSON Lines --------------------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [["list"], ["search", "radicalisering"], ["export"], ["people"], ["show", "2021", "--all"],
     ["related", "2021-utrecht"]],
)  # fmt: skip
def test_ndjson_is_one_compact_object_a_line(ngs, command):
    r = ngs(*command, "--format", "ndjson")
    lines = r.stdout.splitlines()
    assert r.exit_code == 0 and lines
    for line in lines:
        assert isinstance(json.loads(line), dict) and ": " not in line.split('"')[0]


def test_export_ndjson_streams_whole_records(ngs):
    lines = ngs("export", "--format", "ndjson").stdout.splitlines()
    records = [json.loads(line) for line in lines]
    assert [r["id"] for r in records] == [
        "2021-utrecht",
        "2021-online",
        "2019-leeuwarden",
        "onbekend-jaar",
    ]
    assert all("sections" in r for r in records)


def test_ndjson_keeps_letters_as_utf8(ngs, tmp_path):
    # "Syriëgangers" as the bytes of UTF-8, as json does, not as \u00eb: in a pipe and in
    # a file.
    raw = "Syriëgangers".encode()
    for command in (["export"], ["search", "syriegangers"], ["show", "2021-online"]):
        r = ngs(*command, "--format", "ndjson")
        assert r.exit_code == 0 and raw in r.stdout_bytes, command
        assert b"\\u00eb" not in r.stdout_bytes, command
    target = tmp_path / "verslagen.ndjson"
    assert ngs("export", "--format", "ndjson", "--output", str(target)).exit_code == 0
    assert raw in target.read_bytes() and b"\\u00eb" not in target.read_bytes()


@pytest.mark.parametrize(
    "command",
    [["list"], ["export"], ["search", "politie"], ["people"], ["cite", "2015", "--all"]],
)
def test_json_is_indented_on_a_terminal_and_one_record_a_line_in_a_pipe(ngs, bundled, command):
    fmt = ["--style", "csl-json"] if command[0] == "cite" else ["--format", "json"]
    piped = ngs(*command, *fmt).stdout
    records = json.loads(piped)
    lines = piped.splitlines()
    assert len(records) > 1 and lines[0] == "[" and lines[-1] == "]"
    assert [json.loads(line.rstrip(",")) for line in lines[1:-1]] == records
    _, shown = ngs.terminal(*command, *fmt)
    assert json.loads(shown) == records and '\n  {\n    "' in shown


def test_json_of_one_meeting_is_one_line_and_of_none_an_empty_array(ngs, bundled):
    piped = ngs("show", "2023", "--format", "json").stdout
    assert piped.count("\n") == 1 and json.loads(piped)["id"] == "2023-nijmegen"
    assert json.loads(ngs("show", "2023", "--all", "--format", "json").stdout)[0]["id"] == (
        "2023-nijmegen"
    )  # with --all always a list, however many match
    assert ngs("list", "--city", "Atlantis", "--format", "json").stdout == "[]\n"
    assert ngs("search", "zzzqqq", "--format", "json").stdout == "[]\n"


# --- SQLite ---------------------------------------------------------------------------


def test_export_sqlite_opens_with_the_standard_library_and_searches(ngs, tmp_path):
    import sqlite3

    target = tmp_path / "verslagen.db"
    r = ngs("export", "--format", "sqlite", "--output", str(target))
    assert r.exit_code == 0 and r.stdout == ""
    conn = sqlite3.connect(target)
    hits = conn.execute(
        "SELECT m.id FROM meeting_text_fts f JOIN meetings m ON m.rowid = f.rowid "
        "WHERE meeting_text_fts MATCH 'syriegangers' ORDER BY bm25(meeting_text_fts)"
    ).fetchall()
    assert hits == [("2021-online",)]
    assert conn.execute("SELECT count(*) FROM meetings").fetchone() == (4,)
    assert conn.execute("SELECT name FROM people WHERE meeting_id = '2021-online'").fetchall() == [
        ("Piet Pietersen",)
    ]


def test_export_sqlite_needs_a_file_and_no_filters(ngs, tmp_path):
    assert ngs("export", "--format", "sqlite").exit_code == 2
    r = ngs("export", "--format", "sqlite", "-o", str(tmp_path / "x.db"), "--city", "Utrecht")
    assert r.exit_code == 2


# --- citations ------------------------------------------------------------------------


def test_cite_apa_marks_an_inferred_year_and_the_access_date(ngs, bundled):
    r = ngs("cite", "2016-amersfoort", "--accessed", "2026-11-29")
    assert r.stdout.startswith(
        "Centrum voor Criminaliteitspreventie en Veiligheid (CCV). ([2016], April 7). "
        "Radicalisering en polarisatie [Verslag netwerkdag Netwerk Grote Steden, Amersfoort]."
    )
    assert "Retrieved November 29, 2026, from https://hetccv.nl/" in r.stdout


def test_cite_keeps_the_precision_of_the_date(ngs, bundled):
    assert "(2017)." in ngs("cite", "2017-emmen").stdout
    assert "(2013, Autumn)." in ngs("cite", "2013-eindhoven").stdout
    assert "(n.d.)." in ngs("cite", "marokkaans").stdout
    assert "[Verslag netwerkdag Netwerk Grote Steden]." in ngs("cite", "marokkaans").stdout


def test_cite_bibtex_leaves_out_what_the_data_does_not_have(ngs, bundled):
    entry = ngs("cite", "marokkaans", "--style", "bibtex").stdout
    assert entry.startswith("@misc{marokkaans-nederlandse-jongeren,")
    assert "year =" not in entry and "address =" not in entry and "Year unknown" in entry
    full = ngs("cite", "2023", "--style", "bibtex", "--accessed", "2026-11-29").stdout
    assert "date = {2023-03-16}" in full and "urldate = {2026-11-29}" in full
    assert "address = {Nijmegen}" in full and "note =" not in full


def test_cite_csl_json_for_citation_managers(ngs, bundled):
    (item,) = json.loads(ngs("cite", "2015-leeuwarden", "--style", "csl-json").stdout)
    assert item["type"] == "report" and item["event-place"] == "Leeuwarden"
    assert item["issued"] == {"date-parts": [[2015, 11, 19], [2015, 11, 20]], "circa": True}
    (eindhoven,) = json.loads(ngs("cite", "2013-eindhoven", "--style", "csl-json").stdout)
    assert eindhoven["issued"] == {"date-parts": [[2013]], "season": 3}


def test_cite_escapes_bibtex_specials(ngs, mini):
    text = mini.read_text(encoding="utf-8").replace(
        "title: Jeugd en veiligheid", 'title: "Jeugd & 100% {veilig}_#"'
    )
    mini.write_text(text, encoding="utf-8")
    entry = ngs("cite", "2019", "--style", "bibtex", "--data", str(mini)).stdout
    assert r"title = {{Jeugd \& 100\% \textbraceleft{}veilig\textbraceright{}\_\#}}" in entry


def test_export_fields_text_holds_every_sentence_of_the_verslagen(ngs, bundled):
    from .test_data import collection_text, missing_sentences

    r = ngs("export", "--format", "csv", "--fields", "id,text")
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert len(rows) == 18 and list(rows[0]) == ["id", "text"]
    titles = " \n ".join(m["title"] for m in json.loads(ngs("list", "--format", "json").stdout))
    missing = missing_sentences(
        " \n ".join(row["text"] for row in rows), besides=titles + collection_text()
    )
    assert not missing, f"{len(missing)} sentences missing, e.g. {missing[:5]}"
    assert "\n\n" in rows[0]["text"]  # paragraphs apart, by a blank line
    # In JSON Lines too, beside the fields asked for; the default columns stay as they were.
    line = json.loads(
        ngs("export", "--format", "ndjson", "--fields", "id,text").stdout.split("\n")[0]
    )
    assert line == {"id": rows[0]["id"], "text": rows[0]["text"]}
    assert "text" not in ngs("export", "--format", "csv").stdout.split("\r\n")[0].split(",")
    assert "text" not in json.loads(ngs("export", "--format", "json").stdout)[0]


def test_repeated_headings_are_numbered_as_github_and_pandoc_number_them():
    from ngs_cli.formats.markdown import HeadingIds

    def naive(bases):  # the first base, base-1, base-2, ... not yet taken
        taken, out = set(), []
        for base in bases:
            ident, n = base, 0
            while ident in taken:
                n += 1
                ident = f"{base}-{n}"
            taken.add(ident)
            out.append(ident)
        return out

    bases = ["verslag", "verslag", "verslag-1", "verslag", "a", "verslag-2", "verslag", "a"]
    used = HeadingIds()
    assert [used.take(b) for b in bases] == naive(bases)
    assert naive(bases)[:4] == ["verslag", "verslag-1", "verslag-1-1", "verslag-2"]


@pytest.mark.parametrize("fmt", ["markdown", "text"])
def test_a_document_speaks_the_language_its_job_names(fmt):
    # Whatever the interface speaks (English here), a document in the language it names.
    import io

    from ngs_cli import formats

    s = store.open_store(use_cache=False)
    meetings = list(query.iter_full_meetings(s, query.find_meetings(s, query.Filters())))
    said = {}
    for language in ("en", "nl"):
        out = io.StringIO()
        job = formats.Job(meetings=meetings[:1], labels=query.topic_labels(s), language=language)
        formats.write(fmt, out, job)
        said[language] = out.getvalue()
    assert "Date:" in said["en"] and "Datum:" not in said["en"]
    assert "Datum:" in said["nl"] and "Date:" not in said["nl"]


@pytest.mark.parametrize(
    ("args", "width", "headers"),
    [
        (["list"], 200, ["Date", "City", "Title", "Themes", "Id"]),
        (["list"], 100, ["Date", "City", "Title", "Id"]),  # themes need 140 columns
        (["list"], 60, ["Date", "Title", "Id"]),  # then the city goes
        (["people"], 100, ["Name", "Meetings", "Role, organisation", "Date", "Meeting"]),
        (["people"], 70, ["Name", "Meetings", "Role, organisation", "Meeting"]),  # the date
        (["people"], 60, ["Name", "Role, organisation", "Meeting"]),  # then the count
    ],
)
def test_a_narrow_table_leaves_out_its_columns_in_their_order(ngs, args, width, headers):
    r, shown = ngs.terminal(*args, width=width, colour=False)
    assert r.exit_code == 0
    first = shown.splitlines()[0]
    assert [h for h in re.split(r"\s{2,}", first.strip())] == headers
