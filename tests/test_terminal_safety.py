"""The user's terminal is safe: nothing from the data is obeyed as an escape sequence,
colour and the pager only where they belong, views no wider than the screen, and an
encoding that cannot show a letter gets an escape instead of an error.

The installed command is run as a user runs it where it matters (a pseudo-terminal); a
hostile dataset carries terminal escape sequences and markup in every field.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys

import pytest

from ngs_cli.text import printable

from .conftest import FIXTURES, MINI
from .process import NGS, needs_ngs, on_terminal, posix, run, user_env

HOSTILE = FIXTURES / "hostile.yaml"
# Anything a terminal would obey: ESC but our own colour (SGR) codes, BEL, C1 controls,
# and the bidirectional overrides that reorder what is shown.
OBEYED = re.compile(r"\x1b(?!\[[0-9;]*m)|[\x07\x90-\x9f\u061c\u202a-\u202e\u2066-\u2069]")


# --- nothing from the data is obeyed by the terminal ----------------------------------

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


def compiled(env: dict[str, str], *args: str) -> None:
    """The data compiled into the cache first, in a pipe: the run on the terminal then
    has nothing to compile, so no progress of ngs's own is drawn there (on a loaded
    machine a compile lasts the half second after which it is), only what the data
    makes of the view."""
    assert run("list", *args, env=env).returncode == 0


@pytest.mark.slow
@needs_ngs
@posix
@pytest.mark.parametrize("args", EVERY_VIEW, ids=" ".join)
def test_no_escape_sequence_from_the_data_reaches_the_terminal(args, tmp_path):
    env = user_env(tmp_path, NGS_DATA=str(HOSTILE), TERM="xterm-256color")
    compiled(env)
    # validate reads the file itself, not the cache: quiet, so no progress of its own.
    code, shown = on_terminal(["-q", *args] if args[0] == "validate" else args, env)
    assert code == (1 if args == ["show", "evil"] else 0), shown
    assert "Traceback" not in shown
    obeyed = OBEYED.findall(shown)
    assert not obeyed, f"{obeyed[:3]} in {shown[:400]!r}"
    if code == 0 and args[0] not in ("validate", "cite", "cities"):
        assert "\\x1b" in shown or "\\u001b" in shown  # shown escaped, not dropped


@pytest.mark.slow
@needs_ngs
@posix
@pytest.mark.parametrize("fmt", ["markdown", "text", "json", "csv"])
def test_an_address_with_controls_in_it_is_not_obeyed_in_an_export(fmt, tmp_path):
    # An http(s) address holding a bidirectional override and a C1 control: Markdown must
    # not make it a link as it is, nor any view send it to the terminal raw.
    data = tmp_path / "address.yaml"
    data.write_text(
        HOSTILE.read_text(encoding="utf-8").replace(
            'source_url: "https://evil.example/\\e]0;pwned\\a <script>"',
            'source_url: "https://example.org/\\u202egpj.exe\\x9b2J"',
        ),
        encoding="utf-8",
    )
    assert "https://example.org/" in data.read_text(encoding="utf-8")
    env = user_env(tmp_path)
    compiled(env, "--data", str(data))
    code, shown = on_terminal(["export", "--format", fmt, "--data", str(data)], env)
    assert code == 0, shown
    obeyed = OBEYED.findall(shown)
    assert not obeyed, f"{obeyed[:3]} in {shown[:400]!r}"
    if fmt == "markdown":  # in a file too: shown as text, not made a link
        out = tmp_path / "export.md"
        run("export", "--data", str(data), "-o", str(out), env=env)
        doc = out.read_text(encoding="utf-8")
        assert "<https://example.org/" not in doc and "\\u202e" in doc


@pytest.mark.slow
@needs_ngs
@posix
@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_an_output_file_that_is_the_terminal_is_written_safely(fmt, tmp_path):
    env = user_env(tmp_path, NGS_DATA=str(HOSTILE))
    compiled(env)
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
    # An address with controls and markup in it: shown as text, never made a link.
    assert "<https://evil" not in doc and "](https://evil" not in doc
    assert "Evil \\& Co" in doc and "\\&amp;" in doc
    assert "\\<b\\>html\\</b\\>" in doc
    assert "collection \\# heading" in doc  # a '#' in the data starts no heading


def test_citations_in_a_file_are_escaped_as_shown_text_is(ngs):
    for style in ("apa", "bibtex"):
        r = ngs("cite", "2021-evil", "--style", style, "--data", str(HOSTILE))
        assert r.exit_code == 0 and not OBEYED.search(r.stdout), style
        # Shown as its escape: in BibTeX with its backslash as TeX's \textbackslash{}.
        assert re.search(r"(\\|\\textbackslash\{\})x1b", r.stdout), (style, r.stdout)


def test_markup_and_escapes_in_data_are_shown_literally(ngs, mini):
    text = mini.read_text(encoding="utf-8").replace(
        "title: Jeugd en veiligheid",
        'title: "[bold]Jeugd[/] [link=http://x]klik[/link] \\e[31mrood"',
    )
    mini.write_text(text, encoding="utf-8")
    for fmt in ("table", "plain", "json"):
        r = ngs("list", "--format", fmt, "--data", str(mini))
        assert r.exit_code == 0
        assert "[bold]Jeugd[/]" in r.stdout and "[link=http://x]" in r.stdout
        assert "\x1b" not in r.stdout
    r = ngs("show", "2019", "--data", str(mini))
    assert "[bold]Jeugd[/]" in r.stdout and "\x1b" not in r.stdout


def test_terminal_views_style_but_never_pass_escapes_from_the_data(ngs, mini):
    text = mini.read_text(encoding="utf-8").replace(
        "title: Jeugd en veiligheid", 'title: "[bold red]Jeugd[/] \\e]8;;http://x\\e\\\\"'
    )
    mini.write_text(text, encoding="utf-8")
    for args in (["show", "2019"], ["list"], ["search", "jeugd"], ["timeline"]):
        r, shown = ngs.terminal(*args, "--data", str(mini))
        assert r.exit_code == 0, args
        assert "[bold red]Jeugd[/]" in shown and "\\x1b]8" in shown, args
        assert "\x1b]8" not in shown, args  # the data's own escape is shown, not sent
        assert "\x1b[1" in shown, args  # our own styles are


def test_printable_makes_escapes_visible():
    assert printable("a\x1b[31mb\x07") == "a\\x1b[31mb\\x07"
    assert printable("rechts\u202eaf") == "rechts\\u202eaf"
    assert printable("gewoon tekst ë") == "gewoon tekst ë"


# --- colour ---------------------------------------------------------------------------


def test_no_color_turns_styles_off(monkeypatch):
    from ngs_cli.cli.env import Environment

    class Tty(io.StringIO):
        def isatty(self):
            return True

    monkeypatch.setattr("sys.stdout", Tty())
    assert Environment.from_system().colour
    monkeypatch.setenv("NO_COLOR", "1")
    assert not Environment.from_system().colour


def test_list_table_format_without_colour_in_a_pipe(ngs):
    r = ngs("list", "--format", "table")
    assert "Corona en de jaarwisseling" in r.stdout and "\x1b[" not in r.stdout


@needs_ngs
def test_no_colour_with_no_color_even_when_forced_to_a_table(tmp_path):
    env = user_env(tmp_path, NGS_DATA=str(MINI), NO_COLOR="1")
    r = run("list", "--format", "table", env=env)
    assert r.returncode == 0 and "\x1b[" not in r.stdout


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


# --- views fit the terminal -----------------------------------------------------------


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
    # An id longer than the screen is the one line the terminal wraps (see below).
    ids = {m["id"] for m in json.loads(ngs("list", "--format", "json").stdout)}
    ids |= {t["id"] for t in json.loads(ngs("topics", "--format", "json").stdout)}
    assert max(cell_len(line) for line in plain.splitlines() if line not in ids) <= width


@pytest.mark.parametrize(
    "args", [["list"], ["people"], ["search", "politie"], ["related", "2019"]], ids=" ".join
)
def test_an_id_longer_than_the_screen_stays_one_line_to_copy(ngs, tmp_path, args):
    # Wrapped by the terminal, not broken by ngs: a line the terminal wraps is copied as
    # one; every other line still fits the screen, and no word breaks letter by letter.
    from rich.cells import cell_len

    long = "2021-utrecht-een-heel-lange-id-van-de-bijeenkomst"
    data = MINI.read_text(encoding="utf-8").replace("2021-utrecht", long)
    source = tmp_path / "lang.yaml"
    source.write_text(data, encoding="utf-8")
    r, shown = ngs.terminal(*args, "--data", str(source), width=30, colour=False)
    assert r.exit_code == 0, r.stderr
    lines = shown.splitlines()
    assert long in lines, shown
    assert max(cell_len(line) for line in lines if line != long) <= 30
    assert "burgemee\n" not in shown and "dagvoorz\n" not in shown


def test_show_and_topics_on_a_narrow_screen_break_no_id_and_no_word(ngs, tmp_path, bundled):
    from rich.cells import cell_len

    r, shown = ngs.terminal("show", "marokkaans", width=30, colour=False)
    assert r.exit_code == 0 and "marokkaans-nederlandse-jongeren" in shown.splitlines(), shown
    assert "Marokkaans-Nederlandse" in shown  # a word longer than beside its label
    r, shown = ngs.terminal("topics", width=30, colour=False)
    assert r.exit_code == 0 and "coffeeshopbeleid," in shown, shown
    ids = {t["id"] for t in json.loads(ngs("topics", "--format", "json").stdout)}
    assert max(cell_len(line) for line in shown.splitlines() if line not in ids) <= 30


@pytest.mark.parametrize("ref, width", [("2023", 60), ("2020-corona-online", 25)])
def test_show_on_a_terminal_wraps_to_its_width(ngs, bundled, ref, width):
    _, shown = ngs.terminal("show", ref, width=width)
    import re

    lines = re.sub(r"\x1b\[[0-9;]*m", "", shown).splitlines()
    assert max(len(line) for line in lines) <= width


# --- encodings ------------------------------------------------------------------------


@pytest.mark.slow
@needs_ngs
def test_a_terminal_encoding_without_accents_falls_back(tmp_path):
    env = user_env(tmp_path, PYTHONIOENCODING="ascii")
    code, shown = on_terminal(["show", "2015-utrecht"], env)
    assert code == 0 and "Syri\\xebgangers" in shown
    code, shown = on_terminal(["list"], env)  # ASCII rules, not \u2500 after \u2500
    assert code == 0 and "\\u2500" not in shown and "----" in shown
    # The data formats, JSON too, are UTF-8 in a pipe, as in a file, whatever the locale says.
    r = run("show", "2015-utrecht", "--format", "json", env=env)
    assert r.returncode == 0 and json.loads(r.stdout) and "Syriëgangers" in r.stdout
    for args in (["export", "--format", "csv"], ["export", "--format", "markdown"],
                 ["show", "2015-utrecht"]):  # fmt: skip
        r = subprocess.run([NGS, *args], capture_output=True, env=env, timeout=60)
        text = r.stdout.decode("utf-8")
        assert r.returncode == 0 and not text.isascii() and "\\xe" not in text, args
    r = subprocess.run([NGS, "export"], capture_output=True, timeout=60,
                       env={**env, "PYTHONIOENCODING": "utf-16"})  # fmt: skip
    assert r.returncode == 0 and r.stdout.startswith(b"id,date,")  # UTF-8, not UTF-16


@pytest.mark.slow
@needs_ngs
@posix
@pytest.mark.parametrize(
    "args",
    [
        ["show", "2021-evil", "--format", "json"],
        ["list", "--format", "ndjson"],
        ["cite", "2021-evil", "--style", "csl-json"],
        ["export", "--format", "json", "-o", "/dev/stdout"],
    ],
    ids=" ".join,
)
def test_json_shown_on_a_terminal_stays_json(args, tmp_path):
    # DEL, C1 controls and a bidirectional override escaped as JSON escapes them
    # (\u0085), never as the terminal's \x85, which no JSON reader accepts.
    data = tmp_path / "controls.yaml"
    title = 'title: "Title \\e]52;c;cHduZWQ=\\a | pipe # hash"'
    assert title in HOSTILE.read_text(encoding="utf-8")
    data.write_text(
        HOSTILE.read_text(encoding="utf-8").replace(
            title, 'title: "Wat\\x7f nu\\x85 \\x9b2J \\u202edaar"'
        ),
        encoding="utf-8",
    )
    env = user_env(tmp_path, NGS_DATA=str(data))
    compiled(env)
    code, shown = on_terminal(args, env)
    assert code == 0, shown
    assert not OBEYED.findall(shown) and "\x7f" not in shown and "\x85" not in shown
    text = shown.replace("\r\n", "\n")
    values = (
        [json.loads(line) for line in text.splitlines()] if "ndjson" in args else [json.loads(text)]
    )
    titles = json.dumps(values, ensure_ascii=False)
    assert "Wat\x7f nu\x85 \x9b2J \u202edaar" in titles, text[:400]


def test_the_page_report_escapes_what_it_quotes_of_the_page(ngs, tmp_path):
    # The report of validate --source quotes the page's sentences, written at once: a
    # line with a control character among printable ones is escaped all the same.
    page = tmp_path / "pagina.txt"
    page.write_text("Een gewone zin.\nWissen \x1b[2J hier.\nOmgekeerd \u202e hier.\n", "utf-8")
    r = ngs("validate", "--source", str(page))
    assert r.exit_code == 1 and '"Een gewone zin."' in r.stderr, r.stderr
    assert not OBEYED.search(r.stderr), r.stderr
    assert "\\x1b[2J" in r.stderr and "\\u202e" in r.stderr, r.stderr
