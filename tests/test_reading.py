"""Reading in an 80×24 terminal: long views paged, the terminal given back as it was,
ids never broken, help that reads as help, near misses that suggest the near thing, and
a verslag that gives each fact once.

The installed command runs on a pseudo-terminal where the terminal itself matters (the
pager, its modes, signals); views are drawn in-process at a given width otherwise.
"""

from __future__ import annotations

import json
import os
import re
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ngs_cli.cli import _MODULES

from .process import NGS, needs_ngs, posix, run, user_env

SGR = re.compile(r"\x1b\[[0-9;]*m")


def recording_pager(tmp_path: Path, body: str = "") -> tuple[str, Path]:
    """A pager command that records that it ran (and what it was given) in a file."""
    saved = tmp_path / "paged.txt"
    script = tmp_path / "pager.py"
    script.write_text(
        "import sys\n"
        f"data = sys.stdin.buffer.read()\nopen({str(saved)!r}, 'wb').write(data)\n{body}"
    )
    return f"{sys.executable} {script}", saved


class Pty:
    """ngs started on a pseudo-terminal of a given size, for a test to watch and signal."""

    def __init__(self, args: list[str], env: dict[str, str], columns: int = 80, rows: int = 24):
        import pty
        import struct
        import termios
        from fcntl import ioctl

        self.main, self.child = pty.openpty()
        ioctl(self.child, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        self.proc = subprocess.Popen(
            [NGS, *args],
            stdin=self.child,
            stdout=self.child,
            stderr=self.child,
            env=env,
            start_new_session=True,  # the pty is its terminal, as in a real session
        )
        self.shown = b""

    def read(self, until: float = 30) -> None:
        """Read what is shown until ngs has exited and the screen is quiet."""
        deadline = time.monotonic() + until
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.main], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(self.main, 65536)
                except OSError:
                    break
                self.shown += chunk
            elif self.proc.poll() is not None:
                break

    def modes(self) -> list:
        import termios

        return termios.tcgetattr(self.child)

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        os.close(self.main)
        os.close(self.child)


