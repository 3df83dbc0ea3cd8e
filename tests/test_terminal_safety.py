"""Nothing a user owns is at risk: their data file, their output files, their terminal.

The installed command is run as a user runs it (pipes, a pseudo-terminal, signals, a full
disk, a closed stdout); a hostile dataset carries terminal escape sequences and markup in
every field.
"""

from __future__ import annotations

import json
import os
import re
import subprocess

import pytest

from .conftest import FIXTURES, write
from .process import NGS, needs_ngs, on_terminal, posix, run, user_env

HOSTILE = FIXTURES / "hostile.yaml"
# Anything a terminal would obey: ESC but our own colour (SGR) codes, BEL, C1 controls,
# and the bidirectional overrides that reorder what is shown.
OBEYED = re.compile(r"\x1b(?!\[[0-9;]*m)|[\x07\x90-\x9f\u061c\u202a-\u202e\u2066-\u2069]")


# --- one escaping path to the terminal --------------------------------------------------

EVERY_VIEW = [
    ["list"],
    ["list", "--format", "csv"],
    ["list", "--format", "json"],
    ["list", "--format", "ndjson"],
    ["list", "--format", "plain"],
    ["list", "--fields", "title,city,themes"],
    ["show", "2021-evil"],
    ["show", "2021-evil", "--format", "markdown"],
    ["show", "2021-evil", "--format", "json"],
    ["search", "carbid"],
    ["search", "carbid", "--format", "csv"],
    ["people"],
    ["people", "anna"],
    ["topics"],
    ["cities"],
    ["timeline"],
    ["timeline", "--theme", "evil"],
    ["related", "2021-evil"],
    ["cite", "2021-evil"],
    ["cite", "2021-evil", "--style", "bibtex"],
    ["cite", "2021-evil", "--style", "csl-json"],
    ["export", "--format", "markdown"],
    ["export", "--format", "text"],
    ["export", "--format", "csv"],
    ["export", "--format", "json"],
    ["validate"],
    ["show", "evil"],  # a did-you-mean that quotes the data
    ["list", "--city", "Evilcity"],
]


@needs_ngs
@posix
@pytest.mark.parametrize("args", EVERY_VIEW, ids=" ".join)
def test_no_escape_sequence_from_the_data_reaches_the_terminal(args, tmp_path):
    env = {
        **os.environ,
        "NGS_DATA": str(HOSTILE),
        "NGS_CACHE_DIR": str(tmp_path / "cache"),
        "NGS_PAGER": "",
        "TERM": "xterm-256color",
    }
    env.pop("COLUMNS", None)
    code, shown = on_terminal(args, env)
    assert code == (1 if args == ["show", "evil"] else 0), shown
    assert "Traceback" not in shown
    obeyed = OBEYED.findall(shown)
    assert not obeyed, f"{obeyed[:3]} in {shown[:400]!r}"
    if code == 0 and args[0] not in ("validate", "cite", "cities"):
        assert "\\x1b" in shown or "\\u001b" in shown  # shown escaped, not dropped


@needs_ngs
@posix
@pytest.mark.parametrize("fmt", ["markdown", "text", "json", "csv"])
def test_an_address_with_controls_in_it_is_not_obeyed_in_an_export(fmt, tmp_path):
    # An http(s) address holding a bidirectional override and a C1 control: Markdown must
    # not make it a link as it is, nor any view send it to the terminal raw.
    data = tmp_path / "address.yaml"
    data.write_text(
        HOSTILE.read_text(encoding="utf-8").replace(
            'source_url: "javascript:alert(1)\\e]0;pwned\\a <script>"',
            'source_url: "https://example.org/\\u202egpj.exe\\x9b2J"',
        ),
        encoding="utf-8",
    )
    assert "https://example.org/" in data.read_text(encoding="utf-8")
    env = {**os.environ, "NGS_CACHE_DIR": str(tmp_path / "cache"), "NGS_PAGER": ""}
    code, shown = on_terminal(["export", "--format", fmt, "--data", str(data)], env)
    assert code == 0, shown
    obeyed = OBEYED.findall(shown)
    assert not obeyed, f"{obeyed[:3]} in {shown[:400]!r}"
    if fmt == "markdown":  # in a file too: shown as text, not made a link
        out = tmp_path / "export.md"
        run("export", "--data", str(data), "-o", str(out), env=env)
        doc = out.read_text(encoding="utf-8")
        assert "<https://example.org/" not in doc and "\\u202e" in doc


@needs_ngs
@posix
@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_an_output_file_that_is_the_terminal_is_written_safely(fmt, tmp_path):
    env = {**os.environ, "NGS_DATA": str(HOSTILE), "NGS_CACHE_DIR": str(tmp_path / "cache")}
    code, shown = on_terminal(["export", "--format", fmt, "-o", "/dev/stdout"], env)
    assert code == 0 and "2021-evil" in shown, shown
    obeyed = OBEYED.findall(shown)
    assert not obeyed, f"{obeyed[:3]} in {shown[:400]!r}"


