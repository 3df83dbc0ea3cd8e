"""Find, read, validate and cache an ngs data file.

The YAML is parsed and validated only when the file changed: the validated data is kept
in a cache file keyed by the data file's path, size, modification time and content hash,
so most commands load it with one ``marshal.loads`` and never import PyYAML.
"""

from __future__ import annotations

import marshal
import os
import sys
import zlib
from pathlib import Path
from typing import Any

from .errors import DataError, Problem

DATA_ENV = "NGS_DATA"
CACHE_ENV = "NGS_CACHE_DIR"
# Bump when the cached form changes, so old caches are ignored rather than misread.
CACHE_FORMAT = 5
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
    """A loaded, valid data file: its collection, topics and meetings, as plain dicts.

    Loaded from the cache for a command that only lists, a meeting's sections may hold
    just their heading, level and speakers; ``with_bodies`` brings in their text.
    """

    __slots__ = (
        "_snippet_lines",
        "path",
        "collection",
        "topics",
        "meetings",
        "_topic_index",
        "_search_text",
        "_source",
        "has_bodies",
    )

    def __init__(
        self,
        path: Path,
        data: dict[str, Any],
        *,
        has_bodies: bool = True,
        source: _CacheSource | None = None,
    ):
        self.path = path
        self.collection: dict[str, Any] = data["collection"]
        self.topics: list[dict[str, Any]] = data["topics"]
        self.meetings: list[dict[str, Any]] = data["meetings"]
        self.has_bodies = has_bodies
        self._topic_index: dict[str, dict[str, Any]] | None = None
        self._search_text: list[str] | None = None
        self._snippet_lines: list[bytes] | None = None
        self._source = source

    def topic(self, topic_id: str) -> dict[str, Any] | None:
        """The topic with this id, or None."""
        if self._topic_index is None:
            self._topic_index = {t["id"]: t for t in self.topics}
        return self._topic_index.get(topic_id)

    def with_bodies(self, meetings: list[dict[str, Any]] | None = None) -> Dataset:
        """This dataset with the sections' text present, for ``meetings`` or all of them.

        The text comes from the cache, one meeting at a time, or else from the file.
        """
        if self.has_bodies or meetings == []:
            return self
        bodies = self._source.read("body") if self._source else None
        if bodies is None or len(bodies) != len(self.meetings):
            # Fill in the sections of the meeting dicts already handed out, rather than
            # replacing them: a caller may be holding the ones it asked for.
            fresh = parse_and_validate(read_bytes(self.path), self.path)
            for meeting, parsed in zip(self.meetings, fresh["meetings"]):
                meeting["sections"] = parsed["sections"]
            self.has_bodies = True
            return self
        wanted = self.meetings if meetings is None else meetings
        index = {id(m): i for i, m in enumerate(self.meetings)}
        for meeting in wanted:
            sections = meeting["sections"]
            if sections and "blocks" not in sections[0]:
                blocks = marshal.loads(bodies[index[id(meeting)]])
                for section, section_blocks in zip(sections, blocks):
                    section["blocks"] = section_blocks
        if meetings is None:
            self.has_bodies = True
        return self

    def search_text(self) -> list[str]:
        """One folded text per meeting, for full-text search (cached on disk)."""
        if self._search_text is None:
            cached = self._source.read("search") if self._source else None
            if cached is None or len(cached) != len(self.meetings):
                from .query import build_search_text

                cached = build_search_text(self.with_bodies())
            self._search_text = cached
        return self._search_text

    def snippet_sources(self, index: int) -> tuple[list[str], list[str]]:
        """The original texts behind meeting ``index``'s search fields, line by line.

        Read from the cache for just this meeting, so that showing snippets for a search
        does not unpack every verslag.
        """
        if self._snippet_lines is None and self._source is not None and not self.has_bodies:
            self._snippet_lines = self._source.read("lines")
        lines = self._snippet_lines
        if lines is not None and len(lines) == len(self.meetings):
            return marshal.loads(lines[index])
        from .query import snippet_sources

        return snippet_sources(self.with_bodies([self.meetings[index]]).meetings[index])


