"""What long work tells about its progress, and the default that tells nobody.

The library (the compile, the exports, the page check, the draft) reports to a
``Progress``: a ``stage`` with its name and size, then ``advance`` as the work gets
done. It never draws anything itself and imports nothing of ngs: the command line hands
in one that draws on a terminal (``cli.progress``); everyone else gets ``SILENT``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")


class Progress:
    """Receives the progress of long work; this one does nothing with it.

    ``stage(name, total)`` starts a part of the work (``name`` already in the user's
    language; ``total`` how many units it takes, or None when that is not known);
    ``advance(n)`` says that ``n`` more are done. With ``percent``, the units are not
    worth showing (bytes of a file read twice, say): only the share done is.
    Both are called often (once a meeting), so they must be cheap.
    """

    __slots__ = ()

    def stage(self, name: str, total: int | None = None, *, percent: bool = False) -> None:
        """A new part of the work begins."""

    def advance(self, n: int = 1) -> None:
        """``n`` more units of the current part are done."""


SILENT = Progress()


def tracked(progress: Progress, items: Iterable[T], name: str, total: int) -> Iterator[T]:
    """``items`` as they are, reporting one unit of stage ``name`` for each one taken:
    how a writer's records show progress without the writer knowing."""
    if progress is SILENT:
        yield from items
        return
    progress.stage(name, total)
    advance = progress.advance
    for item in items:
        yield item
        advance()
