"""Find the data file, compile it into SQLite, open it, and tell when it changed.

``data/reports.yaml`` (or the user's own file) stays the one curated source. When it
changes, it is read and validated (``source``), compiled into one SQLite database
(``database``): tables for meetings, sections, people and topics, and an FTS5 index over
the text, kept in the cache folder (``cache``) until the file changes again. The bundled
file's compiled form ships with the package and is opened where it lies (``bundled``).
"""

from __future__ import annotations

import os
from typing import IO, TYPE_CHECKING

from ..progress import SILENT, Progress
from .bundled import open_shipped, open_zipped, zipped_archive
from .cache import CACHE_ENV, Cache, user_cache_dir
from .database import (
    DB_FORMAT,
    SCHEMA_SQL,
    Store,
    compile_into,
    in_memory,
    period,
)
from .settings import Settings
from .source import (
    DATA_ENV,
    MAX_SIZE_ENV,
    STDIN,
    DataSource,
    TooLarge,
    bundled_path,
    data_source,
    open_data,
    parse_and_validate,
    parse_size,
    read_stdin,
    read_up_to,
    resolve_path,
)
from .stopping import stop_queries

if TYPE_CHECKING:
    from pathlib import Path

    from ..model import Dataset

__all__ = [
    "CACHE_ENV", "DATA_ENV", "DB_FORMAT", "MAX_SIZE_ENV", "SCHEMA_SQL", "STDIN", "DataSource",
    "Settings", "Store", "bundled_path", "compile_into", "data_source", "parse_size",
    "TooLarge", "read_up_to", "user_cache_dir",
    "open_records", "open_store", "parse_and_validate", "period", "read_stdin",
    "resolve_path", "stop_queries",
]  # fmt: skip


def open_store(
    path: str | os.PathLike[str] | None = None,
    *,
    use_cache: bool = True,
    stdin: IO[bytes] | None = None,
    progress: Progress = SILENT,
    settings: Settings | None = None,
) -> Store:
    """Open the compiled form of a data file, compiling it first when it changed.

    ``use_cache=False`` compiles into memory and writes nothing; ``stdin`` is what ``-``
    reads (by default this process's standard input); ``progress`` hears how a compile
    goes; ``settings`` say where the data file is when ``path`` names none, the largest
    one read and the cache folder (by default: the bundled data, 256 MB, the user's
    cache folder). Raises ``DataError``, naming the file and every problem in it, when it
    cannot be used.
    """
    settings = settings or Settings()
    limit = settings.max_size
    target = resolve_path(path, settings.data)
    name = str(path) if path is not None else str(target)
    if str(target) == STDIN:
        raw = read_stdin(name, stdin, limit=limit)
        return _in_memory(name, None, DataSource(name, raw=raw, limit=limit), progress)
    bundled = target == bundled_path()
    if bundled and use_cache:
        archive = zipped_archive(target)
        if archive is not None:
            return open_zipped(name, target, archive, settings.cache_dir)
    with open_data(target, limit) as (fd, st):
        source = DataSource(name, fd=fd, limit=limit)
        if not use_cache:
            return _in_memory(name, target, source, progress)
        if bundled:  # its compiled form ships with the package: nothing to compile
            shipped = open_shipped(name, target, fd)
            if shipped is not None:
                return shipped
        cache = Cache(target, st, settings.cache_dir)
        found = cache.lookup()
        if found is not None:
            return Store(name, target, found, cache.db_path)
        return cache.compile(name, source, progress)


def open_records(data: Dataset, name: str = "<records>") -> Store:
    """A dataset already validated (``validate.validate``), compiled in memory."""
    return in_memory(name, None, data)


def _in_memory(
    name: str, data_path: Path | None, source: DataSource, progress: Progress = SILENT
) -> Store:
    return in_memory(name, data_path, parse_and_validate(source, name, progress), "", progress)
