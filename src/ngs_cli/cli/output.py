"""One way out: a command builds a ``View`` and ``emit`` writes it in the chosen format.

Record formats: ``table`` (a terminal), ``plain`` (tab-separated rows, the default in a
pipe), ``csv``, ``json`` and ``ndjson``; every other format (text, markdown, a citation
style, YAML) is a document the view writes. Every byte of data that reaches a terminal
passes ``text.printable``: tables and drawn documents as they draw (``render``), all
else through ``TerminalSafe``. Long terminal views go through a pager, the way git and gh
do. ``open_output`` is the one way to write a file the user named.
"""

import contextlib
import errno
import io
import os
import stat
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any, NamedTuple, Protocol

import typer

from ..errors import OutputError
from ..text import one_line
from .env import Environment, TerminalSafe

TABLE_FORMATS = ("table", "plain", "csv", "json", "ndjson")
JSON_FORMATS = ("json", "ndjson")


class View(NamedTuple):
    """What a command shows: its records and how each format lays them out.

    ``records`` are what json, ndjson and ``--fields`` see. ``plain`` gives the default
    tab-separated row of a record (else the ``fields``) and ``columns`` the default csv
    columns; ``headers`` and ``table_row`` the terminal table (``terminal`` replaces the
    table for views that are not one, like search hits or the timeline). ``document``
    writes the formats that are not records (text, markdown, a citation style): to a
    stream, given the environment when it is drawn for a terminal (width, colour) and
    None when it goes to a pipe or a file; on a terminal it is written through
    ``TerminalSafe``, but for the formats it ``draws`` (wraps and styles, escaping each
    piece of data itself, as a table does). ``single``: json writes a view of one record
    as that object, not a list.
    """

    records: Iterable[dict[str, Any]]
    fields: Sequence[str]
    plain: Callable[[dict[str, Any]], Sequence[Any]] | None = None
    columns: Sequence[str] = ()
    headers: Sequence[str] = ()
    table_row: Callable[[dict[str, Any]], Sequence[Any]] | None = None
    wide: Sequence[int] = ()
    styles: dict[int, str] = {}  # noqa: RUF012 (never changed)
    terminal: Callable[[Any, list[dict[str, Any]]], None] | None = None
    document: Callable[[Any, str, Environment | None], object] | None = None
    draws: Sequence[str] = ()
    single: bool = False
    page: bool = False  # long enough to want a pager on a terminal


def default_format(env: Environment, fmt: str | None) -> str:
    """The chosen format, else a table on a terminal and plain rows in a pipe (like gh)."""
    return fmt or ("table" if env.is_terminal else "plain")


def check_fields(env: Environment, wanted: str | None, known: Sequence[str]) -> list[str] | None:
    """``--fields a,b`` as a list of known field names; ``--fields help`` (or a quoted
    ``'?'``: a bare ? is a shell wildcard) lists them and exits.

    An unknown name is a usage error with the nearest field suggested.
    """
    if wanted is None:
        return None
    if wanted.strip() in ("?", "help"):
        env.stdout.write("\n".join(known) + "\n")
        raise typer.Exit(0)
    names = [n.strip() for n in wanted.split(",") if n.strip()]
    if not names:
        raise _bad("--fields", f"name at least one field: {', '.join(known)}")
    from ..query import did_you_mean

    for name in names:
        if name not in known:
            near = did_you_mean(name, known, n=1)
            tip = f" Did you mean {near[0]!r}?" if near else ""
            raise _bad("--fields", f"no field {name!r}.{tip} The fields are: {', '.join(known)}.")
    return list(dict.fromkeys(names))


def _bad(option: str, message: str) -> typer.BadParameter:
    return typer.BadParameter(message, param_hint=f"'{option}'")


_LOCALE_FORMATS = ("table", "plain", *JSON_FORMATS)


class Writable(Protocol):
    """Where a view is written: a text file, or a stream that escapes or encodes for one."""

    def write(self, text: str, /) -> int: ...


