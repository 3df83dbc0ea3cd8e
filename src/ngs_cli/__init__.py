"""ngs: search, filter and export the verslagen of the Netwerk Grote Steden.

The library works without the command line::

    import ngs_cli
    store = ngs_cli.open_store()              # the bundled dataset, compiled to SQLite
    for m in ngs_cli.find_meetings(store, ngs_cli.Filters(themes=["radicalisering"])):
        print(m["id"], m["date"], m["city"])
    for hit in ngs_cli.search_meetings(store, "carbid"):
        print(hit.meeting["id"], hit.score)
"""

__version__ = "0.2.0"

from .errors import DataError, NgsError  # noqa: E402
from .query import Filters, find_meetings, get_meeting, resolve_ref  # noqa: E402
from .search import search_meetings  # noqa: E402
from .store import Store, open_store  # noqa: E402

__all__ = [
    "DataError",
    "Filters",
    "NgsError",
    "Store",
    "__version__",
    "find_meetings",
    "get_meeting",
    "open_store",
    "resolve_ref",
    "search_meetings",
]
