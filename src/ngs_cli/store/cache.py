"""The cache: one compiled database per data file's content, and a key per data file.

A small key file per data file records the file's identity (device, inode, size,
modification and change time) and the database it compiled to: a warm call stats the
file, reads that key and opens the database, without reading the data file or importing
PyYAML. ``ctime`` is in the key because it cannot be set back the way ``touch -r`` sets
the modification time. A database is written to a temporary file and renamed into
place, and named after the data's content hash, the schema version and ngs's version, so
it is never half written and never of another file.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import sqlite3
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..progress import SILENT, Progress
from .database import Store, compile_into, connect_read_only, format_tag, require_fts5
from .source import DataSource, parse_and_validate

if TYPE_CHECKING:
    from ..model import Dataset

CACHE_ENV = "NGS_CACHE_DIR"


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


class Cache:
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
            conn = connect_read_only(db_path)
            row = conn.execute("SELECT value FROM meta WHERE key = 'format'").fetchone()
            if row and row[0] == format_tag():
                self.db_path = db_path
                return conn
            conn.close()
        except (sqlite3.DatabaseError, UnicodeDecodeError, ValueError):
            pass  # damaged in a way SQLite reports late: compiled again below
        with contextlib.suppress(OSError):
            db_path.unlink()  # damaged: it is compiled again
        return None

    def compile(self, name: str, source: DataSource, progress: Progress = SILENT) -> Store:
        """Compile the file (or reuse the database of identical content) and key it."""
        require_fts5()
        content = source.scan().sha256
        db_path = self.folder / f"{content[:32]}-{format_tag()}.sqlite"
        conn = self._open(db_path)
        if conn is None:
            data = parse_and_validate(source, name, progress)
            try:
                self._write_database(db_path, data, content, progress)
                conn = self._open(db_path)
            except OSError:
                conn = None
            if conn is None:  # the cache folder cannot be written: work in memory
                conn = sqlite3.connect(":memory:")
                compile_into(conn, data, content, progress)
                return Store(name, self.resolved, conn)
        self._write_key(db_path)
        return Store(name, self.resolved, conn, db_path)

    def _write_database(
        self, db_path: Path, data: Dataset, content: str, progress: Progress
    ) -> None:
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
                compile_into(conn, data, content, progress)
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
