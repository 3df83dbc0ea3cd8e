"""Every command and option as a user meets them: stdout, stderr and exit codes."""

from __future__ import annotations

import pytest

from .conftest import write


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


def test_limit_zero_is_no_hint(ngs):
    r = ngs("list", "--limit", "0")
    assert r.exit_code == 0 and r.stdout == "" and r.stderr == ""


def test_no_match_is_not_an_error_and_suggests(ngs):
    r = ngs("list", "--city", "Utrech")
    assert r.exit_code == 0 and r.stdout == ""
    assert "No meetings match" in r.stderr and "did you mean 'Utrecht'" in r.stderr


@pytest.mark.parametrize(
    "args, option",
    [
        (["list", "--format", "pdf"], "--format"),
        (["list", "--year", "abc"], "--year"),
        (["list", "--sort", "town"], "--sort"),
        (["list", "--since", "yesterday"], "--since"),
        (["list", "--limit", "-1"], "--limit"),
        (["show", "2021", "--format", "html"], "--format"),
        (["export", "--format", "xlsx"], "--format"),
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


def test_show_ambiguous_ref_lists_matches_on_stderr_and_exits_2(ngs):
    r = ngs("show", "2021")
    assert r.exit_code == 2 and r.stdout == ""
    assert "2021-utrecht" in r.stderr and "2021-online" in r.stderr


def test_show_unknown_ref_suggests_and_exits_1(ngs):
    r = ngs("show", "leuwarden")
    assert r.exit_code == 1 and "Leeuwarden" in r.stderr and r.stdout == ""


def test_export_excel_only_with_csv(ngs):
    r = ngs("export", "--format", "json", "--excel")
    assert r.exit_code == 2 and "--excel" in r.stderr


def test_people_unknown_name(ngs):
    r = ngs("people", "Ana de Vries")
    assert r.exit_code == 0 and "Did you mean 'Anna de Vries'" in r.stderr


def test_validate(ngs, mini):
    r = ngs("validate", str(mini))
    assert r.exit_code == 0 and "valid (4 meetings, 3 topics)" in r.stdout
    mini.write_text(mini.read_text().replace("year: 2019", "year: '2019'"))
    r = ngs("validate", str(mini))
    assert r.exit_code == 1 and "field year: expected an integer" in r.stderr
    assert "line " in r.stderr


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
    r = ngs("--show-completion", "bash")
    assert r.exit_code == 0 and "_NGS_COMPLETE" in r.stdout


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


# --- messages -------------------------------------------------------------------------


@pytest.mark.parametrize("args", [["list"], ["search", "carbid"], ["related", "2021-utrecht"]])
def test_limit_zero_prints_no_hint(ngs, args):
    r = ngs(*args, "--limit", "0")
    assert r.exit_code == 0 and r.stderr == "" and r.stdout == ""


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


def test_no_none_in_a_sentence(ngs, tmp_path):
    path = write(
        tmp_path / "nobody.yaml",
        "schema_version: 1\ncollection: {title: x}\nmeetings:\n"
        "- {id: a, title: t, date_precision: unknown, sections: [{blocks: []}]}\n",
    )
    for args in (["people"], ["related", "a"], ["timeline"], ["topics"]):
        r = ngs(*args, "--data", str(path))
        assert "None" not in r.stderr + r.stdout, args


@pytest.mark.parametrize("option", ["--theme", "--city", "--speaker"])
def test_an_empty_filter_value_is_a_usage_error(ngs, option):
    # Say from an unset variable: it would match every meeting (a theme) or none (a city).
    r = ngs("list", option, "")
    assert r.exit_code == 2 and not r.stdout and f"'{option}'" in r.stderr
