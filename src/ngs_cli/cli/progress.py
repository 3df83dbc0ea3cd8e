"""Progress of long work, drawn on stderr with Rich's ``Progress`` when it lasts.

Only on a terminal (stderr), never with ``--quiet`` or on a dumb terminal (this module
is imported only then: ``Ctx.showing``), and only once the work has run for half a
second: a quick command prints nothing and never imports ``rich.progress``. The display
is transient (it is erased when the work is done) and is redrawn at most a few times a
second, when the work reports, however often it does.
"""

from __future__ import annotations

import contextlib
import signal
import time
from collections.abc import Iterator
from typing import Any

from ..progress import Progress
from .env import Environment

DELAY = 0.5  # seconds of work before anything is shown
INTERVAL = 0.25  # seconds between updates of the display
_CHECKS = 256  # how often a counted stage looks at the clock: this many times in all
_SIGNALS = tuple(
    s for s in (signal.SIGINT, signal.SIGTERM, getattr(signal, "SIGHUP", None)) if s is not None
)


@contextlib.contextmanager
def showing(env: Environment) -> Iterator[TerminalProgress]:
    """A progress for the work inside the block, drawn on stderr (where
    ``env.draws_progress``) and erased when the block ends, however it ends."""
    progress = TerminalProgress(env.stderr, env.environ)
    try:
        yield progress
    finally:
        progress.close()


class TerminalProgress(Progress):
    """A ``Progress`` that draws, on a terminal, once the work has lasted ``DELAY``."""

    __slots__ = ("_bar", "_done", "_due", "_environ", "_name", "_next", "_percent",
                 "_started", "_step", "_stream", "_task", "_total")  # fmt: skip

    def __init__(self, stream: Any, environ: Any = None):
        self._stream = stream
        self._environ = environ or {}
        self._bar: Any = None  # Rich's Progress, made once the work has lasted
        self._task: Any = None
        self._started: float | None = None  # when the first stage began
        self._next = 0.0  # when the display is next updated
        self._name, self._percent = "", False
        self._total: int | None = None
        self._done = 0
        self._due = 0  # the count at which the clock is next looked at
        self._step = 1

    def stage(self, name: str, total: int | None = None, *, percent: bool = False) -> None:
        if self._started is None:
            self._started = time.monotonic()
        self._name, self._total, self._percent = name, total, percent
        self._done = 0
        # A stage of many small units looks at the clock now and then, not at each unit.
        self._step = 1 if percent or not total else max(1, total // _CHECKS)
        self._due = self._step
        self._update(force=True)

    def advance(self, n: int = 1) -> None:
        self._done += n
        if self._done >= self._due:
            self._due = self._done + self._step
            self._update()

    def _update(self, force: bool = False) -> None:
        now = time.monotonic()
        if now < self._next and not force:
            return
        self._next = now + INTERVAL
        if self._bar is None:
            if self._started is None or now - self._started < DELAY:
                return
            self._make()
        total, done = self._total, self._done
        if not total:
            shown = ""
        elif self._percent:
            shown = f"{min(100, 100 * done // total)}%"
        else:
            shown = f"{done}/{total}"
        self._bar.update(
            self._task, description=self._name, total=total, completed=done, shown=shown
        )
        if not self._bar.live.is_started:
            with _signals_deferred():  # started whole, or stop() would fail on half of it
                self._bar.start()
        else:
            self._bar.refresh()

    def _make(self) -> None:
        """Make Rich's display (imported only now)."""
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            Progress,
            SpinnerColumn,
            TextColumn,
            TimeElapsedColumn,
        )

        console = Console(
            file=self._stream,
            force_terminal=True,
            no_color=bool(self._environ.get("NO_COLOR")),
            highlight=False,
        )
        self._bar = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}", markup=False),
            BarColumn(),
            TextColumn("{task.fields[shown]}"),
            TimeElapsedColumn(),
            console=console,
            transient=True,
            redirect_stdout=False,
            redirect_stderr=False,
            # Redrawn here, on the work's own thread, when it reports: a thread of Rich's
            # own redrawing four times a second cost 4-5% of a compile's time (it
            # takes turns with the work for the interpreter), drawing here about 1%.
            # Where the work reports nothing for a while (PyYAML building the data, the
            # full-text index), the display waits with it.
            auto_refresh=False,
        )
        self._task = self._bar.add_task(self._name, total=self._total, shown="")

    def close(self) -> None:
        """Erase the display, leaving the line clean and the cursor shown; a signal that
        comes meanwhile is delivered once the terminal is as it was."""
        bar, self._bar = self._bar, None
        if bar is not None:
            with _signals_deferred():
                bar.stop()


@contextlib.contextmanager
def _signals_deferred() -> Iterator[None]:
    """Ctrl-C, SIGTERM and SIGHUP that come inside the block are delivered when it ends:
    Rich starts and stops its display whole (cursor hidden and shown, hooks pushed and
    popped), never half."""
    pending: list[int] = []
    previous: dict[int, Any] = {}
    for signum in _SIGNALS:
        with contextlib.suppress(ValueError, OSError):  # not the main thread
            previous[signum] = signal.signal(signum, lambda s, f: pending.append(s))
    try:
        yield
    finally:
        for signum, handler in previous.items():
            # None: a handler set outside Python, which cannot be set again from it.
            signal.signal(signum, signal.SIG_DFL if handler is None else handler)
        if pending:
            signal.raise_signal(pending[0])