def test_usage_errors_escape_what_they_quote_of_the_command_line(ngs):
    for args in (
        ["list", "--\u202eabc"],
        ["list", "x\u202ey"],
        ["--\x1b[31mx"],
        ["--\u202ex"],
        ["li\x1b]0;t\a"],
    ):
        r = ngs(*args)
        assert r.exit_code == 2, args
        assert not OBEYED.search(r.stderr) and ("\\u202e" in r.stderr or "\\x1b" in r.stderr)


def test_completion_escapes_what_it_offers(ngs, tmp_path):
    env = {
        "_NGS_COMPLETE": "complete_bash",
        "COMP_WORDS": "ngs list --city Ev",
        "COMP_CWORD": "3",
        "NGS_DATA": str(HOSTILE),
    }
    r = ngs(env=env)
    assert r.stdout.strip() and not OBEYED.search(r.stdout) and "\\x1b" in r.stdout


def test_markdown_escapes_every_field_of_the_collection_too(ngs):
    doc = ngs("export", "--format", "markdown", "--data", str(HOSTILE)).stdout
    assert "<script>" not in doc and "\\<script\\>" in doc
    # Not an http(s) address: shown as text, never made a link.
    assert "<javascript" not in doc and "](javascript" not in doc
    assert "Evil \\& Co" in doc and "\\&amp;" in doc
    assert "\\<b\\>html\\</b\\>" in doc
    assert "collection \\# heading" in doc  # a '#' in the data starts no heading


# --- outputs ----------------------------------------------------------------------------


# --- data files ---------------------------------------------------------------------


# --- dates --------------------------------------------------------------------------


# --- I/O ------------------------------------------------------------------------------


@needs_ngs
def test_a_terminal_encoding_without_accents_falls_back(tmp_path):
    env = {**user_env(tmp_path), "PYTHONIOENCODING": "ascii", "NGS_PAGER": ""}
    env.pop("NGS_DATA", None)
    code, shown = on_terminal(["show", "2015-utrecht"], env)
    assert code == 0 and "Syri\\xebgangers" in shown
    code, shown = on_terminal(["list"], env)  # ASCII rules, not \u2500 after \u2500
    assert code == 0 and "\\u2500" not in shown and "----" in shown
    r = run("list", "--format", "json", "--city", "Utrecht", env=env)
    assert r.returncode == 0 and json.loads(r.stdout) and r.stdout.isascii()
    # The export formats are UTF-8 in a pipe, as in a file, whatever the locale says.
    for args in (["export", "--format", "csv"], ["export", "--format", "markdown"],
                 ["show", "2015-utrecht"]):  # fmt: skip
        r = subprocess.run([NGS, *args], capture_output=True, env=env, timeout=60)
        text = r.stdout.decode("utf-8")
        assert r.returncode == 0 and not text.isascii() and "\\xe" not in text, args
    r = subprocess.run([NGS, "export"], capture_output=True, timeout=60,
                       env={**env, "PYTHONIOENCODING": "utf-16"})  # fmt: skip
    assert r.returncode == 0 and r.stdout.startswith(b"id,date,")  # UTF-8, not UTF-16


# --- messages ---------------------------------------------------------------------------


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


# --- terminal tables fit the terminal -------------------------------------------------


@pytest.mark.parametrize("width", [20, 40, 80, 250])
@pytest.mark.parametrize(
    "args", [["list"], ["people"], ["topics"], ["cities"], ["search", "veiligheid"],
             ["timeline"], ["related", "2014-rotterdam"]],
)  # fmt: skip
def test_terminal_views_are_never_wider_than_the_screen(ngs, bundled, args, width):
    from rich.cells import cell_len

    r, shown = ngs.terminal(*args, width=width)
    assert r.exit_code == 0
    plain = re.sub(r"\x1b\[[0-9;]*m", "", shown)
    assert plain.strip()
    assert max(cell_len(line) for line in plain.splitlines()) <= width


def test_citations_in_a_file_are_escaped_as_shown_text_is(ngs):
    for style in ("apa", "bibtex"):
        r = ngs("cite", "2021-evil", "--style", style, "--data", str(HOSTILE))
        assert r.exit_code == 0 and not OBEYED.search(r.stdout) and "\\x1b" in r.stdout, style


@pytest.mark.parametrize("option", ["--theme", "--city", "--speaker"])
def test_an_empty_filter_value_is_a_usage_error(ngs, option):
    # Say from an unset variable: it would match every meeting (a theme) or none (a city).
    r = ngs("list", option, "")
    assert r.exit_code == 2 and not r.stdout and f"'{option}'" in r.stderr
