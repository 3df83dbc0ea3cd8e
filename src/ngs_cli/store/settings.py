"""What the store is told where to find: the data file, the largest one it reads, and
the cache folder. The command line reads them from the environment, once
(``cli/settings.py``); a program that calls the library passes its own, or takes these
defaults: the bundled data, 256 MB, and the user's cache folder."""

from __future__ import annotations

from pathlib import Path

from ..errors import BadValue
from ..i18n import N_
from .cache import user_cache_dir
from .source import DEFAULT_MAX_SIZE


class Settings:
    """Where the store finds things (see the module's docstring)."""

    __slots__ = ("cache_dir", "data", "max_size")

    def __init__(
        self,
        data: str | None = None,  # the data file when none is named; None: the bundled one
        max_size: int = DEFAULT_MAX_SIZE,  # the largest data file read, in bytes
        cache_dir: Path | None = None,  # None: the user's cache folder
    ):
        if isinstance(max_size, bool) or not isinstance(max_size, int) or max_size < 0:
            raise BadValue(
                N_("{value} is not a size (bytes, or a number with K, M or G)"),
                value=repr(max_size),
            )
        self.data, self.max_size = data, max_size
        self.cache_dir = cache_dir if cache_dir is not None else user_cache_dir(_home())


def _home() -> str | None:
    """The user's home as the standard library finds it (``~``), None when it cannot."""
    try:
        return str(Path.home())
    except RuntimeError:
        return None
