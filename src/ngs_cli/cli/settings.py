"""What the environment tells ngs, read here, at the edge, once a run, and passed down:
the library below ``cli/`` reads no environment variable itself (the standard library's
own path functions still read theirs: ``~`` is ``$HOME`` to ``expanduser``, the
temporary folder ``$TMPDIR`` to ``tempfile``, and urllib reads ``NO_PROXY``).

- the store's settings (``store.Settings``): ``$NGS_DATA``, the data file when
  ``--data`` names none; ``$NGS_MAX_DATA_SIZE``, the largest data file read;
  ``$NGS_CACHE_DIR``, else the user's cache folder (``$XDG_CACHE_HOME``, ``$HOME``,
  ``%LOCALAPPDATA%``);
- the language (``languages``): the first of ``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``
  and ``LANG`` that is set, as gettext chooses;
- the proxies of ``ngs check`` (``proxies``): ``https_proxy`` and the others, as
  urllib reads them;
- the pager and the terminal's colour are the ``Environment``'s (``env.py``), read with
  its streams.
"""

import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .. import store

_current: "store.Settings | None" = None


def current() -> "store.Settings":
    """The store's settings of this run, read from the environment when first asked for."""
    global _current
    if _current is None:
        _current = store_settings(os.environ)
    return _current


def forget() -> None:
    """A new run reads the environment again (a test may run several in one process)."""
    global _current
    _current = None


def store_settings(environ: Mapping[str, str]) -> "store.Settings":
    """The store's settings as ``environ`` gives them; a size that is none is a DataError
    that names the variable."""
    from .. import store
    from ..errors import BadValue, DataError

    try:
        limit = store.parse_size(environ.get(store.MAX_SIZE_ENV, ""))
    except BadValue as e:
        raise DataError(f"${store.MAX_SIZE_ENV}", e.translated()) from None
    named = environ.get(store.CACHE_ENV)
    cache_dir = (
        Path(named).expanduser()
        if named
        else store.user_cache_dir(
            environ.get("HOME"), environ.get("XDG_CACHE_HOME"), environ.get("LOCALAPPDATA")
        )
    )
    return store.Settings(environ.get(store.DATA_ENV) or None, limit, cache_dir)


def proxies() -> dict[str, str]:
    """The proxies the environment names, by scheme (``urllib.request.getproxies``)."""
    import urllib.request

    return urllib.request.getproxies()


def languages(environ: Mapping[str, str]) -> list[str]:
    """The languages the user asks for, in order, as gettext reads them: the first of
    ``LANGUAGE`` (a list, ``nl:en``), ``LC_ALL``, ``LC_MESSAGES`` and ``LANG`` that is set;
    up to the first English one, which ngs speaks without a catalog (gettext would go on
    looking, and ``LANGUAGE=en:nl`` would speak Dutch)."""
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name)
        if value:
            wanted = value.split(":")
            english = [w.split("_")[0].split(".")[0].lower() == "en" for w in wanted]
            return wanted[: english.index(True)] if True in english else wanted
    return []