class _Utf8:
    """Text written as UTF-8 to a binary stream (standard output's own bytes)."""

    def __init__(self, buffer: IO[bytes]):
        self.buffer = buffer

    def write(self, text: str) -> int:
        # Surrogates are the bytes of a file name that is not UTF-8: written back as such.
        return self.buffer.write(text.encode("utf-8", "surrogateescape"))

    def flush(self) -> None:
        self.buffer.flush()


def emit(
    env: Environment,
    view: View,
    fmt: str,
    fields: Sequence[str] | None = None,
    stream: Writable | None = None,
    *,
    excel: bool = False,
) -> int:
    """Write ``view`` as ``fmt`` to ``stream`` (default stdout); return the record count.

    On a terminal, everything but what is drawn for it (the table, the documents a view
    ``draws``), which escapes as it draws, passes ``TerminalSafe``: machine formats shown
    there are still shown, not obeyed. In a pipe whose encoding is not UTF-8, CSV and
    documents are still written as UTF-8, to stdout's bytes. For a document the count
    is 0.
    """
    from .. import export

    terminal = stream is None and env.is_terminal
    if stream is None and not terminal and not env.utf8 and fmt not in _LOCALE_FORMATS:
        # CSV, Markdown, text and YAML are UTF-8 in a pipe as in a file, whatever the
        # locale says (json and ndjson escape what ASCII lacks; tables and plain rows
        # follow the locale, with \xeb for what it cannot hold).
        buffer = getattr(env.stdout, "buffer", None)
        if buffer is not None:
            env.stdout.flush()
            return emit(env, view, fmt, fields, _Utf8(buffer), excel=excel)
    out: Any = stream if stream is not None else env.stdout
    if terminal and fmt != "table":
        out = TerminalSafe(out)
    if fmt not in TABLE_FORMATS:
        assert view.document is not None, f"no {fmt} document for this view"
        if terminal:
            buffer = io.StringIO()
            view.document(buffer if fmt in view.draws else TerminalSafe(buffer), fmt, env)
            write_paged(env, buffer.getvalue(), page=view.page)
        else:
            view.document(out, fmt, None)
        return 0
    ascii_only = not env.unicode and stream is None
    records: Iterable[dict[str, Any]] = view.records
    if fields is not None:
        records = ({f: r.get(f) for f in fields} for r in view.records)
    count = 0

    def counted(items: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        nonlocal count
        for item in items:
            count += 1
            yield item

    if fmt == "json" and not view.single:  # streamed, as it is read
        export.write_json_array(out, counted(records), ascii_only=ascii_only, indent=terminal)
    elif fmt == "json":
        items = list(counted(records))
        value = items[0] if len(items) == 1 else items  # a single view's one record
        export.write_json(out, value, ascii_only=ascii_only, indent=terminal)
    elif fmt == "ndjson":
        export.write_ndjson(out, counted(records), ascii_only=ascii_only)
    elif fmt == "csv":
        export.write_csv(out, counted(records), fields or view.columns or view.fields, excel=excel)
    elif fmt == "plain":
        pick = view.plain if view.plain is not None and fields is None else None
        names = fields or view.fields
        for record in counted(view.records):
            row = pick(record) if pick is not None else [record.get(f) for f in names]
            out.write("\t".join(one_line(export.plain_cell(v)) for v in row) + "\n")
    else:
        rows = list(counted(view.records))
        if rows:
            terminal_view(env, view, rows, fields, stream=stream)
    return count


def emit_text(env: Environment, text: str) -> None:
    """A short report (``validate``'s verdict, ``draft``'s YAML) on stdout, as a view."""
    emit(
        env,
        View(records=(), fields=(), document=lambda out, fmt, terminal: out.write(text)),
        "text",
    )


class _Screen(io.StringIO):
    """What a view is drawn into: it tells Rich the terminal's encoding, so that a terminal
    that cannot show box-drawing characters gets ASCII rules instead of \u2500."""

    def __init__(self, encoding: str):
        super().__init__()
        self._encoding = encoding

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self._encoding


def terminal_view(
    env: Environment,
    view: View,
    rows: list[dict[str, Any]],
    fields: Sequence[str] | None,
    stream: Writable | None = None,
) -> None:
    """Draw rows for a terminal; page it when it is taller than the screen."""
    from .. import render

    buffer = _Screen(env.encoding)
    out = render.console(buffer, env.width, env.colour)
    if view.terminal is not None and fields is None:
        view.terminal(out, rows)
    elif fields is not None:
        render.table(out, list(fields), [[r.get(f) for f in fields] for r in rows])
    else:
        assert view.table_row is not None
        table_rows = [view.table_row(r) for r in rows]
        render.table(out, view.headers, table_rows, view.styles, view.wide)
    write_paged(env, buffer.getvalue(), page=view.page, stream=stream)


def write_paged(env: Environment, text: str, *, page: bool, stream: Writable | None = None) -> None:
    """Write text, through a pager when it is a long view on a terminal taller than the screen."""
    out = stream if stream is not None else env.stdout
    if page and stream is None and env.is_terminal and text.count("\n") >= env.height:
        pager = _pager_command(env)
        if pager and _run_pager(pager, text, env):
            return
    out.write(text)


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
    """Page ``text``; False when the pager cannot be started (then ngs just prints)."""
    import subprocess

    environ = {**env.environ, "LESS": env.environ.get("LESS", "FRX")}
    try:
        proc = subprocess.Popen(command, stdin=subprocess.PIPE, env=environ)
    except OSError:
        return False
    try:
        assert proc.stdin is not None
        proc.stdin.write(text.encode(env.encoding or "utf-8", "backslashreplace"))
        proc.stdin.close()
    except BrokenPipeError:
        pass  # the reader quit the pager early
    while True:
        try:
            proc.wait()
            break
        except KeyboardInterrupt:
            continue  # Ctrl-C belongs to the pager while it runs
    return True


# --- files the user names -----------------------------------------------------------


@contextlib.contextmanager
def open_output(
    env: Environment,
    path: Path | None,
    *,
    protect: Sequence[Path] = (),
    newline: str | None = None,
    binary: bool = False,
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
            raise _bad("--output", "give a file name: this format is not text.")
        yield env.stdout
        return
    try:
        st: os.stat_result | None = os.stat(path)  # through links, as a shell's > goes
    except FileNotFoundError:
        st = None
    except OSError as e:
        raise OutputError(f"cannot write {path}: {e.strerror or e}") from None
    target = Path(os.path.realpath(path))
    _refuse_data_file(path, target, st, protect)
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise _bad("--output", f"{str(path)!r} is a directory; give a file name.")
    if st is not None and not stat.S_ISREG(st.st_mode):
        with _open_direct(path, newline, binary) as stream:
            yield stream
        return
    if st is not None and (not os.access(target, os.W_OK) or not st.st_mode & 0o222):
        raise OutputError(f"cannot write {path}: it is read-only (permission denied)")
    folder = target.parent
    if not folder.is_dir():
        raise _bad("--output", f"the folder {str(path.parent)!r} does not exist.")
    import tempfile

    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as e:
        raise OutputError(f"cannot write {path}: {e.strerror or e}") from None
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
            raise OutputError(f"cannot write {path}: {e.strerror or e}") from None
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
                f"refusing to write {path}: it is the data file being read ({data}); "
                "choose another file name"
            )


@contextlib.contextmanager
def _open_direct(path: Path, newline: str | None, binary: bool) -> Iterator[Any]:
    """A FIFO, a device or a terminal, written in place as a shell redirect would; what
    goes to a terminal (``-o /dev/tty``) is made safe for it as stdout is."""
    if binary:
        raise _bad("--output", f"{str(path)!r} is not a regular file; give a file name.")
    try:
        stream = open(path, "w", encoding="utf-8", newline=newline)  # noqa: SIM115
    except OSError as e:
        raise OutputError(f"cannot write {path}: {e.strerror or e}") from None
    try:
        yield TerminalSafe(stream) if stream.isatty() else stream
    except OSError as e:
        if isinstance(e, BrokenPipeError):
            raise
        raise OutputError(f"cannot write {path}: {e.strerror or e}") from None
    finally:
        try:
            stream.close()
        except OSError as e:
            if e.errno != errno.EPIPE:
                raise OutputError(f"cannot write {path}: {e.strerror or e}") from None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
