"""Long work shows its progress on stderr when stderr is a terminal, and only then: never
in a pipe or a file, with --quiet or on a dumb terminal; stdout and the exit code are
the same either way, and an interrupted run leaves the terminal as it was."""

from __future__ import annotations

import contextlib
import io
import json
import os
import select
import signal
import subprocess
import sys

import pytest

from ngs_cli.cli import progress as shown
from ngs_cli.cli.env import Environment
from ngs_cli.cli.options import Ctx
from ngs_cli.progress import Progress

from .conftest import REPO
from .process import NGS, needs_ngs, posix, user_env

HIDE, SHOW = "\x1b[?25l", "\x1b[?25h"  # the cursor, hidden while Rich draws


class Clock:
    """A monotonic clock the test moves, counting how often it is read."""

    def __init__(self) -> None:
        self.now = 100.0
        self.reads = 0

    def monotonic(self) -> float:
        self.reads += 1
        return self.now


@pytest.fixture
def clock(monkeypatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(shown.time, "monotonic", fake.monotonic)
    return fake


def test_quick_work_draws_nothing(clock):
    screen = io.StringIO()
    progress = shown.TerminalProgress(screen)
    progress.stage("Indexing", 1000)
    for _ in range(1000):
        clock.now += 0.0004  # 0.4 s in all
        progress.advance()
    progress.close()
    assert screen.getvalue() == ""


def test_long_work_draws_a_few_times_a_second_and_looks_at_the_clock_now_and_then(
    clock, monkeypatch
):
    from rich.progress import Progress

    updates = []
    original = Progress.update
    monkeypatch.setattr(
        Progress, "update", lambda self, *a, **k: (updates.append(k), original(self, *a, **k))
    )
    screen = io.StringIO()
    progress = shown.TerminalProgress(screen)
    progress.stage("Indexing", 100_000)
    for _ in range(100_000):
        clock.now += 0.00002  # 2 s in all
        progress.advance()
    progress.close()
    # Drawn from 0.5 s on, every quarter of a second: six times, give or take one.
    assert 4 <= len(updates) <= 8, len(updates)
    assert updates[-1]["completed"] > 90_000
    assert clock.reads < 1000  # not once a meeting
    out = screen.getvalue()
    assert "Indexing" in out
    assert out.count(HIDE) == 1 and out.rindex(SHOW) > out.index(HIDE)


def test_a_signal_while_the_display_is_erased_comes_after_it_is(clock, monkeypatch):
    from rich.progress import Progress

    progress = shown.TerminalProgress(io.StringIO())
    progress.stage("Reading", 10, percent=True)
    clock.now += 1
    progress.advance()
    erased = []
    original = Progress.stop

    def stop(self):
        signal.raise_signal(signal.SIGINT)  # Ctrl-C, pressed while the display is erased
        original(self)
        erased.append(True)

    monkeypatch.setattr(Progress, "stop", stop)
    with pytest.raises(KeyboardInterrupt):
        progress.close()
    assert erased == [True]


def test_a_signal_as_the_display_starts_comes_once_it_has(clock, monkeypatch):
    from rich.console import Console

    original = Console.show_cursor

    def show_cursor(self, show=True):
        if not show:  # Rich hides the cursor halfway through starting its display
            signal.raise_signal(signal.SIGINT)
        return original(self, show)

    monkeypatch.setattr(Console, "show_cursor", show_cursor)
    screen = io.StringIO()
    progress = shown.TerminalProgress(screen)
    progress.stage("Reading", 10, percent=True)
    clock.now += 1
    with pytest.raises(KeyboardInterrupt):
        progress.advance()
    progress.close()  # as the command's cleanup does
    out = screen.getvalue()
    assert out.count(HIDE) == 1 and out.rindex(SHOW) > out.index(HIDE)


@pytest.mark.parametrize(
    ("changes", "drawn"),
    [
        ({}, True),
        ({"stderr_terminal": False}, False),  # a pipe or a file
        ({"quiet": True}, False),
        ({"environ": {"TERM": "dumb", "NO_COLOR": "1"}}, False),
        ({"environ": {"TERM": "dumb"}}, False),  # cannot redraw a line
        ({"environ": {"TERM": "xterm", "NO_COLOR": "1"}}, True),  # without colour
    ],
)
def test_where_progress_is_drawn(changes, drawn):
    env = Environment(
        stdout=io.StringIO(),
        stderr=io.StringIO(),
        stdin=None,
        stderr_terminal=True,
        environ={"TERM": "xterm"},
    )._replace(**changes)
    assert env.draws_progress is drawn


def test_quiet_leaves_out_notices_but_not_errors(ngs):
    r = ngs("list", "--city", "Utrech")
    assert r.exit_code == 0 and "No meetings match" in r.stderr and "Utrecht" in r.stderr
    r = ngs("--quiet", "list", "--city", "Utrech")
    assert (r.exit_code, r.stdout, r.stderr) == (0, "", "")
    r = ngs("-q", "show", "no-such-meeting")
    assert r.exit_code == 1 and "no meeting matches" in r.stderr


@posix
def test_a_quick_command_on_a_terminal_never_imports_rich_progress(tmp_path):
    # stderr on a terminal: the progress is ready to be drawn, but a warm list is quick.
    env = user_env(tmp_path)
    command = [sys.executable, "-X", "importtime", "-m", "ngs_cli", "list"]
    assert stderr_on_terminal(["list"], env, command=command[:-1])[0] == 0  # compiled
    code, out, err = stderr_on_terminal(["list"], env, command=command[:-1])
    assert code == 0 and out
    assert "ngs_cli.cli.progress" in err  # imported: stderr is a terminal
    assert "rich.progress" not in err


class Recorder(Progress):
    """Keeps what the library reports: each stage with its size and what it advanced."""

    def __init__(self) -> None:
        self.stages: list[list] = []

    def stage(self, name, total=None, *, percent=False):
        self.stages.append([name, total, 0])

    def advance(self, n=1):
        self.stages[-1][2] += n


def test_the_compile_reports_reading_checking_and_indexing_each_meeting():
    from ngs_cli.store import open_store

    from .conftest import MINI

    heard = Recorder()
    store = open_store(MINI, use_cache=False, progress=heard)
    (n,) = store.conn.execute("SELECT count(*) FROM meetings").fetchone()
    size = MINI.stat().st_size
    assert heard.stages == [
        ["Reading", size, size],  # the parser's pass over the file's bytes
        ["Checking", None, 0],
        [f"Checking {n} meetings", None, 0],
        ["Indexing", n, n],
        ["Indexing the words", None, 0],
    ]


def test_the_page_reader_and_the_page_check_report_each_line():
    from ngs_cli.curation.draft import draft_meeting
    from ngs_cli.curation.pagecheck import check_page
    from ngs_cli.yamlio import parse

    from .conftest import SOURCE
    from .test_draft import page_blocks

    text = SOURCE.read_text(encoding="utf-8")
    heard = Recorder()
    data = parse((REPO / "data" / "reports.yaml").read_text(encoding="utf-8"), "reports")
    check_page(text, data, progress=heard)
    (name, total, done), after = heard.stages
    assert name == "Comparing the page with the data" and total == done > 100
    assert after[0] == "Comparing the data with the page"
    verslag = page_blocks()["2023-nijmegen"]
    heard = Recorder()
    draft_meeting(verslag, topics=[], progress=heard)
    (name, total, done), after = heard.stages
    assert (name, total, done) == ("Reading the text", len(verslag.splitlines()), total)
    assert after[0] == "Drafting the record"


def test_an_export_reports_each_meeting_the_writer_takes(ngs, tmp_path, monkeypatch):
    heard = Recorder()
    monkeypatch.setattr(Ctx, "showing", lambda self, wanted=True: contextlib.nullcontext(heard))
    r = ngs("export", "--format", "json", "--output", str(tmp_path / "all.json"))
    assert r.exit_code == 0, r.stderr
    n = len(json.loads((tmp_path / "all.json").read_text(encoding="utf-8")))
    exporting = [stage for stage in heard.stages if stage[0] == "Exporting meetings"]
    assert exporting == [["Exporting meetings", n, n]]  # once, after any compile's stages


# --- the installed command, on a pseudo-terminal ----------------------------------------


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    """A generated data file of 5,000 meetings: its first run takes seconds."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        from generate import write_dataset
    finally:
        sys.path.remove(str(REPO / "benchmarks"))
    return write_dataset(tmp_path_factory.mktemp("big") / "big.yaml", 5000)


def stderr_on_terminal(args, env, until=None, then=None, command=None):
    """Run ngs with stdout in a pipe and stderr on a pseudo-terminal; its exit code,
    stdout's bytes and what stderr showed. ``then(proc)`` is called once ``until``
    has been shown."""
    import pty
    import struct
    import termios
    from fcntl import ioctl

    main, child = pty.openpty()
    ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    proc = subprocess.Popen(
        [*(command or [NGS]), *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=child,
        env=env,
    )
    os.close(child)
    out, err = b"", b""
    open_fds = {main, proc.stdout.fileno()}
    while open_fds:
        ready, _, _ = select.select(list(open_fds), [], [], 60)
        if not ready:
            break
        for fd in ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:  # the terminal's other side closed
                chunk = b""
            if not chunk:
                open_fds.discard(fd)
            elif fd == main:
                err += chunk
                if until is not None and until.encode() in err:
                    then(proc)
                    until = None
            else:
                out += chunk
    os.close(main)
    proc.stdout.close()
    return proc.wait(timeout=60), out, err.decode("utf-8", "replace")


@pytest.mark.slow
@needs_ngs
@posix
def test_the_first_run_shows_progress_on_stderr_and_writes_what_a_pipe_gets(big, tmp_path):
    args = ["export", "--data", str(big), "--format", "ndjson"]
    code, out, err = stderr_on_terminal(args, user_env(tmp_path, NGS_CACHE_DIR=str(tmp_path / "a")))
    assert code == 0, err
    # The export itself takes less than the half second: its progress is tested apart.
    for stage in ("Reading", "Indexing"):
        assert stage in err
    assert HIDE in err and err.rindex(SHOW) > err.rindex(HIDE)
    assert "/5000" in err  # the count of meetings
    piped = subprocess.run(
        [NGS, *args],
        capture_output=True,
        env=user_env(tmp_path, NGS_CACHE_DIR=str(tmp_path / "b")),
        timeout=120,
    )
    assert piped.returncode == 0 and piped.stderr == b""
    assert out == piped.stdout


@pytest.mark.slow
@needs_ngs
@posix
def test_with_stderr_in_a_file_the_first_run_leaves_it_empty(big, tmp_path):
    log = tmp_path / "log"
    with open(log, "wb") as stderr:
        r = subprocess.run(
            [NGS, "list", "--data", str(big), "--limit", "1"],
            stdout=subprocess.PIPE,
            stderr=stderr,
            env=user_env(tmp_path),
            timeout=120,
        )
    assert r.returncode == 0 and r.stdout
    assert log.read_bytes() == b""


@pytest.mark.slow
@needs_ngs
@posix
def test_the_bundled_data_shows_no_progress(tmp_path):
    code, out, err = stderr_on_terminal(["list"], user_env(tmp_path))  # its first run
    assert code == 0 and out
    assert err == ""


@pytest.mark.slow
@needs_ngs
@posix
@pytest.mark.parametrize(
    ("before", "variables"),
    [(["--quiet"], {}), (["-q"], {}), ([], {"NO_COLOR": "1", "TERM": "dumb"})],
    ids=["--quiet", "-q", "NO_COLOR and TERM=dumb"],
)
def test_quiet_or_a_dumb_terminal_shows_no_progress(big, tmp_path, before, variables):
    args = [*before, "list", "--data", str(big), "--city", "Nergenshuizen"]
    code, out, err = stderr_on_terminal(args, user_env(tmp_path, **variables))
    assert code == 0 and out == b""
    # The notice that nothing matched is left out with --quiet, and only then.
    assert err == ("" if before else "No meetings match these filters.\r\n")


@pytest.mark.slow
@needs_ngs
@posix
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
@pytest.mark.parametrize("until", [HIDE, "Checking"], ids=["as it starts", "while it runs"])
def test_a_signal_during_the_progress_leaves_the_cursor_shown(big, tmp_path, signum, until):
    code, out, err = stderr_on_terminal(
        ["list", "--data", str(big)],
        user_env(tmp_path),
        until=until,  # the display is being drawn, or has been for a while
        then=lambda proc: proc.send_signal(signum),
    )
    assert code == 128 + signum, err
    assert HIDE in err and err.rindex(SHOW) > err.rindex(HIDE)
    assert "Traceback" not in err and out == b""
    # The line is erased: nothing of the display is left after the cursor came back.
    assert err.endswith("\x1b[2K")