def load(
    path: str | os.PathLike[str] | None = None, *, use_cache: bool = True, bodies: bool = True
) -> Dataset:
    """Load and validate a data file, from the cache when the file has not changed.

    ``bodies=False`` lets a command that does not show the verslag text skip reading it
    from the cache. Raises ``DataError`` naming the file, and every problem in it, when
    it cannot be used.
    """
    target = resolve_path(path)
    raw = read_bytes(target)
    source = _CacheSource(target, content_hash(raw)) if use_cache else None
    if source is not None:
        meta = source.read("meta")
        if meta is not None:
            ds = Dataset(target, meta, has_bodies=False, source=source)
            return ds.with_bodies() if bodies else ds
    data = parse_and_validate(raw, target)
    ds = Dataset(target, data)
    if source is not None:
        source.write(ds)
    return ds


def content_hash(raw: bytes) -> str:
    """A fingerprint of the file's content (CRC-32 and Adler-32 with the length).

    Not for security: it tells a changed file from an unchanged one, on top of the size
    and modification time that already key the cache, without importing hashlib.
    """
    return f"{zlib.crc32(raw):08x}{zlib.adler32(raw):08x}{len(raw):x}"


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
            f"is not UTF-8 text (byte {raw[e.start]:#04x} at line {line}); save it as UTF-8",
        ) from None
    if "\x00" in text:
        raise DataError(str(path), "is not a text file (it contains NUL bytes)")
    return text


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


# --- cache ----------------------------------------------------------------------------


class _CacheSource:
    """The cache files of one version of one data file: meta, body, search, lines parts.

    Each part is a CRC-checked ``marshal`` blob that records the content hash of the
    data file it came from; a part whose check or hash does not match is ignored.
    """

    def __init__(self, target: Path, digest: str):
        self.digest = digest
        self.stem: Path | None = None
        try:
            st = target.stat()
            resolved = str(target.resolve())
        except OSError:
            return
        from . import __version__

        def short(text: str) -> str:
            return content_hash(text.encode("utf-8", "surrogateescape"))

        self.prefix = short(resolved)
        version = short(f"{CACHE_FORMAT}\0{__version__}\0{st.st_size}\0{st.st_mtime_ns}")
        self.stem = cache_dir() / f"{self.prefix}-{version}"

    def read(self, part: str) -> Any:
        """The part's value, or None when it is missing, damaged or of other content."""
        if self.stem is None:
            return None
        try:
            blob = self.stem.with_suffix(f".{part}").read_bytes()
            check, payload = int.from_bytes(blob[:4], "big"), blob[4:]
            if zlib.crc32(payload) != check:
                return None
            cached = marshal.loads(payload)
            return cached["value"] if cached.get("digest") == self.digest else None
        except Exception:  # a missing, unreadable or corrupt cache is simply rebuilt
            return None

    def write(self, ds: Dataset) -> None:
        """Store a freshly parsed dataset; drop the cache of older versions of the file."""
        if self.stem is None:
            return
        import tempfile

        from .query import build_search_text, snippet_sources

        meta_meetings = []
        bodies = []
        for m in ds.meetings:
            sections = [{k: v for k, v in s.items() if k != "blocks"} for s in m["sections"]]
            meta_meetings.append({**m, "sections": sections})
            # Each meeting's text apart, so that a command can read just the ones it shows.
            bodies.append(marshal.dumps([s["blocks"] for s in m["sections"]]))
        parts = {
            "meta": {"collection": ds.collection, "topics": ds.topics, "meetings": meta_meetings},
            "body": bodies,
            "search": build_search_text(ds),
            "lines": [marshal.dumps(snippet_sources(m)) for m in ds.meetings],
        }
        try:
            folder = self.stem.parent
            folder.mkdir(parents=True, exist_ok=True)
            for old in folder.glob(f"{self.prefix}-*"):
                if old.stem != self.stem.name:
                    old.unlink(missing_ok=True)
            for part, value in parts.items():
                payload = marshal.dumps({"digest": self.digest, "value": value})
                fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-")
                try:
                    with os.fdopen(fd, "wb") as f:
                        f.write(zlib.crc32(payload).to_bytes(4, "big") + payload)
                    os.replace(tmp, self.stem.with_suffix(f".{part}"))
                except BaseException:
                    os.unlink(tmp)
                    raise
        except Exception:  # caching is an optimisation; never fail a command over it
            pass
