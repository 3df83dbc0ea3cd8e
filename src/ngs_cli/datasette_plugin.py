"""ngs's search inside Datasette: the SQL function ``ngs_search(query)``, which the
canned query ``zoeken`` of ``ngs serve``'s configuration calls, so that the web page and
the JSON API find what ``ngs search`` finds (the query language, Dutch word forms,
compounds, the ranking). Datasette loads this module as a plugin (the ``datasette``
entry point of the package); no other part of ngs imports Datasette.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

from datasette import hookimpl

# A store a thread: Datasette runs queries in a pool of threads, and a connection of
# SQLite's belongs to the thread that opened it.
_local = threading.local()


@hookimpl
def prepare_connection(conn: Any, database: str, datasette: Any) -> None:
    db = datasette.databases.get(database)
    path = getattr(db, "path", None)
    if path is None:
        return
    conn.create_function("ngs_search", 1, lambda q: search_json(Path(path), q))


# For the site ngs serve configures (its metadata names this plugin): the page's language,
# labels for Datasette's filter fields and SQL editor, and buttons whose text reads
# against their colour (Datasette's own #007bff against white is 3.97:1, under WCAG's
# 4.5:1): what axe-core finds serious in Datasette 0.65's pages.
_SITE_SCRIPT = """
document.documentElement.lang = "nl";
const names = {_filter_column: "Kolom", _filter_op: "Vergelijking",
  _filter_value: "Waarde", _sort: "Sorteer op", _sort_by_desc: "Aflopend"};
function label() {
  for (const [name, text] of Object.entries(names)) {
    for (const el of document.getElementsByName(name)) {
      if (!el.labels || !el.labels.length) el.setAttribute("aria-label", text);
    }
  }
  for (const area of document.querySelectorAll("textarea:not([aria-label])")) {
    if (!area.labels || !area.labels.length) area.setAttribute("aria-label", "SQL");
  }
}
label();
window.addEventListener("load", label);
const style = document.createElement("style");
style.textContent = 'input[type=submit] {'
  + ' background-color: #0b5394 !important; border-color: #0b5394 !important; }'
  + ' button[type=button] { color: #0b5394 !important; border-color: #0b5394 !important; }';
document.head.appendChild(style);
"""


@hookimpl
def extra_body_script(datasette: Any) -> str:
    return _SITE_SCRIPT if datasette.plugin_config("ngs") is not None else ""


def search_json(path: Path, query: str | None) -> str:
    """The hits of ``query`` in the database at ``path``, best first, as a JSON array of
    ``{"id", "relevance", "score", "snippet"}``; an empty array for an empty query."""
    from .search import BadQuery, search_meetings
    from .store.database import Store, connect_read_only

    if not query or not query.strip():
        return "[]"
    stores = getattr(_local, "stores", None)
    if stores is None:
        stores = _local.stores = {}
    store = stores.get(path)
    if store is None:
        conn = connect_read_only(path)
        # The index's words and how many meetings each is in, as ngs's own database has
        # them (the export leaves this view out, for sqlite-utils' sake).
        conn.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS temp.meeting_text_vocab "
            "USING fts5vocab(main, meeting_text_fts, row)"
        )
        store = stores[path] = Store(path.name, None, conn, path)
    try:
        hits = search_meetings(store, query, only=("id",))
    except BadQuery:  # a query ngs search refuses (only words left out) finds nothing here
        return "[]"
    return json.dumps(
        [
            {
                "id": h.meeting["id"],
                "relevance": h.relevance,
                "score": h.score,
                "snippet": h.snippets[0][0] if h.snippets else "",
            }
            for h in hits
        ],
        ensure_ascii=False,
    )
