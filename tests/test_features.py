"""For scripts and readers: --fields, JSON Lines, plain text that greps, the pager,
related meetings, citations, and python -m ngs_cli."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from .conftest import REPO, SOURCE
from .process import installed_ngs

# --- --fields -------------------------------------------------------------------------


def test_an_unknown_field_suggests_the_nearest(ngs):
    r = ngs("list", "--fields", "id,cty")
    assert r.exit_code == 2 and "Did you mean 'city'?" in " ".join(r.stderr.split())


# --- JSON Lines -------------------------------------------------------------------------


# --- plain text that greps ----------------------------------------------------------------


# --- the pager ------------------------------------------------------------------------


# --- related meetings ---------------------------------------------------------------------


def test_related_of_an_ambiguous_ref_is_a_usage_error(ngs):
    assert ngs("related", "2021").exit_code == 2


# --- citations ----------------------------------------------------------------------------


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