def wait_for(path: Path, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists():
        assert time.monotonic() < deadline, f"{path.name} never appeared"
        time.sleep(0.05)


# --- long views are paged on a terminal, never in a pipe -------------------------------

PAGED = [
    (["list"], 24),
    (["timeline"], 24),
    (["search", "veiligheid"], 24),
    (["related", "2014-rotterdam"], 10),
    (["topics"], 24),
    (["cities"], 8),
    (["export"], 24),
    (["export", "--format", "markdown"], 24),
    (["list", "--format", "json"], 24),
]


@pytest.mark.slow
@needs_ngs
@posix
@pytest.mark.parametrize("args, rows", PAGED)
def test_long_views_go_through_the_pager_on_a_terminal(tmp_path, args, rows):
    cmd, saved = recording_pager(tmp_path)
    screen = Pty(args, user_env(tmp_path, NGS_PAGER=cmd), rows=rows)
    try:
        screen.read()
        assert screen.proc.wait(timeout=30) == 0, screen.shown
    finally:
        screen.close()
    assert saved.exists(), args
    paged = SGR.sub("", saved.read_text()).splitlines()
    assert len(paged) > 5
    shown = SGR.sub("", screen.shown.decode())
    assert not any(line.strip() in shown for line in paged if line.strip())  # not ngs itself


@pytest.mark.slow
@needs_ngs
@posix
@pytest.mark.parametrize("args", [a for a, _ in PAGED])
def test_never_a_pager_in_a_pipe_or_when_turned_off(tmp_path, args):
    cmd, saved = recording_pager(tmp_path)
    r = run(*args, env=user_env(tmp_path, NGS_PAGER=cmd))
    assert r.returncode == 0 and r.stdout and not saved.exists()
    screen = Pty([*args, "--no-pager"], user_env(tmp_path, NGS_PAGER=cmd), rows=5)
    try:
        screen.read()
        assert screen.proc.wait(timeout=30) == 0 and screen.shown
    finally:
        screen.close()
    assert not saved.exists()


# --- the terminal is given back as it was ---------------------------------------------


@pytest.mark.slow
@needs_ngs
@posix
@pytest.mark.parametrize("args", [["list"], ["show", "2014-rotterdam"], ["people"]])
def test_a_pager_that_fails_at_once_leaves_the_text_to_ngs(tmp_path, args):
    screen = Pty(args, user_env(tmp_path, NGS_PAGER="false"), rows=10)
    try:
        screen.read()
        code = screen.proc.wait(timeout=30)
    finally:
        screen.close()
    assert code == 0 and b"2014-rotterdam" in screen.shown


# Turns echo and line editing off, as less does, then waits to be told to stop.
SLOW_PAGER = """
import signal, sys, termios, time
tty = sys.stdout.fileno()
modes = termios.tcgetattr(tty)
modes[3] &= ~(termios.ECHO | termios.ICANON)
termios.tcsetattr(tty, termios.TCSANOW, modes)
def stop(signum, frame):
    open({ended!r}, 'w').write(str(signum))
    {on_stop}
signal.signal(signal.SIGTERM, stop)
signal.signal(signal.SIGHUP, stop)
open({ready!r}, 'w').write('')
for _ in range(600):
    time.sleep(0.1)
"""


def slow_pager(tmp_path: Path, *, obeys: bool) -> tuple[str, Path, Path]:
    ready, ended = tmp_path / "ready", tmp_path / "ended"
    cmd, _ = recording_pager(
        tmp_path,
        SLOW_PAGER.format(
            ready=str(ready), ended=str(ended), on_stop="sys.exit(0)" if obeys else "pass"
        ),
    )
    return cmd, ready, ended


@pytest.mark.slow
@needs_ngs
@posix
def test_ctrl_c_belongs_to_the_pager_also_while_ngs_still_writes_to_it(tmp_path):
    ready, go = tmp_path / "ready", tmp_path / "go"
    saved = tmp_path / "paged.txt"
    script = tmp_path / "pager.py"
    # The pager says it is ready once ngs has filled the pipe to it (64 KiB waiting
    # unread: FIONREAD), so ngs is blocked writing when the Ctrl-C comes.
    script.write_text(
        "import fcntl, os, struct, sys, termios, time\n"
        "def waiting():\n"
        "    return struct.unpack('i', fcntl.ioctl(0, termios.FIONREAD, b'\\0' * 4))[0]\n"
        "while waiting() < 65536:\n    time.sleep(0.02)\n"
        f"open({str(ready)!r}, 'w').close()\n"
        f"while not os.path.exists({str(go)!r}):\n    time.sleep(0.02)\n"
        f"open({str(saved)!r}, 'wb').write(sys.stdin.buffer.read())\n"
    )
    env = user_env(tmp_path, NGS_PAGER=f"{sys.executable} {script}")
    screen = Pty(["export", "--format", "json"], env, rows=10)
    try:
        wait_for(ready)
        screen.proc.send_signal(signal.SIGINT)
        time.sleep(0.3)  # for ngs to take the signal in its blocked write
        go.touch()
        assert screen.proc.wait(timeout=30) == 0
    finally:
        screen.close()
    paged = saved.read_text()
    assert len(paged) > 65536 and paged.rstrip().endswith("]")  # all of it, once


@pytest.mark.slow
@needs_ngs
@posix
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_a_pager_is_told_and_waited_for_when_ngs_must_stop(tmp_path, signum):
    cmd, ready, ended = slow_pager(tmp_path, obeys=True)
    screen = Pty(["list"], user_env(tmp_path, NGS_PAGER=cmd), rows=10)
    try:
        wait_for(ready)
        screen.proc.send_signal(signum)
        code = screen.proc.wait(timeout=30)
        # The pager was told, and had gone, before ngs exited.
        assert ended.exists() and ended.read_text() == str(int(signum))
        assert code == 128 + signum
    finally:
        screen.close()


@pytest.mark.slow
@needs_ngs
@posix
def test_the_terminal_modes_come_back_when_a_pager_must_be_ended(tmp_path):
    cmd, ready, ended = slow_pager(tmp_path, obeys=False)  # ignores SIGTERM: killed
    screen = Pty(["list"], user_env(tmp_path, NGS_PAGER=cmd), rows=10)
    try:
        before = screen.modes()
        wait_for(ready)
        import termios

        assert not screen.modes()[3] & termios.ECHO  # the pager turned echo off
        screen.proc.send_signal(signal.SIGTERM)
        assert screen.proc.wait(timeout=30) == 128 + signal.SIGTERM
        assert screen.modes() == before
    finally:
        screen.close()


# --- ids are never broken -------------------------------------------------------------


def whole_on_a_line(ident: str, shown: str) -> bool:
    token = re.compile(rf"(?<![\w-]){re.escape(ident)}(?![\w-])")
    return any(token.search(line) for line in SGR.sub("", shown).splitlines())


@pytest.mark.parametrize("width", [40, 60, 80, 120])
@pytest.mark.parametrize(
    "args",
    [["list"], ["search", "veiligheid"], ["search", "jongeren"], ["related", "2013-eindhoven"],
     ["related", "2007-jeugd"], ["list", "--fields", "title,id"]],
)  # fmt: skip
def test_every_id_appears_whole_on_one_line(ngs, bundled, args, width):
    every = {m["id"] for m in json.loads(ngs("list", "--format", "json").stdout)}
    wanted = [args[0], *args[1:]] if "--fields" not in args else ["list"]
    found = {m["id"] for m in json.loads(ngs(*wanted, "--format", "json").stdout)}
    assert found and found <= every
    _, shown = ngs.terminal(*args, width=width)
    broken = [i for i in sorted(found) if not whole_on_a_line(i, shown)]
    assert not broken, shown


@pytest.mark.parametrize("width", [40, 60, 80, 120])
@pytest.mark.parametrize("args, field", [(["people"], "meeting"), (["topics"], "id")])
def test_ids_in_the_indexes_are_whole_too(ngs, bundled, args, field, width):
    rows = json.loads(ngs(*args, "--format", "json").stdout)
    ids = (
        {a["meeting"] for p in rows for a in p["appearances"]}
        if field == "meeting"
        else {r["id"] for r in rows}
    )
    _, shown = ngs.terminal(*args, width=width)
    assert not [i for i in sorted(ids) if not whole_on_a_line(i, shown)], shown


# --- show gives each fact once, in one style ------------------------------------------


def flat(shown: str) -> str:
    return " ".join(SGR.sub("", shown).split())


def test_show_names_each_session_of_the_programme_once(ngs, bundled):
    meeting = json.loads(ngs("show", "2023", "--format", "json").stdout)
    assert meeting["programme"]
    for width in (80, 120):
        _, shown = ngs.terminal("show", "2023", width=width)
        text = flat(shown)
        for item in meeting["programme"]:
            # The session with its first speaker: listed, or in the verslag's words.
            session = "• " + re.escape(" ".join(item["title"].split()))
            if item["speakers"]:
                last = item["speakers"][0]["name"].split()[-1]
                session += rf"(?=[^•]{{0,60}}\b{re.escape(last)}\b)"
            assert len(re.findall(session, text)) == 1, session
        # The people with their role, once; then the verslag in its own words.
        assert text.index("People") < text.index("Verslag") < text.index("Programma")
        assert text.count("Hubert Bruls, burgemeester van Nijmegen, gemeente Nijmegen") == 1


def test_the_programme_is_listed_when_the_verslag_has_none_of_its_own(ngs, bundled):
    text = ngs("show", "2014-rotterdam").stdout
    assert text.count("\nProgramme\n---------\n") == 1
    # Roles are said once, under People; the programme names the speakers.
    assert "  Aboutaleb, burgemeester, gemeente Rotterdam\n" in text
    assert "radicalisering — Aboutaleb\n" in text


@pytest.mark.parametrize("ref", ["2023", "2021-utrecht"])
def test_plain_text_has_one_heading_style(ngs, monkeypatch, ref):
    if ref == "2023":
        monkeypatch.delenv("NGS_DATA")  # the bundled data
    text = ngs("show", ref).stdout
    assert not re.search(r"(?m)^#", text)  # no Markdown heading beside the underlines
    lines = text.splitlines()
    underlined = [lines[i - 1] for i, x in enumerate(lines) if x and set(x) <= set("=-~.")]
    assert "People" in underlined and "Verslag" in underlined
    if ref == "2023":
        assert "Programma" in underlined and "Burgemeester Bruls" in underlined
    for i, line in enumerate(lines):
        if line and set(line) <= set("=-~."):
            assert len(line) == len(lines[i - 1])


def test_the_verslags_headings_stand_out_on_a_terminal(ngs, bundled):
    _, shown = ngs.terminal("show", "2023", width=80)
    assert re.search(r"\x1b\[[0-9;]*1[0-9;]*mBurgemeester Bruls\x1b\[0m", shown)
    assert "~~~~" not in shown  # styled, not underlined


# --- help reads as help ---------------------------------------------------------------


COMMANDS = list(_MODULES)  # every command


@pytest.mark.parametrize("language", ["C.UTF-8", "nl_NL.UTF-8"])
def test_each_command_takes_one_line_in_the_command_list(ngs, monkeypatch, language):
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setenv("LANG", language)
    shown = ngs("--help").stdout
    rows = [line for line in shown.splitlines() if line.startswith("│")]
    for name in COMMANDS:
        mine = [i for i, row in enumerate(rows) if row.startswith(f"│ {name} ")]
        assert len(mine) == 1, name
        following = rows[mine[0] + 1] if mine[0] + 1 < len(rows) else "│ x"
        assert not following.startswith("│          "), (name, following)  # no second line


@pytest.mark.parametrize("language", ["C.UTF-8", "nl_NL.UTF-8"])
@pytest.mark.parametrize("name", COMMANDS)
def test_help_at_80_columns_reads_as_help(ngs, monkeypatch, name, language):
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("LANG", language)
    shown = ngs(name, "--help").stdout
    assert max(len(line) for line in shown.splitlines()) <= 80
    # No list of choices split inside a word, no {QUERY} or <str> noise, no x>=0.
    for line in shown.splitlines():
        assert not re.search(r"\[[\w|-]*\|[\w-]*$", line.rstrip(" │")), line
    assert not re.search(r"\{[A-Z]+\}|<str>|x>=0", shown), shown
    assert re.search(r"(?m)^ (Usage|Gebruik): ngs " + name, shown)


# --- near misses ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "args, near",
    [(["lst"], "'list'"), (["seach", "x"], "'search'"), (["list", "--thema", "x"], "--theme"),
     (["people", "--sortt", "x"], "--sort"), (["search", "x", "--limt", "3"], "--limit")],
)  # fmt: skip
def test_a_near_miss_suggests_the_near_thing_only(ngs, args, near):
    r = ngs(*args)
    assert r.exit_code == 2
    lines = r.stderr.splitlines()
    assert len(lines) == 2 and lines[0].startswith("ngs: ") and lines[1].startswith("Try 'ngs")
    assert lines[0].endswith(f"Did you mean {near}?"), lines
    if near.startswith("--"):  # a sentence each: "No such option: --thema. Did you ..."
        typed = next(a for a in args if a.startswith("--"))
        assert f"{typed}. Did you mean" in lines[0], lines
    assert lines[0].count("--") <= 2 and "--help" not in lines[0] and "--year" not in lines[0]
    assert not re.search("[│╭╰─]", r.stderr)  # plain lines in a pipe, no box


