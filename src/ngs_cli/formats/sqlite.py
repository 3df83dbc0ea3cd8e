"""SQLite: the compiled dataset itself, copied into a file of the user's."""

from __future__ import annotations

from typing import Any


def write_sqlite(source: Any, target: str) -> None:
    """Copy a compiled dataset (an open ``sqlite3`` connection) into the file ``target``.

    The copy is the database every command reads: tables ``meetings``, ``sections``,
    ``people``, ``topics``, ``meeting_topics``, ``collection``, ``term_stems`` and the
    full-text indexes ``meetings_fts`` and ``meeting_text_fts``; see docs/database.md.
    But for ``meeting_text_vocab``, an ``fts5vocab`` view of the index that ``related``
    reads: sqlite-utils takes it for an index and fails on it (``optimize``,
    ``rebuild-fts``), and ``SELECT term, doc FROM fts5vocab(...)`` gives it anyway.
    """
    import sqlite3

    dest = sqlite3.connect(target)
    try:
        source.backup(dest)
        dest.execute("DROP TABLE IF EXISTS meeting_text_vocab")
        dest.commit()
    finally:
        dest.close()
