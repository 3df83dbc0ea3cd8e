"""``open_output``: the one way to write a file the user named, so that nothing the
user owns is lost, overwritten by mistake or half written; ``write_new`` for files ngs
names in a folder the user named; and reading the files a user names (a page, a text)."""

import contextlib
import errno
import os
import stat
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import typer

from .. import store
from ..errors import OutputError
from ..i18n import _, os_reason
from . import settings
from .env import Environment, TerminalSafe


def _cannot_write(path: Path, e: OSError) -> str:
    return _("cannot write {path}: {reason}").format(path=path, reason=os_reason(e))


def _bad(option: str, message: str) -> typer.BadParameter:
    return typer.BadParameter(message, param_hint=f"'{option}'")


@contextlib.contextmanager
def open_output(
    env: Environment,
    path: Path | None,
    *,
    protect: Sequence[Path] = (),
    newline: str | None = None,
    binary: bool = False,
    json: bool = False,
) -> Iterator[Any]:
    """stdout, or the file ``path``, written so that nothing the user owns is lost.

    - ``-`` (or no path) is stdout;
    - a path that is (a link to) one of ``protect`` (the data file being read) is refused;
    - a symbolic link is followed, as a shell's ``>`` does: its target is written;
    - something that is not a regular file (a FIFO, a device, ``/dev/stdout``) is written
      to directly, as a shell would;
    - a regular file is written to a temporary file beside it that replaces it only once
      complete, keeping its permissions; a file the user may not write is refused;
    - an interrupted or failed write (Ctrl-C, SIGTERM, SIGHUP, a full disk) leaves the old
      file as it was and no temporary file behind.
    """
    if path is None or str(path) == "-":
        if binary:
            raise _bad("--output", _("give a file name: this format is not text."))
        yield env.stdout
        return
    try:
        st: os.stat_result | None = os.stat(path)  # through links, as a shell's > goes
    except FileNotFoundError:
        st = None
    except OSError as e:
        raise OutputError(_cannot_write(path, e)) from None
    target = Path(os.path.realpath(path))
    _refuse_data_file(path, target, st, protect)
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise _bad(
            "--output", _("{path} is a directory; give a file name.").format(path=repr(str(path)))
        )
    if st is not None and not stat.S_ISREG(st.st_mode):
        with _open_direct(path, newline, binary, json) as stream:
            yield stream
        return
    if st is not None and (not os.access(target, os.W_OK) or not st.st_mode & 0o222):
        raise OutputError(
            _("cannot write {path}: it is read-only (permission denied)").format(path=path)
        )
    folder = target.parent
    if not folder.is_dir():
        raise _bad(
            "--output", _("the folder {path} does not exist.").format(path=repr(str(path.parent)))
        )
    import tempfile

    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as e:
        raise OutputError(_cannot_write(path, e)) from None
    try:
        if binary:
            os.close(fd)
            yield tmp
        else:
            with os.fdopen(fd, "w", encoding="utf-8", newline=newline) as stream:
                yield stream
        os.chmod(tmp, (st.st_mode & 0o7777) if st is not None else 0o666 & ~_umask())
        os.replace(tmp, target)
    except BaseException as e:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(e, OSError) and not isinstance(e, BrokenPipeError):
            raise OutputError(_cannot_write(path, e)) from None
        raise


def _refuse_data_file(
    path: Path, target: Path, st: os.stat_result | None, protect: Sequence[Path]
) -> None:
    for data in protect:
        try:
            theirs = os.stat(data)
            same = target == Path(os.path.realpath(data)) or (
                st is not None and (st.st_dev, st.st_ino) == (theirs.st_dev, theirs.st_ino)
            )
        except OSError:
            same = False
        if same:
            raise OutputError(
                _(
                    "refusing to write {path}: it is the data file being read ({data}); "
                    "choose another file name"
                ).format(path=path, data=data)
            )


