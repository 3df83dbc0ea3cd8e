"""SQLite: the compiled dataset itself, copied into a file of the user's."""

from __future__ import annotations

from typing import Any


def write_sqlite(source: Any, target: str) -> None:
    """Copy a compiled dataset (an open ``sqlite3`` connection) into the file ``target``.

    The copy is the database every command reads: tables ``meetings``, ``sections``,
    ``people``, ``topics``, ``meeting_topics``, ``collection`` and the full-text index
    ``meeting_text_fts`` over ``meeting_text``; see docs/database.md.
    """
    import sqlite3

    dest = sqlite3.connect(target)
    try:
        source.backup(dest)
    finally:
        dest.close()
