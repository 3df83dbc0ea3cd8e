"""Using the command line: help, usage errors and exit codes, messages, completion."""

from __future__ import annotations

import subprocess

import pytest

from .conftest import write
from .process import installed_ngs, user_env

# --- help -----------------------------------------------------------------------------


def test_version(ngs):
    r = ngs("--version")
    assert r.exit_code == 0 and r.stdout.startswith("ngs ")


@pytest.mark.parametrize(
    "command",
    ["list", "show", "export", "search", "people", "topics", "cities", "timeline", "validate"],
)
def test_every_command_has_help_with_an_example(ngs, command):
    r = ngs(command, "--help")
    assert r.exit_code == 0
    assert "Examples" in r.stdout and f"ngs {command}" in r.stdout


def test_top_level_help_lists_every_command(ngs):
    r = ngs("--help")
    assert r.exit_code == 0
    from ngs_cli.cli import _MODULES

    for name in _MODULES:
        assert name in r.stdout
        assert ngs(name, "--help").exit_code == 0


# --- usage errors ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "args, option",
    [
        (["list", "--format", "pdf"], "--format"),
        (["list", "--year", "abc"], "--year"),
        (["list", "--sort", "town"], "--sort"),
        (["list", "--since", "yesterday"], "--since"),
        (["list", "--limit", "-1"], "--limit"),
        (["show", "2021", "--format", "html"], "--format"),
        (["export", "--format", "pdf"], "--format"),
    ],
)
def test_bad_option_values_are_usage_errors_naming_the_option(ngs, args, option):
    r = ngs(*args)
    assert r.exit_code == 2
    assert option in r.stderr and "Traceback" not in r.stderr
    assert r.stdout == ""


def test_mistyped_format_suggests_the_nearest(ngs):
    r = ngs("list", "--format", "jsn")
    message = " ".join(r.stderr.replace("│", " ").split())
    assert r.exit_code == 2 and "Did you mean 'json'" in message


def test_an_unknown_field_suggests_the_nearest(ngs):
    r = ngs("list", "--fields", "id,cty")
    assert r.exit_code == 2 and "Did you mean 'city'?" in " ".join(r.stderr.split())


@pytest.mark.parametrize("option", ["--theme", "--city", "--speaker"])
def test_an_empty_filter_value_is_a_usage_error(ngs, option):
    # Say from an unset variable: it would match every meeting (a theme) or none (a city).
    r = ngs("list", option, "")
    assert r.exit_code == 2 and not r.stdout and f"'{option}'" in r.stderr


def test_export_excel_only_with_csv(ngs):
    r = ngs("export", "--format", "json", "--excel")
    assert r.exit_code == 2 and "--excel" in r.stderr


def test_cite_rejects_a_bad_access_date(ngs):
    r = ngs("cite", "2019", "--accessed", "gisteren")
    assert r.exit_code == 2 and "--accessed" in r.stderr


def test_show_ambiguous_ref_lists_matches_on_stderr_and_exits_2(ngs):
    r = ngs("show", "2021")
    assert r.exit_code == 2 and r.stdout == ""
    assert "2021-utrecht" in r.stderr and "2021-online" in r.stderr


def test_related_of_an_ambiguous_ref_is_a_usage_error(ngs):
    assert ngs("related", "2021").exit_code == 2


@pytest.mark.skipif(installed_ngs() is None, reason="the ngs console script is not installed")
def test_arguments_that_are_not_utf8_are_no_internal_error(tmp_path):
    env = user_env(tmp_path)
    for args in ([b"show", b"\xff"], [b"list", b"--city", b"\xff"], [b"people", b"\xff"]):
        r = subprocess.run([installed_ngs().encode(), *args], capture_output=True, env=env)
        assert r.returncode in (0, 1), r.stderr
        assert b"internal error" not in r.stderr and b"Traceback" not in r.stderr


# --- messages -------------------------------------------------------------------------


