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
