"""Finding the data file and reading it: its path, its size limit, its bytes and hash,
and its parse and validation.

A data file is read without blocking and only when it is a regular file; its bytes are
checked (UTF-8, no NUL, within the size limit) and hashed once, then given to the
parser in pieces, so that a large file is never held whole beside what is parsed of it.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import stat
import sys
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from ..errors import BadValue, DataError, Problem
from ..i18n import N_, _, ngettext, os_reason
from ..progress import SILENT, Progress

if TYPE_CHECKING:
    from ..model import Dataset

DATA_ENV = "NGS_DATA"
MAX_SIZE_ENV = "NGS_MAX_DATA_SIZE"
DEFAULT_MAX_SIZE = 256 * 1024 * 1024
STDIN = "-"
_PACKAGE = Path(__file__).resolve().parent.parent


def bundled_path() -> Path:
    """The dataset that ships with ngs (falls back to the source tree's copy)."""
    packaged = _PACKAGE / "data" / "reports.yaml"
    if packaged.is_file():
        return packaged
    checkout = _PACKAGE.parent.parent / "data" / "reports.yaml"
    # Neither: the package is imported from a zip archive, and its copy is inside it.
    return checkout if checkout.is_file() else packaged


def resolve_path(
    explicit: str | os.PathLike[str] | None = None, default: str | None = None
) -> Path:
    """The data file to use: ``explicit`` (``--data``), else ``default`` (what the
    command line read of ``$NGS_DATA``), else the bundled one. ``-`` means standard
    input; an empty ``explicit`` names no file (BadValue)."""
    if explicit is not None and not str(explicit):
        raise BadValue(
            N_("the data file's path is empty: name a file, or leave it out for the bundled one")
        )
    for value in (explicit, default):
        if value:
            return Path(value) if str(value) == STDIN else Path(value).expanduser()
    return bundled_path()


def parse_size(given: str) -> int:
    """A size limit as a person writes it: bytes, or a number with K, M or G (``1G``);
    empty: the default, 256 MB. A BadValue for anything else."""
    value = given.strip().upper()
    if not value:
        return DEFAULT_MAX_SIZE
    scale = {"K": 1024, "M": 1024**2, "G": 1024**3}.get(value[-1:], 1)
    digits = value[:-1] if scale > 1 else value
    if not (digits.isascii() and digits.isdigit()) or len(digits) > 15:
        raise BadValue(
            N_("{value} is not a size (bytes, or a number with K, M or G)"),
            value=repr(given.strip()),
        )
    return int(digits) * scale


@contextlib.contextmanager
def open_data(path: Path, limit: int = DEFAULT_MAX_SIZE) -> Any:
    """An open descriptor of a regular data file and its stat, or a clear DataError.

    Opened without blocking, so that a FIFO with no writer is refused at once rather
    than waited on; anything but a regular file (a device, a FIFO, a socket) is refused
    before a byte is read.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise DataError(str(path), _("no such file")) from None
    except IsADirectoryError:
        raise DataError(str(path), _("is a directory, not a data file")) from None
    except PermissionError:
        raise DataError(str(path), _("permission denied")) from None
    except OSError as e:
        raise DataError(
            str(path), _("cannot be read ({reason})").format(reason=os_reason(e))
        ) from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise DataError(str(path), _("is a directory, not a data file"))
        if not stat.S_ISREG(st.st_mode):
            raise DataError(
                str(path),
                _(
                    "is not a regular file (a pipe, device or socket); save the data to a file, "
                    "or pipe it in with --data -"
                ),
            )
        _check_size(st.st_size, str(path), limit)
        yield fd, st
    finally:
        os.close(fd)


def _check_size(size: int, name: str, limit: int, *, known: bool = True) -> None:
    """A DataError when ``size`` is over the ``limit``; ``known=False`` when ``size`` is
    only what was read of a stream that may hold more (then it is not quoted)."""
    if size <= limit:
        return
    big, most = _mb(size), _mb(limit)
    if known and big == most:  # just over the limit: in bytes, so that the two differ
        big, most = f"{size} bytes", f"{limit} bytes"
    raise TooLarge(name, big, most, known)


class TooLarge(DataError):
    """A data file over the size limit. The library's message says how a program raises
    the limit; the command line says how its user does (``too_large``)."""

    def __init__(self, name: str, size: str, most: str, known: bool):
        self.size, self.most, self.known = size, most, known
        message = (
            _("is {size}, more than the limit of {most}; give a larger max_size in "
              "store.Settings to read it anyway")
            if known
            else _("holds more than the limit of {most}; give a larger max_size in "
                   "store.Settings to read it anyway")
        )  # fmt: skip
        super().__init__(name, message.format(size=size, most=most))

    def too_large(self, variable: str) -> str:
        """The message of the command line, whose limit is the ``variable``."""
        message = (
            _("is {size}, more than the limit of {most}; set {variable} (e.g. {variable}=1G) "
              "to read it anyway")
            if self.known
            else _("holds more than the limit of {most}; set {variable} (e.g. {variable}=1G) "
                   "to read it anyway")
        )  # fmt: skip
        summary = message.format(size=self.size, most=self.most, variable=variable)
        return str(DataError(self.path, summary))


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.0f} MB" if size >= 1024 * 1024 else f"{size} bytes"


# The only ways YAML text can write a NUL character: an escape in a double-quoted string.
_NUL_ESCAPE = r"\\(?:0|x00|u0000|U00000000)"  # compiled on first use


class DataSource:
    """A data file's bytes, readable more than once: an open regular file, or bytes.

    ``scan`` reads it once, in pieces, to check it and hash it; ``stream`` gives it to
    the parser, again in pieces: a large file is never held whole in memory beside the
    objects parsed from it.
    """

    def __init__(
        self,
        name: str,
        *,
        fd: int | None = None,
        raw: bytes | None = None,
        limit: int = DEFAULT_MAX_SIZE,
    ):
        self.name = name
        self.limit = limit  # the largest data file read, in bytes
        self.fd = fd
        self.raw = raw
        self.sha256 = ""
        self.size = 0  # in bytes, once scanned
        self.may_have_aliases = True
        self.may_hold_nul = True
        self.may_hold_surrogates = True
        self._scanned = False

    def stream(self) -> IO[bytes]:
        if self.raw is not None:
            return io.BytesIO(self.raw)
        assert self.fd is not None
        os.lseek(self.fd, 0, os.SEEK_SET)
        return os.fdopen(os.dup(self.fd), "rb")

    def scan(self) -> DataSource:
        """Check the bytes (size, UTF-8, no NUL, not empty) and hash them, once."""
        if self._scanned:
            return self
        import codecs
        import hashlib

        from ..yamlio import may_have_aliases_in, may_hold_surrogates_in

        digest = hashlib.sha256()
        decoder = codecs.getincrementaldecoder("utf-8-sig")()
        limit, total, blank, aliases, nul, tail, line = self.limit, 0, True, False, False, "", 1
        surrogates = False
        with self.stream() as stream:
            while True:
                chunk = _read(stream, 1 << 20, self.name)
                total += len(chunk)
                if total > limit:  # a file that grew while it was read
                    _check_size(total, self.name, limit)
                digest.update(chunk)
                try:
                    text = decoder.decode(chunk, final=not chunk)
                except UnicodeDecodeError as e:
                    line += chunk[: e.start].count(b"\n")
                    raise DataError(
                        self.name,
                        _(
                            "is not UTF-8 text (byte {byte} at line {line}); save it as UTF-8"
                        ).format(byte=f"{chunk[e.start]:#04x}", line=line),
                    ) from None
                if "\x00" in text:
                    raise DataError(self.name, _("is not a text file (it contains NUL bytes)"))
                blank = blank and not text.strip()
                # The pattern is short: the tail of the last piece keeps a match whole.
                aliases = aliases or may_have_aliases_in(tail + text)
                nul = nul or re.search(_NUL_ESCAPE, tail + text) is not None
                surrogates = surrogates or may_hold_surrogates_in(tail + text)
                tail = text[-8:]
                line += chunk.count(b"\n")
                if not chunk:
                    break
        if blank:
            raise DataError(self.name, _("is empty"))
        self.sha256 = digest.hexdigest()
        self.size = total
        self.may_have_aliases = aliases
        self.may_hold_nul = nul
        self.may_hold_surrogates = surrogates
        self._scanned = True
        return self


def _read(stream: IO[bytes], size: int, name: str) -> bytes:
    """Read from a data file; a failing disk or a file that cannot be read is a DataError
    that names it (not the "cannot write to standard output" of an unnamed OSError)."""
    try:
        return stream.read(size)
    except OSError as e:
        raise DataError(name, _("cannot be read ({reason})").format(reason=os_reason(e))) from None


def read_up_to(stream: IO[bytes], most: int, name: str) -> bytes:
    """At most ``most`` bytes of a stream, read a piece at a time: a limit of many
    gigabytes is never asked of the memory at once."""
    pieces, left = [], most
    while left > 0:
        piece = _read(stream, min(left, 1 << 24), name)
        if not piece:
            break
        pieces.append(piece)
        left -= len(piece)
    return b"".join(pieces)


_CHANGED = "changed while it was being read; run it again"


class _Hashing:
    """A binary stream that hashes what is read from it (the parser reads to the end),
    and stops a file that grew past the size limit since it was checked."""

    def __init__(self, stream: IO[bytes], name: str, progress: Progress, limit: int):
        import hashlib

        self.stream = stream
        self.name = name
        self.advance = progress.advance
        self.digest = hashlib.sha256()
        self.left = limit

    def read(self, size: int = -1) -> bytes:
        chunk = _read(self.stream, size, self.name)
        self.left -= len(chunk)
        if self.left < 0:
            raise DataError(self.name, _CHANGED)
        self.digest.update(chunk)
        self.advance(len(chunk))
        return chunk

    def hexdigest(self) -> str:
        return self.digest.hexdigest()


def read_stdin(
    name: str,
    stream: IO[bytes] | None = None,
    *,
    empty_ok: bool = False,
    limit: int = DEFAULT_MAX_SIZE,
) -> bytes:
    """What is piped to standard input (``stream``, by default this process's), up to the
    size ``limit``; empty is an error unless ``empty_ok``."""
    if stream is None:
        stream = sys.stdin.buffer if sys.stdin is not None else None
    if stream is None:
        raise DataError(name, _("standard input is closed"))
    if stream.isatty():
        raise DataError(name, _("standard input is a terminal; pipe the data in"))
    raw = read_up_to(stream, limit + 1, name)  # one byte more tells that it is over
    _check_size(len(raw), _("standard input"), limit, known=False)
    return raw if empty_ok else _not_empty(raw, name)


def _not_empty(raw: bytes, name: str) -> bytes:
    if not raw.strip():
        raise DataError(name, _("is empty"))
    return raw


def data_source(
    path: Path, stdin: IO[bytes] | None = None, limit: int = DEFAULT_MAX_SIZE
) -> DataSource:
    """A regular data file read whole (or ``stdin``, by default this process's, for
    ``-``), for checking it, up to the size ``limit``."""
    if str(path) == STDIN:
        return DataSource(STDIN, raw=read_stdin(STDIN, stdin, limit=limit), limit=limit)
    with open_data(path, limit) as (fd, _), os.fdopen(os.dup(fd), "rb") as f:
        return DataSource(str(path), raw=read_up_to(f, limit + 1, str(path)), limit=limit)


def parse_and_validate(
    source: DataSource | bytes, name: str, progress: Progress = SILENT
) -> Dataset:
    """Parse a data file and validate it; the normalised data or a DataError.

    In stages, each a function: ``scan`` (read, check and hash the bytes), ``parse``
    and ``validate_document``. The garbage collector is paused meanwhile: parsing creates
    millions of objects and none of them is garbage, so its passes cost most of the time
    and find nothing.
    """
    import gc

    if isinstance(source, bytes):
        source = DataSource(name, raw=source)
    source.scan()
    # The clock of the progress starts here, past the imports: a small file never shows it.
    progress.stage(_("Reading"), source.size, percent=True)
    enabled = gc.isenabled()
    gc.disable()
    try:
        return validate_document(source, name, parse(source, name, progress), progress)
    except BaseException as e:
        # Stopped (Ctrl-C, SIGTERM, an error): what was parsed so far is let go now, while
        # the collector still sleeps; else its millions of objects, all in its youngest
        # generation, are walked as the signal unwinds, for longer than the parse took.
        _let_go(e)
        raise
    finally:
        if enabled:
            gc.enable()


def parse(source: DataSource, name: str, progress: Progress = SILENT) -> Any:
    """The scanned data file parsed into plain data (its node tree already let go)."""
    from .. import yamlio

    with source.stream() as stream:
        hashed = _Hashing(stream, name, progress, source.limit)

        def unchanged() -> None:
            # Rewritten between the check and the parse, what was read is not what was
            # checked (for aliases, NUL) and hashed: a database named by that hash would
            # hold another file's data. Told before anything is built from it.
            if hashed.hexdigest() != source.sha256:
                raise DataError(name, _CHANGED)
            progress.stage(_("Checking"))

        return yamlio.parse(
            hashed,
            name,
            # libyaml refuses an escaped surrogate pair, which the pure parser reads
            pure=source.may_hold_surrogates,
            may_have_aliases=source.may_have_aliases,
            after_reading=unchanged,
        )


def validate_document(
    source: DataSource, name: str, document: Any, progress: Progress = SILENT
) -> Dataset:
    """The parsed data validated in one pass (types, then the rules between fields), or
    a DataError naming every problem and its line."""
    from .. import yamlio
    from ..validate import validate

    _checking(progress, document)
    data, problems = validate(document, may_hold_nul=source.may_hold_nul)
    del document
    if problems:
        # Only now is the node tree worth its memory: parse again to tell the lines.
        with source.stream() as stream:
            document, root = yamlio.parse_with_nodes(stream, name, pure=source.may_hold_surrogates)
        raise DataError(
            name,
            ngettext(
                "{n} problem with the data", "{n} problems with the data", len(problems)
            ).format(n=len(problems)),
            [Problem(where_in(document, p), msg, yamlio.line_of(root, p)) for p, msg in problems],
        )
    return data


def _checking(progress: Progress, document: Any) -> None:
    """The checking stage, now with the number of meetings."""
    meetings = document.get("meetings") if isinstance(document, dict) else None
    if isinstance(meetings, list):
        n = len(meetings)
        progress.stage(ngettext("Checking {n} meeting", "Checking {n} meetings", n).format(n=n))


def _let_go(error: BaseException) -> None:
    """Free the variables of the frames an exception has left (the parser's, the
    validator's), which its traceback would otherwise keep until it is handled."""
    tb = error.__traceback__
    while tb is not None:
        with contextlib.suppress(RuntimeError):  # a frame still running keeps its own
            tb.tb_frame.clear()
        tb = tb.tb_next


def where_in(document: Any, path: tuple) -> str:
    """A readable place for a problem: the meeting by id and number, then the field."""
    if len(path) >= 2 and path[0] == "meetings" and isinstance(path[1], int):
        meeting = document["meetings"][path[1]]
        mid = meeting.get("id") if isinstance(meeting, dict) else None
        head = (
            _("meeting {id} (#{n})").format(id=repr(mid), n=path[1] + 1)
            if isinstance(mid, str)
            else _("meeting #{n}").format(n=path[1] + 1)
        )
        rest = path[2:]
    elif len(path) >= 2 and path[0] == "topics" and isinstance(path[1], int):
        head, rest = _("topic #{n}").format(n=path[1] + 1), path[2:]
    else:
        head, rest = "", path
    field = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in rest).lstrip(".")
    if head and field:
        return _("{head}, field {field}").format(head=head, field=field)
    return head or (_("field {field}").format(field=field) if field else _("top level"))