def test_show_unknown_ref_suggests_and_exits_1(ngs):
    r = ngs("show", "leuwarden")
    assert r.exit_code == 1 and "Leeuwarden" in r.stderr and r.stdout == ""


def test_no_match_is_not_an_error_and_suggests(ngs):
    r = ngs("list", "--city", "Utrech")
    assert r.exit_code == 0 and r.stdout == ""
    assert "No meetings match" in r.stderr and "did you mean 'Utrecht'" in r.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["list", "--city", "Utrech"],
        ["export", "--city", "Utrech"],
        ["search", "carbid", "--city", "Utrech"],
        ["timeline", "--city", "Utrech"],
        ["related", "2019-leeuwarden", "--city", "Utrech"],
    ],
)
def test_every_filtering_command_says_did_you_mean(ngs, args):
    r = ngs(*args)
    assert r.exit_code == 0 and "did you mean 'Utrecht'" in r.stderr


def test_people_unknown_name(ngs):
    r = ngs("people", "Ana de Vries")
    assert r.exit_code == 0 and "Did you mean 'Anna de Vries'" in r.stderr


def test_limit_zero_is_no_hint(ngs):
    r = ngs("list", "--limit", "0")
    assert r.exit_code == 0 and r.stdout == "" and r.stderr == ""


@pytest.mark.parametrize("args", [["list"], ["search", "carbid"], ["related", "2021-utrecht"]])
def test_limit_zero_prints_no_hint(ngs, args):
    r = ngs(*args, "--limit", "0")
    assert r.exit_code == 0 and r.stderr == "" and r.stdout == ""


def test_no_none_in_a_sentence(ngs, tmp_path):
    path = write(
        tmp_path / "nobody.yaml",
        "schema_version: 1\ncollection: {title: x}\nmeetings:\n"
        "- {id: a, title: t, date_precision: unknown, sections: [{blocks: []}]}\n",
    )
    for args in (["people"], ["related", "a"], ["timeline"], ["topics"]):
        r = ngs(*args, "--data", str(path))
        assert "None" not in r.stderr + r.stdout, args


def test_internal_errors_are_one_line_without_traceback(ngs, monkeypatch):
    from ngs_cli import query

    def broken(*args, **kwargs):
        raise ZeroDivisionError("oops")

    monkeypatch.delenv("NGS_DEBUG")
    monkeypatch.setattr(query, "iter_meetings", broken)
    r = ngs("list")
    assert r.exit_code == 1
    assert r.stderr.startswith("ngs: internal error: ZeroDivisionError: oops")
    assert "Traceback" not in r.stderr


# --- completion -----------------------------------------------------------------------


def test_completion_of_values_from_the_dataset(ngs):
    env = {"_NGS_COMPLETE": "complete_bash", "COMP_WORDS": "ngs list --city Ut", "COMP_CWORD": "3"}
    r = ngs(env=env)
    assert r.stdout.split() == ["Utrecht"]
    env["COMP_WORDS"] = "ngs list --theme ra"
    assert ngs(env=env).stdout.split() == ["radicalisering"]
    env["COMP_WORDS"] = "ngs list --theme SYRIE"
    assert ngs(env=env).stdout.split() == ["SYRIEgangers"]
    env["COMP_WORDS"] = "ngs list --city leeuw"
    assert ngs(env=env).stdout.split() == ["leeuwarden"]
    env = {"_NGS_COMPLETE": "complete_bash", "COMP_WORDS": "ngs show 2019", "COMP_CWORD": "2"}
    assert ngs(env=env).stdout.split() == ["2019", "2019-leeuwarden"]
    env["COMP_WORDS"], env["COMP_CWORD"] = "ngs list --sort c", "3"
    assert ngs(env=env).stdout.split() == ["city"]


def test_completion_script_for_a_shell(ngs):
    # The shell named, not the one that started the tests (conftest.py turns Typer's
    # detection off: from sh, it finds sh, which it cannot complete).
    r = ngs("--show-completion", "bash")
    assert r.exit_code == 0 and "_NGS_COMPLETE" in r.stdout
