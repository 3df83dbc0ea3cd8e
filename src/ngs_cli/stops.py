"""The one record of a stop signal the command line took (Ctrl-C, SIGTERM, SIGHUP): the
store ends the query SQLite is running for it (``store.stopping``), and the pager, which
takes Ctrl-C while it runs, forgets it. Shared state of the process, in one place that
imports nothing, so that the signal handler reaches it without loading the store."""

from __future__ import annotations

STOPPED: list[BaseException] = []  # the errors of the signals taken, not yet answered


def stop(error: BaseException) -> None:
    """For a signal handler, before it raises ``error``: a running query ends with it."""
    STOPPED.append(error)


def forget() -> None:
    """Ctrl-C taken by another program (the pager) stops nothing of ngs after it."""
    STOPPED.clear()
