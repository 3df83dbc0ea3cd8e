"""For scripts and readers: --fields, JSON Lines, plain text that greps, the pager,
related meetings, citations, and python -m ngs_cli."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys

import pytest

from .conftest import REPO, SOURCE
from .process import installed_ngs

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


def test_an_unknown_field_suggests_the_nearest(ngs):
    r = ngs("list", "--fields", "id,cty")
    assert r.exit_code == 2 and "Did you mean 'city'?" in " ".join(r.stderr.split())


def test_fields_help_or_question_mark_lists_them(ngs):
    assert ngs("list", "--fields", "help").stdout == ngs("list", "--fields", "?").stdout
    r = ngs("list", "--fields", "help")
    assert r.exit_code == 0 and r.stdout.splitlines()[:3] == ["id", "date", "end_date"]
    assert "score" in ngs("search", "x", "--fields", "?").stdout.split()
    assert "sections" in ngs("export", "--format", "json", "--fields", "?").stdout.split()


def test_the_defaults_stay_the_defaults(ngs):
    assert ngs("list").stdout.splitlines()[0].split("\t") == [
        "2021-utrecht", "2021-11-18", "Utrecht", "Corona en de jaarwisseling", "Corona",
    ]  # fmt: skip


# --- JSON Lines -------------------------------------------------------------------------


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


# --- plain text that greps ----------------------------------------------------------------


def test_show_in_a_pipe_writes_each_paragraph_on_one_line(ngs, bundled):
    from ngs_cli.model import meeting_texts

    record = json.loads(ngs("show", "2023", "--format", "json").stdout)
    texts = [t for t in meeting_texts(record) if "kloof" in t.lower()]
    import re

    out = ngs("show", "2023").stdout.splitlines()
    lines = [re.sub(r"^\s*(•|\d+\.)\s+", "", line) for line in out]
    assert texts and all(" ".join(t.split()) in lines for t in texts)


@pytest.mark.parametrize("ref, width", [("2023", 60), ("2020-corona-online", 25)])
def test_show_on_a_terminal_wraps_to_its_width(ngs, bundled, ref, width):
    _, shown = ngs.terminal("show", ref, width=width)
    import re

    lines = re.sub(r"\x1b\[[0-9;]*m", "", shown).splitlines()
    assert max(len(line) for line in lines) <= width


def test_export_markdown_on_a_terminal_is_the_document_a_file_gets(ngs, bundled):
    _, shown = ngs.terminal("export", "--format", "markdown")
    piped = ngs("export", "--format", "markdown").stdout
    assert shown == piped
    assert shown.startswith("# ") and "\n## Contents\n" in shown


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


# --- the pager ------------------------------------------------------------------------


@pytest.fixture
def pager(tmp_path):
    """A pager command that saves what it is given, and where it saves it."""
    saved = tmp_path / "paged.txt"
    script = tmp_path / "pager.py"
    script.write_text(f"import sys\nopen({str(saved)!r}, 'wb').write(sys.stdin.buffer.read())\n")
    return f"{sys.executable} {script}", saved


@pytest.mark.parametrize(
    "command", [["show", "2021-utrecht"], ["people"], ["export", "--format", "markdown"]]
)
def test_long_views_on_a_terminal_go_through_the_pager(ngs, pager, command):
    cmd, saved = pager
    r, shown = ngs.terminal(*command, height=5, environ={"NGS_PAGER": cmd})
    assert r.exit_code == 0 and shown == "" and saved.read_text()


def test_pager_falls_back_to_pager_then_less(ngs, pager):
    cmd, saved = pager
    ngs.terminal("show", "2021-utrecht", height=5, environ={"PAGER": cmd})
    assert saved.exists()


def test_no_pager_when_short_turned_off_or_missing(ngs, pager):
    cmd, saved = pager
    _, shown = ngs.terminal("show", "2021-utrecht", height=500, environ={"NGS_PAGER": cmd})
    assert shown and not saved.exists()  # shorter than the screen
    _, shown = ngs.terminal(
        "show", "2021-utrecht", "--no-pager", height=5, environ={"NGS_PAGER": cmd}
    )
    assert shown and not saved.exists()
    _, shown = ngs.terminal(
        "show", "2021-utrecht", height=5, environ={"NGS_PAGER": "", "PAGER": cmd}
    )
    assert shown and not saved.exists()  # an empty NGS_PAGER turns paging off
    r, shown = ngs.terminal(
        "show", "2021-utrecht", height=5, environ={"NGS_PAGER": "no-such-pager-x"}
    )
    assert r.exit_code == 0 and "Corona en de jaarwisseling" in shown


def test_never_a_pager_in_a_pipe(ngs, pager, monkeypatch):
    cmd, saved = pager
    monkeypatch.setenv("NGS_PAGER", cmd)
    assert ngs("show", "2021-utrecht").stdout and not saved.exists()


# --- related meetings ---------------------------------------------------------------------


def test_related_of_an_ambiguous_ref_is_a_usage_error(ngs):
    assert ngs("related", "2021").exit_code == 2


# --- citations ----------------------------------------------------------------------------


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
    assert r"title = {{Jeugd \& 100\% \{veilig\}\_\#}}" in entry


def test_cite_rejects_a_bad_access_date(ngs):
    r = ngs("cite", "2019", "--accessed", "gisteren")
    assert r.exit_code == 2 and "--accessed" in r.stderr


# --- python -m ngs_cli -------------------------------------------------------------------


def test_python_m_ngs_cli(tmp_path):
    env = {**os.environ, "NGS_CACHE_DIR": str(tmp_path)}
    env.pop("NGS_DATA", None)
    r = subprocess.run(
        [sys.executable, "-m", "ngs_cli", "list", "--limit", "1"],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60,
    )  # fmt: skip
    assert r.returncode == 0 and r.stdout.startswith("2023-nijmegen\t")


@pytest.mark.skipif(installed_ngs() is None, reason="the ngs console script is not installed")
def test_the_readme_set_up_commands_name_a_virtual_environment():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = readme.split("```sh", 1)[1].split("```", 1)[0]
    assert "python3 -m venv" in block and "pip install '.[test]'" in block
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    for line in block.strip().splitlines():
        command = line.split("#")[0].strip()
        assert command in ci, command


# --- the curation commands and the top-level help ------------------------------------------


def test_top_level_help_lists_every_command(ngs):
    r = ngs("--help")
    assert r.exit_code == 0
    for name in ("list", "show", "export", "search", "related", "cite", "people", "topics",
                 "cities", "timeline", "validate", "draft"):  # fmt: skip
        assert name in r.stdout
        assert ngs(name, "--help").exit_code == 0


def test_validate_source_passes_on_the_bundled_data(ngs, bundled):
    r = ngs("validate", "--source", str(SOURCE))
    assert r.exit_code == 0 and "every sentence of the page is in the data" in r.stdout


def test_validate_source_names_a_sentence_removed_from_the_data(ngs, tmp_path):
    data = (REPO / "data" / "reports.yaml").read_text(encoding="utf-8")
    sentence = "Van de gehele dag is onderstaand verslag gemaakt."
    assert sentence in data
    changed = tmp_path / "changed.yaml"
    changed.write_text(data.replace(sentence, "Iets anders."), encoding="utf-8")
    r = ngs("validate", str(changed), "--source", str(SOURCE))
    assert r.exit_code == 1 and sentence in r.stderr


def test_draft_through_the_command(ngs, tmp_path):
    text = tmp_path / "nieuw.txt"
    text.write_text(
        "Het thema in 2024 was Veiligheid in de wijk.\n\n"
        "Op donderdag 21 november kwamen de OOV'ers bijeen in Zwolle.\n",
        encoding="utf-8",
    )
    r = ngs("draft", str(text), "--id", "2024-zwolle")
    assert r.exit_code == 0 and "id: 2024-zwolle" in r.stdout and "Zwolle" in r.stdout
    piped = ngs("draft", "-", "--id", "2024-zwolle", input=text.read_text(encoding="utf-8"))
    assert piped.exit_code == 0 and piped.stdout == r.stdout
    if os.path.exists("/dev/zero"):  # endless: refused, not read
        r = ngs("draft", "/dev/zero")
        assert r.exit_code == 2 and "not a regular file" in r.stderr
    r = ngs("draft", str(text), env={"NGS_MAX_DATA_SIZE": "20"})
    assert r.exit_code == 2 and "larger than the limit" in r.stderr
    # Standard input is held to the same size limit as a data file.
    r = ngs("draft", "-", input=text.read_text(encoding="utf-8"), env={"NGS_MAX_DATA_SIZE": "20"})
    assert r.exit_code == 1 and "more than the limit" in r.stderr
    for option, value in (
        ("--date", "2024-13-01"),
        ("--date", "0001-01-01"),
        ("--year", "1492"),
        ("--id", "Bad_Id"),
        ("--id", "2024-zwolle\n"),
    ):
        r = ngs("draft", str(text), option, value)
        assert r.exit_code == 2 and f"'{option}'" in r.stderr, (option, r.stderr)
    empty = tmp_path / "leeg.txt"
    empty.write_text("", encoding="utf-8")
    r = ngs("draft", str(empty))
    assert r.exit_code == 1 and r.stderr.startswith("ngs: ")


@pytest.mark.skipif(installed_ngs() is None, reason="the ngs console script is not installed")
def test_arguments_that_are_not_utf8_are_no_internal_error(tmp_path):
    env = {**os.environ, "NGS_CACHE_DIR": str(tmp_path)}
    env.pop("NGS_DATA", None)
    for args in ([b"show", b"\xff"], [b"list", b"--city", b"\xff"], [b"people", b"\xff"]):
        r = subprocess.run([installed_ngs().encode(), *args], capture_output=True, env=env)
        assert r.returncode in (0, 1), r.stderr
        assert b"internal error" not in r.stderr and b"Traceback" not in r.stderr


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
