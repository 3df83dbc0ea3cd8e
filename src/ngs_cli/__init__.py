"""ngs: search, filter and export the verslagen of the Netwerk Grote Steden.

The library works without the command line::

    import ngs_cli
    store = ngs_cli.open_store()              # the bundled dataset, compiled to SQLite
    for m in ngs_cli.find_meetings(store, ngs_cli.Filters(themes=["radicalisering"])):
        print(m["id"], m["date"], m["city"])
    for hit in ngs_cli.search_meetings(store, "carbid"):
        print(hit.meeting["id"], hit.score)
"""

# Not typing itself: the console script imports this package before it can catch Ctrl-C,
# and typing takes milliseconds to import. Type checkers read the block below as true.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__version__ = "0.3.0"
# The version of the data file's structure (``schema_version`` in the file).
SCHEMA_VERSION = 1

# What ``import ngs_cli`` offers, imported on first use: the command line imports the
# package on every call, and most calls need only part of it.
_EXPORTS = {
    "BadValue": "errors",
    "DataError": "errors",
    "NgsError": "errors",
    "Filters": "query",
    "find_meetings": "query",
    "get_meeting": "query",
    "resolve_ref": "query",
    "search_meetings": "search",
    "Store": "store",
    "open_store": "store",
}


def __getattr__(name: str) -> "Any":
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'ngs_cli' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(f"{__name__}.{module}"), name)


__all__ = ["SCHEMA_VERSION", "__version__", *_EXPORTS]
