"""The environment a command runs in: its streams and what kind of terminal, if any.

Commands never look at ``sys.stdout`` or the terminal themselves; they ask the
``Environment``, so tests can hand in one that claims to be a terminal of a given width.
"""

import codecs
import contextlib
import os
import shutil
import sys
from collections.abc import Iterable, Mapping
from typing import IO, Any, NamedTuple, TextIO

from ..errors import OutputError
from ..i18n import N_
from ..text import printable


class ClosedStream:
    """Stands in for a standard stream that was closed before ngs started (``>&-``)."""

    encoding = "utf-8"

    def __init__(self, name: str):
        self.name = name

    def write(self, text: str) -> int:
        from ..i18n import _

        raise OutputError(_("cannot write: {stream} is closed").format(stream=_(self.name)))

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False


class TerminalSafe:
    """A stream for a terminal that passes every write through ``text.printable``
    (keeping CSV's CRLF line ends): the one escaping function, for formats that are not
    drawn as terminal views. JSON (``json=True``) is escaped as JSON escapes, and stays
    JSON."""

    def __init__(self, stream: Any, *, json: bool = False):
        self.stream = stream
        self.json = json

    def write(self, text: str) -> int:
        if self.json:
            return self.stream.write(printable(text, json=True))
        return self.stream.write("\r\n".join(printable(t) for t in text.split("\r\n")))

    def flush(self) -> None:
        self.stream.flush()


def _codec(encoding: str) -> str:
    """An encoding's canonical name ("utf-8", "ascii"), or "" for one Python lacks."""
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        return ""


def isatty(stream: Any) -> bool:
    """Whether a stream is a terminal; a closed or odd one (no ``isatty``) is not."""
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


class Environment(NamedTuple):
    """Streams, whether stdout is a terminal, its size, colour and encoding."""

    stdout: IO[str] | Any
    stderr: IO[str] | Any
    stdin: TextIO | None  # None when closed
    is_terminal: bool = False
    width: int = 80
    height: int = 24
    colour: bool = False
    encoding: str = "utf-8"
    environ: Mapping[str, str] = {}  # noqa: RUF012 (what the command sees; never changed)
    stderr_terminal: bool = False  # where progress may be drawn (cli.progress)
    quiet: bool = False  # --quiet: no notices, no progress

    @classmethod
    def from_system(cls) -> "Environment":
        stdout = sys.stdout if sys.stdout is not None else ClosedStream(N_("standard output"))
        stderr = sys.stderr if sys.stderr is not None else ClosedStream(N_("standard error"))
        is_terminal = isatty(stdout)
        size = shutil.get_terminal_size((80, 24))
        environ = dict(os.environ)
        colour = is_terminal and not environ.get("NO_COLOR") and environ.get("TERM") != "dumb"
        return cls(
            stdout=stdout,
            stderr=stderr,
            stdin=sys.stdin,
            is_terminal=is_terminal,
            width=max(20, size.columns),
            height=max(5, size.lines),
            colour=colour,
            encoding=getattr(stdout, "encoding", None) or "utf-8",
            environ=environ,
            stderr_terminal=isatty(stderr),
        )

    @property
    def draws_progress(self) -> bool:
        """Whether long work may show its progress (``cli.progress``): stderr is a
        terminal that can redraw a line, and the user did not ask for ``--quiet``."""
        return self.stderr_terminal and not self.quiet and self.environ.get("TERM") != "dumb"

    @property
    def unicode(self) -> bool:
        """Whether stdout's encoding can hold any letter (else JSON escapes them)."""
        return _codec(self.encoding).startswith("utf")

    @property
    def utf8(self) -> bool:
        """Whether stdout writes UTF-8, the encoding of ngs's export formats."""
        return _codec(self.encoding) == "utf-8"

    @property
    def stdin_bytes(self) -> IO[bytes] | None:
        """What is piped in, as bytes; None when stdin is closed or holds only text."""
        return getattr(self.stdin, "buffer", None)

    def error(self, message: str) -> None:
        """An error message on stderr, prefixed with ``ngs:``."""
        self.message(f"ngs: {message}")

    def notice(self, message: str) -> None:
        """A line that only informs (nothing matched, a did-you-mean): left out with
        ``--quiet``, unlike errors and what is wrong with the data."""
        if not self.quiet:
            self.message(message)

    def message(self, message: str) -> None:
        """A line for the user on stderr; never fails the command.

        Messages quote the data (a did-you-mean, a title), so they are escaped too.
        """
        self.messages((message,))

    def messages(self, lines: Iterable[str]) -> None:
        """Lines for the user on stderr, as ``message`` writes one, flushed once."""
        ended = [*lines, ""]  # joined with "\n", each line ends with one: one copy of them
        with contextlib.suppress(OSError, OutputError, ValueError):
            if all(map(str.isprintable, ended)):  # in C: a report may have a million lines
                self.stderr.write("\n".join(ended))
            else:
                self.stderr.write("".join(printable(line) + "\n" for line in ended[:-1]))
            self.stderr.flush()


def make_streams_safe() -> None:
    """Standard streams that never raise on a letter their encoding cannot hold.

    With ``PYTHONIOENCODING=ascii`` or a C locale, "ë" is written as ``\\xeb`` instead
    of ending the command; a stream that was closed before start stays None.
    """
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if stream is None:
            continue
        with contextlib.suppress(AttributeError, ValueError, LookupError):
            if not codecs.lookup(stream.encoding).name.startswith("utf"):
                stream.reconfigure(errors="backslashreplace")
