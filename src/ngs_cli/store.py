"""Find the data file, compile it into SQLite, open it, and tell when it changed.

``data/reports.yaml`` (or the user's own file) stays the one curated source. When it
changes, it is read, validated and compiled into one SQLite database in the cache folder:
tables for meetings, sections, people and topics, and an FTS5 index over the text. The
database is written to a temporary file and renamed into place, and named after the
data's content hash, the schema version and ngs's version, so a database is never half
written and never of another file. A small key file per data file records the file's
identity (device, inode, size, modification and change time) and the database it
compiled to: a warm call stats the file, reads that key and opens the database, without
reading the data file or importing PyYAML. ``ctime`` is in the key because it cannot be
set back the way ``touch -r`` sets the modification time.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import sqlite3
import stat
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, NamedTuple

from . import SCHEMA_VERSION, __version__
from .errors import BadValue, DataError, Problem

if TYPE_CHECKING:
    from .model import Collection, Dataset, Meeting, Person

DATA_ENV = "NGS_DATA"
CACHE_ENV = "NGS_CACHE_DIR"
MAX_SIZE_ENV = "NGS_MAX_DATA_SIZE"
DEFAULT_MAX_SIZE = 256 * 1024 * 1024
# Bump when the tables change, so that databases of an older layout are not read.
DB_FORMAT = 3
STDIN = "-"
_HERE = Path(__file__).resolve().parent


def bundled_path() -> Path:
    """The dataset that ships with ngs (falls back to the source tree's copy)."""
    packaged = _HERE / "data" / "reports.yaml"
    if packaged.is_file():
        return packaged
    return _HERE.parent.parent / "data" / "reports.yaml"


def resolve_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The data file to use: ``explicit`` (``--data``), else ``$NGS_DATA``, else the bundled
    one. ``-`` means standard input; an empty ``explicit`` names no file (BadValue)."""
    if explicit is not None and not str(explicit):
        raise BadValue(
            "the data file's path is empty: name a file, or leave it out for the bundled one"
        )
    for value in (explicit, os.environ.get(DATA_ENV)):
        if value:
            return Path(value) if str(value) == STDIN else Path(value).expanduser()
    return bundled_path()


def cache_dir() -> Path:
    """Where compiled databases live: ``$NGS_CACHE_DIR`` or the user's cache folder."""
    env = os.environ.get(CACHE_ENV)
    if env:
        return Path(env).expanduser()
    if sys.platform == "win32":  # pragma: no cover
        base = Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local"))
    elif sys.platform == "darwin":  # pragma: no cover
        base = Path.home() / "Library" / "Caches"
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "ngs"


def max_size() -> int:
    """The largest data file ngs reads, in bytes: ``$NGS_MAX_DATA_SIZE`` or 256 MB.

    The variable takes bytes or a number with K, M or G (``NGS_MAX_DATA_SIZE=1G``).
    """
    given = os.environ.get(MAX_SIZE_ENV, "").strip()
    value = given.upper()
    if not value:
        return DEFAULT_MAX_SIZE
    scale = {"K": 1024, "M": 1024**2, "G": 1024**3}.get(value[-1:], 1)
    digits = value[:-1] if scale > 1 else value
    if not (digits.isascii() and digits.isdigit()):
        raise DataError(
            f"${MAX_SIZE_ENV}", f"{given!r} is not a size (bytes, or a number with K, M or G)"
        )
    return int(digits) * scale


# --- the compiled dataset --------------------------------------------------------------


class Store(NamedTuple):
    """An open, compiled dataset: the connection every query goes through."""

    name: str  # the data file as the user named it, for messages
    data_path: Path | None  # None for standard input
    conn: sqlite3.Connection
    db_path: Path | None = None  # None when compiled in memory

    def rows(self, sql: str, params: tuple | list = ()) -> list[sqlite3.Row]:
        """Run one query; a damaged database is removed and reported, never a traceback."""
        try:
            return self.conn.execute(sql, params).fetchall()
        except sqlite3.DatabaseError as e:
            if isinstance(e, sqlite3.OperationalError) and "fts5" in str(e).lower():
                raise
            raise self._damaged(e) from None

    def iter_rows(self, sql: str, params: tuple | list = ()) -> Iterator[sqlite3.Row]:
        """Like ``rows``, one row at a time, for output that is written as it is read."""
        try:
            yield from self.conn.execute(sql, params)
        except sqlite3.DatabaseError as e:
            raise self._damaged(e) from None

    def _damaged(self, e: sqlite3.DatabaseError) -> DataError:
        """Remove a database SQLite found damaged; the error that says so."""
        if self.db_path is not None:
            with contextlib.suppress(OSError):
                self.db_path.unlink()
        return DataError(
            str(self.db_path or "the compiled dataset"),
            f"is damaged ({e}); it has been removed and is rebuilt on the next run",
        )

    def collection(self) -> Collection:
        """The collection's own description: title, source_url, publisher, introduction."""
        (row,) = self.rows("SELECT title, source_url, publisher, introduction FROM collection")
        return {
            "title": row[0],
            "source_url": row[1],
            "publisher": row[2],
            "introduction": json.loads(row[3]),
        }

    def close(self) -> None:
        self.conn.close()


def open_store(
    path: str | os.PathLike[str] | None = None,
    *,
    use_cache: bool = True,
    stdin: IO[bytes] | None = None,
) -> Store:
    """Open the compiled form of a data file, compiling it first when it changed.

    ``use_cache=False`` compiles into memory and writes nothing; ``stdin`` is what ``-``
    reads (by default this process's standard input). Raises ``DataError``, naming the
    file and every problem in it, when it cannot be used.
    """
    target = resolve_path(path)
    name = str(path) if path is not None else str(target)
    if str(target) == STDIN:
        return _in_memory(name, None, DataSource(name, raw=read_stdin(name, stdin)))
    with _open_data(target) as (fd, st):
        source = DataSource(name, fd=fd)
        if not use_cache:
            return _in_memory(name, target, source)
        cache = _Cache(target, st)
        found = cache.lookup()
        if found is not None:
            return Store(name, target, found, cache.db_path)
        return cache.compile(name, source)


def open_records(data: Dataset, name: str = "<records>") -> Store:
    """A dataset already validated (``validate.validate``), compiled in memory."""
    _require_fts5()
    conn = sqlite3.connect(":memory:")
    compile_into(conn, data, "")
    return Store(name, None, conn)


def _require_fts5() -> None:
    if not _fts5_available():
        raise DataError(
            "sqlite3",
            f"this Python's SQLite ({sqlite3.sqlite_version}) was built without FTS5, "
            "the full-text index ngs needs; use a Python whose SQLite has it "
            "(python.org, Debian, Ubuntu and Homebrew builds do)",
        )


def _fts5_available() -> bool:
    conn = sqlite3.connect(":memory:")
    try:
        conn.execute("CREATE VIRTUAL TABLE t USING fts5(x)")
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        conn.close()


def _in_memory(name: str, data_path: Path | None, source: DataSource) -> Store:
    _require_fts5()
    conn = sqlite3.connect(":memory:")
    compile_into(conn, parse_and_validate(source, name), "")
    return Store(name, data_path, conn)


def _connect_read_only(db_path: Path) -> sqlite3.Connection:
    # immutable: the file is never changed in place (a new one is renamed over it), so
    # SQLite may skip locking and change detection.
    conn = sqlite3.connect(f"{db_path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    return conn


# --- reading the data file ------------------------------------------------------------


@contextlib.contextmanager
def _open_data(path: Path) -> Any:
    """An open descriptor of a regular data file and its stat, or a clear DataError.

    Opened without blocking, so that a FIFO with no writer is refused at once rather
    than waited on; anything but a regular file (a device, a FIFO, a socket) is refused
    before a byte is read.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise DataError(str(path), "no such file") from None
    except IsADirectoryError:
        raise DataError(str(path), "is a directory, not a data file") from None
    except PermissionError:
        raise DataError(str(path), "permission denied") from None
    except OSError as e:
        raise DataError(str(path), f"cannot be read ({e.strerror or e})") from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise DataError(str(path), "is a directory, not a data file")
        if not stat.S_ISREG(st.st_mode):
            raise DataError(
                str(path),
                "is not a regular file (a pipe, device or socket); save the data to a file, "
                f"or pipe it in with --data {STDIN}",
            )
        _check_size(st.st_size, str(path))
        yield fd, st
    finally:
        os.close(fd)


def _check_size(size: int, name: str, *, known: bool = True) -> None:
    """A DataError when ``size`` is over the limit; ``known=False`` when ``size`` is only
    what was read of a stream that may hold more (then it is not quoted)."""
    limit = max_size()
    if size <= limit:
        return
    big, most = _mb(size), _mb(limit)
    if known and big == most:  # just over the limit: in bytes, so that the two differ
        big, most = f"{size} bytes", f"{limit} bytes"
    what = f"is {big}, more than" if known else "holds more than"
    raise DataError(
        name,
        f"{what} the limit of {most}; set {MAX_SIZE_ENV} (e.g. {MAX_SIZE_ENV}=1G) "
        "to read it anyway",
    )


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

    def __init__(self, name: str, *, fd: int | None = None, raw: bytes | None = None):
        self.name = name
        self.fd = fd
        self.raw = raw
        self.sha256 = ""
        self.may_have_aliases = True
        self.may_hold_nul = True
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

        from .yamlio import may_have_aliases_in

        digest = hashlib.sha256()
        decoder = codecs.getincrementaldecoder("utf-8-sig")()
        limit, total, blank, aliases, nul, tail, line = max_size(), 0, True, False, False, "", 1
        with self.stream() as stream:
            while True:
                chunk = _read(stream, 1 << 20, self.name)
                total += len(chunk)
                if total > limit:  # a file that grew while it was read
                    _check_size(total, self.name)
                digest.update(chunk)
                try:
                    text = decoder.decode(chunk, final=not chunk)
                except UnicodeDecodeError as e:
                    line += chunk[: e.start].count(b"\n")
                    raise DataError(
                        self.name,
                        f"is not UTF-8 text (byte {chunk[e.start]:#04x} at line {line}); "
                        "save it as UTF-8",
                    ) from None
                if "\x00" in text:
                    raise DataError(self.name, "is not a text file (it contains NUL bytes)")
                blank = blank and not text.strip()
                # The pattern is short: the tail of the last piece keeps a match whole.
                aliases = aliases or may_have_aliases_in(tail + text)
                nul = nul or re.search(_NUL_ESCAPE, tail + text) is not None
                tail = text[-8:]
                line += chunk.count(b"\n")
                if not chunk:
                    break
        if blank:
            raise DataError(self.name, "is empty")
        self.sha256 = digest.hexdigest()
        self.may_have_aliases = aliases
        self.may_hold_nul = nul
        self._scanned = True
        return self


def _read(stream: IO[bytes], size: int, name: str) -> bytes:
    """Read from a data file; a failing disk or a file that cannot be read is a DataError
    that names it (not the "cannot write to standard output" of an unnamed OSError)."""
    try:
        return stream.read(size)
    except OSError as e:
        raise DataError(name, f"cannot be read ({e.strerror or e})") from None


_CHANGED = "changed while it was being read; run it again"


class _Hashing:
    """A binary stream that hashes what is read from it (the parser reads to the end),
    and stops a file that grew past the size limit since it was checked."""

    def __init__(self, stream: IO[bytes], name: str):
        import hashlib

        self.stream = stream
        self.name = name
        self.digest = hashlib.sha256()
        self.left = max_size()

    def read(self, size: int = -1) -> bytes:
        chunk = _read(self.stream, size, self.name)
        self.left -= len(chunk)
        if self.left < 0:
            raise DataError(self.name, _CHANGED)
        self.digest.update(chunk)
        return chunk

    def hexdigest(self) -> str:
        return self.digest.hexdigest()


def read_stdin(name: str, stream: IO[bytes] | None = None, *, empty_ok: bool = False) -> bytes:
    """What is piped to standard input (``stream``, by default this process's), up to the
    size limit; empty is an error unless ``empty_ok``."""
    if stream is None:
        stream = sys.stdin.buffer if sys.stdin is not None else None
    if stream is None:
        raise DataError(name, "standard input is closed")
    if stream.isatty():
        raise DataError(name, "standard input is a terminal; pipe the data in")
    raw = stream.read(max_size() + 1)  # one byte more than the limit tells that it is over
    _check_size(len(raw), "standard input", known=False)
    return raw if empty_ok else _not_empty(raw, name)


def _not_empty(raw: bytes, name: str) -> bytes:
    if not raw.strip():
        raise DataError(name, "is empty")
    return raw


def data_source(path: Path, stdin: IO[bytes] | None = None) -> DataSource:
    """A regular data file read whole (or ``stdin``, by default this process's, for
    ``-``), for checking it."""
    if str(path) == STDIN:
        return DataSource(STDIN, raw=read_stdin(STDIN, stdin))
    with _open_data(path) as (fd, _), os.fdopen(os.dup(fd), "rb") as f:
        return DataSource(str(path), raw=_read(f, max_size() + 1, str(path)))


def parse_and_validate(source: DataSource | bytes, name: str) -> Dataset:
    """Parse a data file and validate it; the normalised data or a DataError.

    The garbage collector is paused meanwhile: parsing creates millions of objects and
    none of them is garbage, so its passes cost most of the time and find nothing.
    """
    import gc

    from . import yamlio
    from .validate import validate

    if isinstance(source, bytes):
        source = DataSource(name, raw=source)
    source.scan()
    enabled = gc.isenabled()
    gc.disable()
    try:
        with source.stream() as stream:
            hashed = _Hashing(stream, name)

            def unchanged() -> None:
                # Rewritten between the check and the parse, what was read is not what was
                # checked (for aliases, NUL) and hashed: a database named by that hash
                # would hold another file's data. Told before anything is built from it.
                if hashed.hexdigest() != source.sha256:
                    raise DataError(name, _CHANGED)

            document = yamlio.parse(
                hashed, name, may_have_aliases=source.may_have_aliases, after_reading=unchanged
            )
        data, problems = validate(document, may_hold_nul=source.may_hold_nul)
        del document
    finally:
        if enabled:
            gc.enable()
    if problems:
        # Only now is the node tree worth its memory: parse again to tell the lines.
        with source.stream() as stream:
            document, root = yamlio.parse_with_nodes(stream, name)
        raise DataError(
            name,
            f"{len(problems)} problem{'s' if len(problems) != 1 else ''} with the data",
            [Problem(_where(document, p), msg, yamlio.line_of(root, p)) for p, msg in problems],
        )
    return data


def _where(document: Any, path: tuple) -> str:
    """A readable place for a problem: the meeting by id and number, then the field."""
    if len(path) >= 2 and path[0] == "meetings" and isinstance(path[1], int):
        meeting = document["meetings"][path[1]]
        mid = meeting.get("id") if isinstance(meeting, dict) else None
        head = (
            f"meeting {mid!r} (#{path[1] + 1})"
            if isinstance(mid, str)
            else f"meeting #{path[1] + 1}"
        )
        rest = path[2:]
    elif len(path) >= 2 and path[0] == "topics" and isinstance(path[1], int):
        head, rest = f"topic #{path[1] + 1}", path[2:]
    else:
        head, rest = "", path
    field = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in rest).lstrip(".")
    if head and field:
        return f"{head}, field {field}"
    return head or (f"field {field}" if field else "top level")


# --- the cache ------------------------------------------------------------------------


class _Cache:
    """The key file of one data file and the database it names."""

    def __init__(self, target: Path, st: os.stat_result):
        self.folder = cache_dir()
        resolved = str(target.resolve())
        import zlib

        digest = f"{zlib.crc32(resolved.encode('utf-8', 'surrogateescape')):08x}"
        self.key_path = self.folder / f"{digest}.key"
        self.resolved = Path(resolved)
        self.identity = [resolved, st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns]
        self.db_path: Path | None = None

    def lookup(self) -> sqlite3.Connection | None:
        """The database compiled from this very file, when the key says it is current."""
        key = _read_key(self.key_path)
        if key is None or key[0] != self.identity:
            return None
        return self._open(self.folder / key[1])

    def _open(self, db_path: Path) -> sqlite3.Connection | None:
        """The database if it is whole and of the expected format, else None."""
        if not db_path.is_file():
            return None
        try:
            conn = _connect_read_only(db_path)
            row = conn.execute("SELECT value FROM meta WHERE key = 'format'").fetchone()
            if row and row[0] == _format_tag():
                self.db_path = db_path
                return conn
            conn.close()
        except (sqlite3.DatabaseError, UnicodeDecodeError, ValueError):
            pass  # damaged in a way SQLite reports late: compiled again below
        with contextlib.suppress(OSError):
            db_path.unlink()  # damaged: it is compiled again
        return None

    def compile(self, name: str, source: DataSource) -> Store:
        """Compile the file (or reuse the database of identical content) and key it."""
        _require_fts5()
        content = source.scan().sha256
        db_path = self.folder / f"{content[:32]}-{_format_tag()}.sqlite"
        conn = self._open(db_path)
        if conn is None:
            data = parse_and_validate(source, name)
            try:
                self._write_database(db_path, data, content)
                conn = self._open(db_path)
            except OSError:
                conn = None
            if conn is None:  # the cache folder cannot be written: work in memory
                conn = sqlite3.connect(":memory:")
                compile_into(conn, data, content)
                return Store(name, self.resolved, conn)
        self._write_key(db_path)
        return Store(name, self.resolved, conn, db_path)

    def _write_database(self, db_path: Path, data: Dataset, content: str) -> None:
        import tempfile

        self.folder.mkdir(parents=True, exist_ok=True)
        _remove_stray_temp_files(self.folder)
        fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=f".tmp-{os.getpid()}-", suffix=".db")
        os.close(fd)
        try:
            conn = sqlite3.connect(tmp)
            try:
                # A file nobody reads until it is complete and renamed: no journal needed.
                conn.execute("PRAGMA journal_mode = OFF")
                conn.execute("PRAGMA synchronous = OFF")
                compile_into(conn, data, content)
                conn.commit()
            finally:
                conn.close()
            os.replace(tmp, db_path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise

    def _write_key(self, db_path: Path) -> None:
        import tempfile

        key = _read_key(self.key_path)
        previous = key[1] if key is not None else None
        text = json.dumps({"identity": self.identity, "database": db_path.name})
        try:
            fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=f".tmp-{os.getpid()}-")
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as f:
                    f.write(text)
                os.replace(tmp, self.key_path)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
                raise
        except OSError:
            return  # caching is an optimisation; never fail a command over it
        if previous and previous != db_path.name and not _still_keyed(self.folder, previous):
            with contextlib.suppress(OSError):
                (self.folder / previous).unlink()


def _still_keyed(folder: Path, database: str) -> bool:
    """Whether another data file's key names this database (identical content)."""
    for path in folder.glob("*.key"):
        key = _read_key(path)
        if key is not None and key[1] == database:
            return True
    return False


# The name of a compiled database in the cache folder, and nothing else: a key file that
# names another file (a path, "..") is ignored, so it can make ngs neither open nor
# delete anything but its own databases.
_DATABASE_NAME = r"[0-9a-f]{32}-s\d+-f\d+-v[0-9A-Za-z.+]+\.sqlite"


def _read_key(path: Path) -> tuple[list[Any], str] | None:
    """A key file's identity and database name, or None when it is missing or not one."""
    try:
        key = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(key, dict):
        return None
    identity, database = key.get("identity"), key.get("database")
    if not isinstance(identity, list) or not isinstance(database, str):
        return None
    if not re.fullmatch(_DATABASE_NAME, database):
        return None
    return identity, database


def _remove_stray_temp_files(folder: Path) -> None:
    """Temporary files of a compile that was killed (its process is gone)."""
    for tmp in folder.glob(".tmp-*"):
        try:
            pid = int(tmp.name.split("-")[1])
        except (IndexError, ValueError):
            pid = 0
        if pid != os.getpid() and not _alive(pid):
            with contextlib.suppress(OSError):
                tmp.unlink()


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _format_tag() -> str:
    return f"s{SCHEMA_VERSION}-f{DB_FORMAT}-v{__version__}"


# --- compiling ------------------------------------------------------------------------

SCHEMA_SQL = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE collection (
    title TEXT NOT NULL, source_url TEXT, publisher TEXT,
    introduction TEXT NOT NULL  -- JSON array of paragraphs
);
CREATE TABLE topics (
    id TEXT PRIMARY KEY, position INTEGER NOT NULL, label TEXT NOT NULL,
    aliases TEXT NOT NULL,  -- JSON array
    description TEXT,
    match_text TEXT NOT NULL  -- id, label and aliases, folded: what --theme matches
);
CREATE TABLE meetings (
    id TEXT PRIMARY KEY, position INTEGER NOT NULL UNIQUE,
    title TEXT NOT NULL, date TEXT, end_date TEXT, year INTEGER,
    date_precision TEXT NOT NULL, season TEXT, date_inferred INTEGER NOT NULL,
    date_note TEXT, city TEXT, venue TEXT, format TEXT,
    themes TEXT NOT NULL, topics TEXT NOT NULL,  -- JSON arrays
    participants INTEGER,  -- the count
    participants_detail TEXT,  -- JSON object, or null
    files_announced INTEGER NOT NULL,
    programme TEXT NOT NULL, people TEXT NOT NULL, notes TEXT NOT NULL,  -- JSON arrays
    speakers TEXT NOT NULL,  -- JSON array: everyone who spoke or led a session
    first_day TEXT, last_day TEXT,  -- the period the meeting may lie in (ISO dates)
    sort_date INTEGER,  -- YYYYMMDD as far as known, for ordering
    city_key TEXT, title_key TEXT, theme_text TEXT NOT NULL, speaker_text TEXT NOT NULL
);
CREATE INDEX meetings_city ON meetings (city_key);
CREATE INDEX meetings_year ON meetings (year);
CREATE INDEX meetings_order ON meetings (sort_date, position);
CREATE TABLE meeting_topics (
    meeting_id TEXT NOT NULL REFERENCES meetings (id),
    topic_id TEXT NOT NULL REFERENCES topics (id),
    PRIMARY KEY (meeting_id, topic_id)
) WITHOUT ROWID;
CREATE TABLE sections (
    meeting_id TEXT NOT NULL REFERENCES meetings (id), position INTEGER NOT NULL,
    heading TEXT, level INTEGER NOT NULL,
    speakers TEXT NOT NULL, blocks TEXT NOT NULL,  -- JSON arrays
    PRIMARY KEY (meeting_id, position)
) WITHOUT ROWID;
CREATE TABLE people (
    name TEXT NOT NULL, meeting_id TEXT NOT NULL REFERENCES meetings (id),
    role TEXT, organisation TEXT, name_key TEXT NOT NULL
);
CREATE INDEX people_meeting ON people (meeting_id);
CREATE TABLE meeting_text (
    meeting_id TEXT NOT NULL UNIQUE REFERENCES meetings (id),
    title TEXT NOT NULL,  -- title and themes
    topics TEXT NOT NULL,  -- topic labels
    people TEXT NOT NULL,  -- people, their roles, and the programme
    text TEXT NOT NULL  -- the verslag, with city and venue
);
-- Written the way sqlite-utils writes it (content=[table]), so that sqlite-utils and
-- Datasette find the index of meeting_text.
CREATE VIRTUAL TABLE meeting_text_fts USING FTS5 (
    title, topics, people, text,
    tokenize='unicode61 remove_diacritics 2', prefix='2 3', content=[meeting_text]
);
-- How many meetings each indexed word occurs in: what makes a word distinctive.
CREATE VIRTUAL TABLE meeting_text_vocab USING fts5vocab (meeting_text_fts, 'row');
"""

# A meeting's fields in the data file, in the model's order (whole records are written so).
RECORD_FIELDS = (
    "id", "title", "date", "end_date", "year", "date_precision", "season", "date_inferred",
    "date_note", "city", "venue", "format", "themes", "topics", "participants",
    "files_announced", "programme", "people", "sections", "notes",
)  # fmt: skip
MEETING_COLUMNS = (
    "id", "position", "title", "date", "end_date", "year", "date_precision", "season",
    "date_inferred", "date_note", "city", "venue", "format", "themes", "topics",
    "participants", "participants_detail", "files_announced", "programme", "people", "notes",
    "speakers", "first_day", "last_day", "sort_date", "city_key", "title_key", "theme_text",
    "speaker_text",
)  # fmt: skip

_SEASONS = {
    "spring": ("03-01", "05-31", 4),
    "summer": ("06-01", "08-31", 7),
    "autumn": ("09-01", "11-30", 10),
    "winter": ("12-01", "02-28", 12),
}


def period(meeting: Meeting) -> tuple[str | None, str | None]:
    """The first and last day the meeting may have been held, as far as the data tells.

    A day (range) is itself; a season is its meteorological months (winter runs into
    the next year); a year alone is the whole year; an unknown year is (None, None).
    """
    year = meeting["year"]
    if meeting["date"]:
        return meeting["date"], meeting["end_date"] or meeting["date"]
    if year is None:
        return None, None
    season = (
        _SEASONS.get(meeting["season"] or "") if meeting["date_precision"] == "season" else None
    )
    if season:
        last_year = year + 1 if meeting["season"] == "winter" else year
        return f"{year}-{season[0]}", f"{last_year}-{season[1]}"
    return f"{year}-01-01", f"{year}-12-31"


def _sort_date(meeting: Meeting) -> int | None:
    if meeting["year"] is None:
        return None
    if meeting["date"]:
        return int(meeting["date"].replace("-", ""))
    season = _SEASONS.get(meeting["season"] or "")
    return meeting["year"] * 10000 + (season[2] * 100 if season else 0)


def compile_into(conn: sqlite3.Connection, data: Dataset, content: str) -> None:
    """Write a validated dataset into an empty database: tables, rows and the FTS index."""
    from .model import meeting_people, meeting_texts
    from .text import fold

    dumps = json.JSONEncoder(ensure_ascii=False).encode
    conn.executescript(SCHEMA_SQL)
    conn.executemany(
        "INSERT INTO meta VALUES (?, ?)",
        [("format", _format_tag()), ("content_sha256", content), ("ngs_version", __version__)],
    )
    coll = data["collection"]
    conn.execute(
        "INSERT INTO collection VALUES (?, ?, ?, ?)",
        (coll["title"], coll["source_url"], coll["publisher"], dumps(coll["introduction"])),
    )
    topics = data["topics"]
    match_text = {t["id"]: fold(" | ".join([t["id"], t["label"], *t["aliases"]])) for t in topics}
    labels = {t["id"]: t["label"] for t in topics}
    conn.executemany(
        "INSERT INTO topics VALUES (?, ?, ?, ?, ?, ?)",
        [
            (t["id"], i, t["label"], dumps(t["aliases"]), t["description"], match_text[t["id"]])
            for i, t in enumerate(topics)
        ],
    )
    # Row by row as each meeting is read: nothing is collected for all meetings at once,
    # so compiling costs little memory beside the parsed data itself.
    insert_meeting = (
        f"INSERT INTO meetings (rowid, {', '.join(MEETING_COLUMNS)}) "
        f"VALUES ({', '.join('?' * (len(MEETING_COLUMNS) + 1))})"
    )
    execute, executemany = conn.execute, conn.executemany
    for position, m in enumerate(data["meetings"]):
        mid = m["id"]
        speakers = meeting_people(m)
        first, last = period(m)
        theme_text = " | ".join(
            [fold(t) for t in m["themes"]] + [match_text.get(t, fold(t)) for t in m["topics"]]
        )
        participants = m["participants"]
        execute(
            insert_meeting,
            (
                position + 1,
                mid,
                position,
                m["title"],
                m["date"],
                m["end_date"],
                m["year"],
                m["date_precision"],
                m["season"],
                m["date_inferred"],
                m["date_note"],
                m["city"],
                m["venue"],
                m["format"],
                dumps(m["themes"]),
                dumps(m["topics"]),
                participants["count"] if participants else None,
                dumps(participants) if participants else None,
                m["files_announced"],
                dumps(m["programme"]),
                dumps(m["people"]),
                dumps(m["notes"]),
                dumps(speakers),
                first,
                last,
                _sort_date(m),
                fold(m["city"]) if m["city"] else None,
                fold(m["title"]),
                theme_text,
                fold(" | ".join(speakers)),
            ),
        )
        executemany(
            "INSERT INTO meeting_topics VALUES (?, ?)",
            [(mid, t) for t in dict.fromkeys(m["topics"])],
        )
        executemany(
            "INSERT INTO sections VALUES (?, ?, ?, ?, ?, ?)",
            [
                (
                    mid,
                    i,
                    s["heading"],
                    s["level"],
                    dumps(s["speakers"]),
                    dumps(s["blocks"]),
                )
                for i, s in enumerate(m["sections"])
            ],
        )
        details: dict[str, Person] = {p["name"]: p for p in m["people"]}
        for item in m["programme"]:
            for p in item["speakers"]:
                details.setdefault(p["name"], p)
        nobody: Person = {"name": ""}
        executemany(
            "INSERT INTO people VALUES (?, ?, ?, ?, ?)",
            [
                (name, mid, details.get(name, nobody).get("role"),
                 details.get(name, nobody).get("organisation"), fold(name))
                for name in speakers
            ],
        )  # fmt: skip
        roles = [
            " ".join(filter(None, (p["name"], p["role"], p["organisation"]))) for p in m["people"]
        ]
        execute(
            "INSERT INTO meeting_text (rowid, meeting_id, title, topics, people, text) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (
                position + 1,
                mid,
                "\n".join([m["title"], *m["themes"]]),
                "\n".join(labels.get(t, t) for t in m["topics"]),
                "\n".join([*speakers, *roles, *(i["title"] for i in m["programme"])]),
                "\n".join([*meeting_texts(m), m["city"] or "", m["venue"] or ""]),
            ),
        )
    conn.execute("INSERT INTO meeting_text_fts (meeting_text_fts) VALUES ('rebuild')")
