"""Find, read, validate and cache an ngs data file.

The YAML is parsed and validated only when the file changed: the validated data is kept
in a cache file keyed by the data file's path, size, modification time and content hash,
so most commands load it with one ``marshal.loads`` and never import PyYAML.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from .errors import DataError, Problem

DATA_ENV = "NGS_DATA"
CACHE_ENV = "NGS_CACHE_DIR"
# Bump when the cached form changes, so old caches are ignored rather than misread.
CACHE_FORMAT = 3
_HERE = Path(__file__).resolve().parent


def bundled_path() -> Path:
    """The dataset that ships with ngs (falls back to the source tree's copy)."""
    packaged = _HERE / "data" / "reports.yaml"
    if packaged.is_file():
        return packaged
    return _HERE.parent.parent / "data" / "reports.yaml"


def resolve_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The data file to use: ``explicit`` (``--data``), else ``$NGS_DATA``, else the bundled one."""
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get(DATA_ENV)
    if env:
        return Path(env).expanduser()
    return bundled_path()


def cache_dir() -> Path:
    """Where parsed data files are cached: ``$NGS_CACHE_DIR`` or the user's cache folder."""
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


class Dataset:
    """A loaded, valid data file: its collection, topics and meetings, as plain dicts."""

    __slots__ = ("path", "collection", "topics", "meetings", "_topic_index", "search_text")

    def __init__(self, path: Path, data: dict[str, Any], search_text: list[str] | None = None):
        self.path = path
        self.collection: dict[str, Any] = data["collection"]
        self.topics: list[dict[str, Any]] = data["topics"]
        self.meetings: list[dict[str, Any]] = data["meetings"]
        self._topic_index: dict[str, dict[str, Any]] | None = None
        # One folded text per meeting for full-text search, filled in by query.search_text.
        self.search_text = search_text

    def topic(self, topic_id: str) -> dict[str, Any] | None:
        """The topic with this id, or None."""
        if self._topic_index is None:
            self._topic_index = {t["id"]: t for t in self.topics}
        return self._topic_index.get(topic_id)

    def as_dict(self) -> dict[str, Any]:
        """The whole dataset in the file's structure."""
        from .model import SCHEMA_VERSION

        return {"schema_version": SCHEMA_VERSION, "collection": self.collection,
                "topics": self.topics, "meetings": self.meetings}


def load(path: str | os.PathLike[str] | None = None, *, use_cache: bool = True) -> Dataset:
    """Load and validate a data file, from the cache when the file has not changed.

    Raises ``DataError`` naming the file, and every problem in it, when it cannot be used.
    """
    target = resolve_path(path)
    raw = read_bytes(target)
    digest = hashlib.blake2b(raw, digest_size=20).hexdigest()
    cache_file = _cache_file(target) if use_cache else None
    if cache_file is not None:
        cached = _read_cache(cache_file, digest)
        if cached is not None:
            return Dataset(target, cached["data"], cached["search"])
    data = parse_and_validate(raw, target)
    dataset = Dataset(target, data)
    if cache_file is not None:
        from .query import build_search_text

        dataset.search_text = build_search_text(dataset)
        _write_cache(cache_file, digest, data, dataset.search_text)
    return dataset


def read_bytes(path: Path) -> bytes:
    """The file's bytes, or a DataError that says plainly why they cannot be read."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DataError(str(path), "no such file") from None
    except IsADirectoryError:
        raise DataError(str(path), "is a directory, not a data file") from None
    except PermissionError:
        raise DataError(str(path), "permission denied") from None
    except OSError as e:
        if path.is_dir():
            raise DataError(str(path), "is a directory, not a data file") from None
        raise DataError(str(path), f"cannot be read ({e.strerror or e})") from None
    if not raw.strip():
        raise DataError(str(path), "is empty")
    return raw


def parse_and_validate(raw: bytes, path: Path) -> dict[str, Any]:
    """Parse YAML bytes and validate them; the normalised data or a DataError."""
    from . import yamlio
    from .model import validate

    text = decode(raw, path)
    document, root = yamlio.parse(text, str(path))
    data, problems = validate(document)
    if problems:
        raise DataError(
            str(path),
            f"{len(problems)} problem{'s' if len(problems) != 1 else ''} with the data",
            [Problem(_where(document, p), msg, yamlio.line_of(root, p)) for p, msg in problems],
        )
    return data


def decode(raw: bytes, path: Path) -> str:
    """Bytes as UTF-8 text (a BOM is allowed), or a DataError giving the bad byte's place."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise DataError(
            str(path),
            f"is not UTF-8 text (byte {raw[e.start]:#04x} at line {line}); "
            "save it as UTF-8",
        ) from None
    if "\x00" in text:
        raise DataError(str(path), "is not a text file (it contains NUL bytes)")
    return text


def _where(document: Any, path: tuple) -> str:
    """A readable place for a problem: the meeting by id and number, then the field."""
    if len(path) >= 2 and path[0] == "meetings" and isinstance(path[1], int):
        meeting = document["meetings"][path[1]]
        mid = meeting.get("id") if isinstance(meeting, dict) else None
        head = f"meeting {mid!r} (#{path[1] + 1})" if isinstance(mid, str) else \
            f"meeting #{path[1] + 1}"
        rest = path[2:]
    elif len(path) >= 2 and path[0] == "topics" and isinstance(path[1], int):
        head, rest = f"topic #{path[1] + 1}", path[2:]
    else:
        head, rest = "", path
    field = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in rest).lstrip(".")
    if head and field:
        return f"{head}, field {field}"
    return head or (f"field {field}" if field else "top level")


# --- cache ----------------------------------------------------------------------------

def _cache_file(target: Path) -> Path | None:
    try:
        st = target.stat()
        resolved = str(target.resolve())
    except OSError:
        return None
    from . import __version__

    key = f"{CACHE_FORMAT}\0{__version__}\0{resolved}\0{st.st_size}\0{st.st_mtime_ns}"
    name = hashlib.blake2b(key.encode("utf-8", "surrogateescape"), digest_size=16).hexdigest()
    return cache_dir() / f"{name}.marshal"


def _read_cache(cache_file: Path, digest: str) -> dict[str, Any] | None:
    """The cached data if it is intact and of this very content, else None."""
    try:
        blob = cache_file.read_bytes()
        check, payload = blob[:32], blob[32:]
        if hashlib.blake2b(payload, digest_size=32).digest() != check:
            return None
        cached = marshal.loads(payload)
        if cached.get("digest") != digest:
            return None
        return cached
    except Exception:  # a missing, unreadable or corrupt cache is simply rebuilt
        return None


def _write_cache(cache_file: Path, digest: str, data: Any, search: list[str]) -> None:
    try:
        payload = marshal.dumps({"digest": digest, "data": data, "search": search})
        check = hashlib.blake2b(payload, digest_size=32).digest()
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=cache_file.parent, prefix=".tmp-", suffix=".marshal")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(check + payload)
            os.replace(tmp, cache_file)
        except BaseException:
            os.unlink(tmp)
            raise
    except Exception:  # caching is an optimisation; never fail a command over it
        pass