def test_a_near_miss_in_dutch(ngs, monkeypatch):
    monkeypatch.setenv("LANG", "nl_NL.UTF-8")
    assert ngs("lst").stderr.splitlines() == [
        "ngs: Onbekende opdracht 'lst'. Bedoelt u 'list'?",
        "Typ 'ngs -h' voor hulp.",
    ]
    assert ngs("list", "--thema", "x").stderr.splitlines()[0] == (
        "ngs: Onbekende optie --thema. Bedoelt u --theme?"
    )


def test_nothing_near_suggests_nothing(ngs):
    r = ngs("list", "--zzzzzz")
    assert r.stderr.splitlines()[0] == "ngs: No such option: --zzzzzz"


def test_ngs_alone_shows_its_help_and_no_empty_error(ngs):
    r = ngs()
    assert "Usage: ngs" in r.stdout and "ngs:" not in r.stderr


def test_less_is_told_the_text_is_utf8_unless_the_user_says_otherwise(ngs, tmp_path):
    seen = tmp_path / "charset"
    cmd, _ = recording_pager(
        tmp_path, f"import os\nopen({str(seen)!r}, 'w').write(os.environ.get('LESSCHARSET', '-'))\n"
    )
    ngs.terminal("list", height=3, environ={"NGS_PAGER": cmd})
    assert seen.read_text() == "utf-8"
    ngs.terminal("list", height=3, environ={"NGS_PAGER": cmd, "LESSCHARSET": "latin1"})
    assert seen.read_text() == "latin1"
