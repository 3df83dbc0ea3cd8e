"""The process: its standard descriptors and streams, its stop signals, the run of the
app on the command line's arguments, and the exit status (``main``)."""

import contextlib
import os
import signal
import sys
from collections.abc import Callable
from typing import Any

from .. import stops
from .env import Environment, make_streams_safe
from .registry import SIGNALLED, ExitCode
from .reporting import EXPECTED_ERRORS, Terminated, report


def _on_signal(signum: int, frame: Any) -> None:
    """Ctrl-C, SIGTERM or SIGHUP: an exception that unwinds, also out of a query SQLite
    is running (which the store ends when told)."""
    SIGNALLED.append(signum)
    error = KeyboardInterrupt() if signum == signal.SIGINT else Terminated(signum)
    stops.stop(error)  # a query SQLite is running ends with it
    raise error


def _quiet_if_stopped(report: Callable[[Any], object]) -> Callable[[Any], None]:
    """Python's ``report`` of an exception it had to drop, but for a stop signal's, which
    the exit status tells (see ``SIGNALLED``): no "Exception ignored" on the way out."""

    def hook(unraisable: Any) -> None:
        if not isinstance(unraisable.exc_value, (KeyboardInterrupt, Terminated)):
            report(unraisable)

    hook.ngs = True  # type: ignore[attr-defined]
    return hook


def _plug_closed_descriptors() -> None:
    """Open /dev/null on a standard descriptor closed before start (``ngs list >&-``).

    Otherwise the next file ngs opened (the database, an output file) would get that
    number, and what was meant for stdout would be written into it.
    """
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            with contextlib.suppress(OSError):
                os.open(os.devnull, os.O_RDWR)


def main(argv: list[str] | None = None) -> None:
    """Run the command line on ``argv`` (default: the process's) and exit with an
    ``ExitCode``; the console script reaches it through ``ngs_cli.__main__``."""
    _plug_closed_descriptors()
    make_streams_safe()
    SIGNALLED.clear()  # the signals of this run only
    # Installed once a process, for the rest of it: a finaliser may drop a signal's error
    # on the way out too. Any other report goes to the hook that was there.
    if not getattr(sys.unraisablehook, "ngs", False):
        sys.unraisablehook = _quiet_if_stopped(sys.unraisablehook)
    for signum in (signal.SIGINT, signal.SIGTERM, getattr(signal, "SIGHUP", None)):
        if signum is not None:
            with contextlib.suppress(ValueError, OSError):
                signal.signal(signum, _on_signal)
    if argv is None:
        # Bytes that are not UTF-8 in an argument arrive as lone surrogates, which no
        # encoder takes: shown and matched as U+FFFD instead.
        argv = [a.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
                for a in sys.argv[1:]]  # fmt: skip
    from . import app

    env = Environment.from_system()
    closed = sys.stdout is None
    if closed:
        # Closed before start (>&-): Click would print help into nothing and succeed.
        sys.stdout = env.stdout
    code: int = ExitCode.OK
    try:
        app(args=argv, prog_name="ngs", obj=env, standalone_mode=True)
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    except EXPECTED_ERRORS as e:
        code = report(env, e)
    if closed:
        sys.stdout = None  # as it was, for whoever runs after (a test calling main)
    code = _flush(env, code)
    if SIGNALLED and code < 128:  # its error was dropped on the way: still a stop
        code = 128 + SIGNALLED[-1]
    sys.exit(code)


def _flush(env: Environment, code: int) -> int:
    """Flush the process's stdout now (Click writes help there too), so that a full disk
    or a closed pipe is reported, not ignored."""
    try:
        if sys.stdout is not None:
            sys.stdout.flush()
    except OSError as e:
        failed = report(env, e)
        code = code or failed
    # Messages that could not be written are lost, not a reason to exit otherwise: Python
    # would exit 120 when its last flush of stderr fails (2>/dev/full).
    try:
        if sys.stderr is not None:
            sys.stderr.flush()
    except (OSError, ValueError):
        with contextlib.suppress(OSError, ValueError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stderr.fileno())
            os.close(devnull)
    return code
