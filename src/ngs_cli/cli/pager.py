"""Long views on a terminal go through a pager, the way git and gh do: ``$NGS_PAGER``,
else ``$PAGER``, else ``less -FRX``; never in a pipe.

The terminal is always given back as it was: a pager that fails at once (``false``, a
typo that exits 1) leaves the text to ngs, which prints it; when ngs is told to stop
(SIGTERM, SIGHUP) while a pager runs, the pager is told too and waited for (ended after
a moment if it does not go), and the terminal's modes are put back as they were.
"""

import contextlib
import sys
from typing import Any

from .. import stops
from .env import Environment

# How long a pager may take to go when ngs has been told to stop, before it is ended.
GRACE_SECONDS = 0.5


def write_paged(env: Environment, text: str, *, page: bool, stream: Any = None) -> None:
    """Write text, through a pager when it is a long view on a terminal taller than the screen."""
    out = stream if stream is not None else env.stdout
    if page and stream is None and env.is_terminal and _rows(text, env.width) >= env.height:
        pager = _pager_command(env)
        if pager and _run_pager(pager, text, env):
            return
    out.write(text)


def _rows(text: str, width: int) -> int:
    """How many rows of the screen ``text`` takes: a line longer than the screen is
    wrapped by the terminal onto several (CSV, JSON of long records)."""
    import re

    plain = re.sub(r"\x1b\[[0-9;]*m", "", text)
    return sum(max(1, -(-len(line) // max(width, 1))) for line in plain.splitlines())


def _pager_command(env: Environment) -> list[str] | None:
    """$NGS_PAGER, else $PAGER, else less -FRX; an empty value turns paging off."""
    import shlex

    for name in ("NGS_PAGER", "PAGER"):
        if name in env.environ:
            value = env.environ[name].strip()
            if not value:
                return None
            try:
                return shlex.split(value)
            except ValueError:
                return None
    return ["less", "-FRX"]


def _run_pager(command: list[str], text: str, env: Environment) -> bool:
    """Page ``text``; False when the pager cannot be started or fails at once (exits
    with an error status), and ngs prints the text itself."""
    import subprocess

    environ = {**env.environ, "LESS": env.environ.get("LESS", "FRX")}
    if env.utf8 and "LESSCHARSET" not in environ:
        # What ngs writes is UTF-8: less shows it so even where the locale it names is
        # not installed (it would show <E2><80><94> for a dash).
        environ["LESSCHARSET"] = "utf-8"
    modes = _TerminalModes(env.stdout)
    try:
        proc = subprocess.Popen(command, stdin=subprocess.PIPE, env=environ)
    except OSError:
        return False
    try:
        assert proc.stdin is not None
        _feed(proc.stdin, text.encode(env.encoding or "utf-8", "backslashreplace"))
        while True:
            try:
                proc.wait()
                break
            except KeyboardInterrupt:
                _forget_stops()
                continue  # Ctrl-C belongs to the pager while it runs
    except BaseException as stop:  # SIGTERM or SIGHUP (ngs's Terminated): the pager too
        _end(proc, getattr(stop, "signum", None))
        raise
    finally:
        with contextlib.suppress(OSError):
            if proc.stdin is not None:
                proc.stdin.close()
        modes.restore()
    # A pager that exits with an error status showed nothing worth keeping (``false``,
    # a bad option); killed by a signal (< 0) or quit (0), it showed what the user saw.
    return proc.returncode <= 0


def _feed(stdin: Any, data: bytes) -> None:
    """Write ``data`` to the pager and close its input. Ctrl-C belongs to the pager while
    it runs, also while ngs still writes: each piece is small enough to be written whole
    or not at all, so one that Ctrl-C interrupted is written again."""
    import os
    import select

    piece = getattr(select, "PIPE_BUF", 512)
    fd, done = stdin.fileno(), 0
    try:
        while done < len(data):
            try:
                done += os.write(fd, data[done : done + piece])
            except KeyboardInterrupt:
                _forget_stops()
                continue
        stdin.close()
    except BrokenPipeError:
        pass  # the reader quit the pager early, or it never read


def _forget_stops() -> None:
    """Ctrl-C taken by the pager stops nothing of ngs: no query after it is ended, and
    the exit status is the command's."""
    from .registry import SIGNALLED

    SIGNALLED.clear()
    stops.forget()


def _end(proc: Any, signum: int | None) -> None:
    """Pass ngs's stop signal on to the pager, wait a moment, then end it."""
    import signal
    import subprocess

    with contextlib.suppress(OSError):
        proc.send_signal(signum if signum is not None else signal.SIGTERM)
    try:
        proc.wait(timeout=GRACE_SECONDS)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(OSError):
            proc.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=GRACE_SECONDS)


class _TerminalModes:
    """The terminal's modes (echo, line editing) as they were before the pager started,
    to put back should the pager leave them changed (killed before it could restore)."""

    def __init__(self, stream: Any):
        self.fd: int | None = None
        self.saved: Any = None
        if sys.platform == "win32":  # no termios: the console keeps its own modes
            return
        try:
            import termios
        except ImportError:  # a build without it
            return
        try:
            fd = stream.fileno()
            self.saved = termios.tcgetattr(fd)
            self.fd = fd
        except (AttributeError, OSError, ValueError, termios.error):
            pass  # not a real terminal: a test's stand-in

    def restore(self) -> None:
        if self.fd is None or sys.platform == "win32":
            return
        import termios

        with contextlib.suppress(OSError, termios.error):
            if termios.tcgetattr(self.fd) != self.saved:
                termios.tcsetattr(self.fd, termios.TCSADRAIN, self.saved)
