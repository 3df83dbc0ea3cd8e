"""ngs: search, filter and export the verslagen of the Netwerk Grote Steden.

The library works without the command line::

    import ngs_cli
    ds = ngs_cli.load()                       # the bundled dataset
    for m in ngs_cli.find_meetings(ds, themes=["radicalisering"]):
        print(m["id"], m["date"], m["city"])
"""

__version__ = "0.1.0"

from .dataset import Dataset, load  # noqa: E402
from .errors import DataError, NgsError  # noqa: E402
from .query import Filters, find_meetings, resolve_ref, search  # noqa: E402

__all__ = [
    "DataError",
    "Dataset",
    "Filters",
    "NgsError",
    "__version__",
    "find_meetings",
    "load",
    "resolve_ref",
    "search",
]
