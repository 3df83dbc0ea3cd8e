"""Stopping a query when the user asks: Ctrl-C, SIGTERM or SIGHUP.

SQLite runs a query in C, where Python's signal handlers cannot run. Every connection
ngs opens is ``watch``-ed: SQLite's progress handler calls back into Python every
``PROGRESS_STEPS`` steps, which lets a pending signal handler run; the command line's
handler tells ``stop_queries`` the error it raises, and the query ends with it. A read
that fails so is told apart from a damaged database by ``is_stopped``.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator

from ..stops import STOPPED, forget, stop

# SQLite runs a query in C, where Python's signal handlers cannot run; its progress
# handler is called every this many steps of its machine (well under a millisecond).
PROGRESS_STEPS = 10_000
_STOPPED = STOPPED  # the command line's record of the signals it took (``ngs_cli.stops``)
stop_queries = stop  # the query SQLite is running (if any) ends with the signal's error
forget_stops = forget


def _progress() -> int:
    # Calling back into Python runs any pending signal handler: one that raises ends the
    # query, as does one that noted its error above.
    return 1 if _STOPPED else 0


def watch(conn: sqlite3.Connection) -> sqlite3.Connection:
    """The connection, its queries ended by a signal (``stop_queries``)."""
    conn.set_progress_handler(_progress, PROGRESS_STEPS)
    return conn


def is_stopped(error: sqlite3.DatabaseError) -> bool:
    """Whether a query failed because a signal ended it (no damage to the database):
    ended by the progress handler, or by the signal's error raised inside one of ngs's
    functions that SQLite was calling (``ngs_fold`` while the index is built)."""
    return isinstance(error, sqlite3.OperationalError) and (
        str(error) == "interrupted" or bool(_STOPPED)
    )


def stopped_error() -> BaseException:
    """What a query ended by a signal stands for: the signal's ``KeyboardInterrupt`` or
    termination, taken from ``stop_queries``."""
    return _STOPPED.pop() if _STOPPED else KeyboardInterrupt()


@contextlib.contextmanager
def stoppable() -> Iterator[None]:
    """Work with a watched connection (a compile): a query ended by a signal raises the
    signal's error."""
    try:
        yield
    except sqlite3.DatabaseError as e:
        if is_stopped(e):
            raise stopped_error() from None
        raise