@contextlib.contextmanager
def _open_direct(path: Path, newline: str | None, binary: bool, json: bool) -> Iterator[Any]:
    """A FIFO, a device or a terminal, written in place as a shell redirect would; what
    goes to a terminal (``-o /dev/tty``) is made safe for it as stdout is."""
    if binary:
        raise _bad(
            "--output",
            _("{path} is not a regular file; give a file name.").format(path=repr(str(path))),
        )
    try:
        stream = open(path, "w", encoding="utf-8", newline=newline)  # noqa: SIM115
    except OSError as e:
        raise OutputError(_cannot_write(path, e)) from None
    try:
        yield TerminalSafe(stream, json=json) if stream.isatty() else stream
    except OSError as e:
        if isinstance(e, BrokenPipeError):
            raise
        raise OutputError(_cannot_write(path, e)) from None
    finally:
        try:
            stream.close()
        except OSError as e:
            if e.errno != errno.EPIPE:
                raise OutputError(_cannot_write(path, e)) from None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_new(folder: Path, stem: str, suffix: str, text: str) -> Path:
    """``text`` in a new file of ``folder``: ``stem`` + ``suffix``, or ``stem-2`` ... where
    that name is taken, never over a file (or a link) that is there, and never half
    written: it is written under a temporary name, then linked to its own, which fails
    rather than replace. Raises OutputError where it cannot be written."""
    import itertools
    import tempfile

    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{stem}.", suffix=".tmp")
    except OSError as e:
        raise OutputError(_cannot_write(folder / (stem + suffix), e)) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.chmod(tmp, 0o666 & ~_umask())
        for n in itertools.count(1):
            path = folder / (f"{stem}{suffix}" if n == 1 else f"{stem}-{n}{suffix}")
            try:
                os.link(tmp, path)
            except FileExistsError:
                continue
            return path
    except OSError as e:
        raise OutputError(_cannot_write(folder / (stem + suffix), e)) from None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
    raise AssertionError  # itertools.count never ends


def read_page(source: Path, env: Environment, data: Path | str | None) -> str:
    """The saved page that --source names (``-``: standard input), as text; read before
    the data, so that a wrong page is told before a verdict on the data."""
    from ..curation.page import DraftError, decode
    from ..curation.pagecheck import PageError, refuse_nothing_to_compare

    if str(source) == store.STDIN:
        if data is not None and str(data) == store.STDIN:
            raise typer.BadParameter(
                _("the data and the page cannot both come from standard input."),
                param_hint="'--source'",
            )
        raw = store.read_stdin(
            _("standard input"), env.stdin_bytes, empty_ok=True,
            limit=settings.current().max_size,
        )  # fmt: skip
    else:
        raw = read_text_file(
            str(source), "'--source'", _("not a regular file; save the page to a file.")
        )
    name = _("standard input") if str(source) == store.STDIN else str(source)
    try:
        text = decode(raw, page=True)
        refuse_nothing_to_compare(text)
    except (DraftError, PageError) as e:
        raise typer.BadParameter(f"{name}: {e.translated()}.", param_hint="'--source'") from None
    return text


def read_text_file(file: str, hint: str, not_regular: str) -> bytes:
    """A regular file of at most the size limit; a device or a pipe could be endless.

    ``hint`` names the parameter; ``not_regular`` says what to do instead of a device.
    """
    import stat

    def bad(why: str) -> typer.BadParameter:
        return typer.BadParameter(f"{file}: {why}", param_hint=hint)

    try:
        # Without blocking: a FIFO nobody writes to is refused, not waited on.
        fd = os.open(file, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as f:
            mode = os.fstat(fd).st_mode
            if stat.S_ISDIR(mode):
                raise bad(_("a folder, not a file."))
            if not stat.S_ISREG(mode):
                raise bad(not_regular)
            limit = settings.current().max_size
            raw = store.read_up_to(f, limit + 1, file)
    except IsADirectoryError:
        raise bad(_("a folder, not a file.")) from None
    except OSError as e:
        raise bad(_("cannot be read ({reason}).").format(reason=os_reason(e))) from None
    if len(raw) > limit:
        raise bad(
            _("larger than the limit of {limit} bytes (${variable}).").format(
                limit=limit, variable=store.MAX_SIZE_ENV
            )
        )
    return raw
