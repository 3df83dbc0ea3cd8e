"""What the last ``ngs check`` of a fetched page found, kept in the cache folder for the
next check (the page's validators and a copy of it, so that "not modified" is an answer)
and for ``ngs about``. Files of ngs's own names, read only as regular files of the
user's; the cache is a help, so nothing here fails a command."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .cache import _read_small, private_folder
from .tempfiles import replace_file

LAST_CHECK = "last-check.json"  # what the last check found, and the page's validators
LAST_PAGE = "last-check.html"  # the page it read, for an answer "not modified"
_MAX_CHECK_SIZE = 1 << 20
_MAX_PAGE_SIZE = 16 << 20


def read_last_check(cache_dir: Path) -> dict[str, Any] | None:
    """What the last ``ngs check`` found (a mapping), when the cache folder has it as a
    regular file of this user's; None otherwise."""
    folder = private_folder(cache_dir)
    read = _read_small(folder / LAST_CHECK, _MAX_CHECK_SIZE) if folder else None
    if read is None:
        return None
    try:
        state = json.loads(read[0].decode("utf-8"))
    except (ValueError, RecursionError):
        return None
    return _valid(state)


_TEXTS = ("url", "checked_at", "etag", "last_modified", "page_sha256")
_COUNTS = ("new", "changed", "removed")


def _valid(state: Any) -> dict[str, Any] | None:
    """The state as ngs wrote it: its texts printable text, its counts whole numbers, its
    status one of the two; None for anything else (the file is then as good as absent)."""
    if not isinstance(state, dict) or state.get("status") not in ("agree", "differ"):
        return None
    out: dict[str, Any] = {"status": state["status"]}
    for key in _TEXTS:
        value = state.get(key)
        if value is not None and not (
            isinstance(value, str) and value.isprintable() and _encodable(value)
        ):
            return None
        out[key] = value
    for key in _COUNTS:
        value = state.get(key)
        if not (isinstance(value, int) and not isinstance(value, bool) and value >= 0):
            return None
        out[key] = value
    return out if out["url"] else None


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate, from "\\ud800" in the JSON
        return False
    return True


def read_last_page(cache_dir: Path) -> str | None:
    """The page the last check read, as text; None when the cache does not have it."""
    folder = private_folder(cache_dir)
    read = _read_small(folder / LAST_PAGE, _MAX_PAGE_SIZE) if folder else None
    if read is None:
        return None
    try:
        return read[0].decode("utf-8")
    except UnicodeDecodeError:
        return None


def write_last_check(cache_dir: Path, state: dict[str, Any], page: str | None) -> None:
    """Keep what a check found (and, when given, the page it read) in the cache folder,
    each file replaced whole; nothing when the cache cannot be had."""
    folder = private_folder(cache_dir)
    if folder is None:
        return
    if page is not None:
        replace_file(folder, LAST_PAGE, page)
    replace_file(folder, LAST_CHECK, json.dumps(state, ensure_ascii=False, indent=2) + "\n")
