"""The bundled dataset's compiled form: built into the wheel, opened read-only from it.

A wheel carries ``ngs_cli/data/reports.sqlite`` beside ``reports.yaml``, compiled when
the wheel is built (``hatch_build.py`` calls ``build_shipped``). Every command over the
bundled data opens it read-only, where the package is installed: nothing is compiled and
nothing is written, whoever runs ngs and however the package folder may be written.
It is used only while it is of this ngs (its format tag) and of the YAML beside it (the
content's size and CRC-32): in a source checkout, an editable install or a package edited in
place it is missing or stale, and the data file is compiled into the cache as any other.
A package imported from a zip archive has no file SQLite can open: its YAML is read from
the archive and compiled into the cache once (``open_zipped``).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from .database import Store, connect_read_only, format_tag

if TYPE_CHECKING:
    from .cache import Cache

SHIPPED_NAME = "reports.sqlite"


def shipped_path(data_path: Path) -> Path:
    """Where the compiled form of the bundled ``data_path`` is shipped: beside it."""
    return data_path.with_name(SHIPPED_NAME)


def open_shipped(name: str, data_path: Path, fd: int) -> Store | None:
    """The shipped database of the bundled data file ``data_path`` (open as ``fd``),
    read-only, or None when there is none or it is not of this ngs and this file."""
    db_path = shipped_path(data_path)
    if not db_path.is_file():
        return None
    try:
        conn = connect_read_only(db_path)
    except sqlite3.Error:
        return None
    try:
        meta = dict(
            conn.execute("SELECT key, value FROM meta WHERE key IN ('format', 'content_crc32')")
        )
        if meta.get("format") == format_tag() and meta.get("content_crc32") == _fingerprint(fd):
            # No db_path: a database SQLite finds damaged is reported, never removed here.
            return Store(name, data_path, conn)
    except (sqlite3.DatabaseError, UnicodeDecodeError, ValueError, OSError):
        pass  # damaged or unreadable: the data file is compiled into the cache instead
    conn.close()
    return None


def _fingerprint(fd: int) -> str:
    """The data file's size and CRC-32: enough to tell a file edited in place from the
    one the database was built from, without the 3 ms hashlib costs to import (the
    database also holds the file's SHA-256, ``content_sha256``, as every compile does)."""
    import zlib

    crc, size = 0, 0
    os.lseek(fd, 0, os.SEEK_SET)
    while chunk := os.read(fd, 1 << 20):
        crc, size = zlib.crc32(chunk, crc), size + len(chunk)
    return f"{size}-{crc:08x}"


def zipped_archive(data_path: Path) -> Path | None:
    """The zip archive the package is imported from, when ``data_path`` lies inside it."""
    from .. import __spec__ as spec

    archive = getattr(spec.loader, "archive", None) if spec is not None else None
    if not archive:
        return None
    path = Path(archive).resolve()
    return path if path in data_path.parents else None


def open_zipped(name: str, data_path: Path, archive: Path, cache_dir: Path) -> Store:
    """The bundled data of a package imported from ``archive``, compiled into the cache
    once and found there again while the archive is unchanged."""
    from importlib import resources

    from .cache import Cache
    from .source import DataSource

    cache: Cache = Cache(data_path, os.stat(archive), cache_dir)
    found = cache.lookup()
    if found is not None:
        return Store(name, data_path, found, cache.db_path)
    raw = resources.files("ngs_cli").joinpath("data").joinpath(data_path.name).read_bytes()
    return cache.compile(name, DataSource(name, raw=raw))


def build_shipped(data_path: Path, db_path: Path) -> None:
    """Compile the data file ``data_path`` into a new database ``db_path``, as the
    cache does: what a wheel ships beside it (``hatch_build.py``)."""
    from .database import compile_into, require_fts5
    from .source import DataSource, open_data, parse_and_validate

    require_fts5()
    with open_data(data_path) as (fd, _st):
        source = DataSource(str(data_path), fd=fd)
        data = parse_and_validate(source, str(data_path))
        fingerprint = _fingerprint(fd)
    with contextlib.suppress(FileNotFoundError):
        db_path.unlink()
    conn = sqlite3.connect(db_path)
    try:
        conn.execute("PRAGMA journal_mode = OFF")
        compile_into(conn, data, source.sha256)
        conn.execute("INSERT INTO meta VALUES ('content_crc32', ?)", (fingerprint,))
        conn.commit()
        conn.execute("VACUUM")  # the smallest file: no free pages left by the compile
    finally:
        conn.close()
