"""SQLite: the compiled dataset itself, copied into a file of the user's."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from . import Job

# The index of the meetings table as sqlite-utils makes one (enable_fts with
# create_triggers): sqlite-utils search and Datasette's ?_search= find it by its name and
# content=, and the triggers keep it true when a row is edited there.
_FTS_COLUMNS = ("title", "themes", "speakers", "text")
_NEW = ", ".join(f"new.[{c}]" for c in _FTS_COLUMNS)
_OLD = ", ".join(f"old.[{c}]" for c in _FTS_COLUMNS)
_COLS = ", ".join(f"[{c}]" for c in _FTS_COLUMNS)
MEETINGS_FTS_SQL = f"""
CREATE VIRTUAL TABLE [meetings_fts] USING FTS5 (
    {_COLS}, tokenize='unicode61 remove_diacritics 2', content=[meetings]
);
INSERT INTO [meetings_fts] ([meetings_fts]) VALUES ('rebuild');
CREATE TRIGGER [meetings_ai] AFTER INSERT ON [meetings] BEGIN
  INSERT INTO [meetings_fts] (rowid, {_COLS}) VALUES (new.rowid, {_NEW});
END;
CREATE TRIGGER [meetings_ad] AFTER DELETE ON [meetings] BEGIN
  INSERT INTO [meetings_fts] ([meetings_fts], rowid, {_COLS}) VALUES ('delete', old.rowid, {_OLD});
END;
CREATE TRIGGER [meetings_au] AFTER UPDATE ON [meetings] BEGIN
  INSERT INTO [meetings_fts] ([meetings_fts], rowid, {_COLS}) VALUES ('delete', old.rowid, {_OLD});
  INSERT INTO [meetings_fts] (rowid, {_COLS}) VALUES (new.rowid, {_NEW});
END;
"""


def write(target: str, job: Job) -> None:
    """The job's database (``job.database``) copied into the file ``target``."""
    write_sqlite(job.database, target)


def write_sqlite(source: Any, target: str) -> None:
    """Copy a compiled dataset (an open ``sqlite3`` connection) into the file ``target``.

    The copy is the database every command reads: tables ``meetings``, ``sections``,
    ``people``, ``topics``, ``meeting_topics``, ``collection``, ``term_stems`` and the
    full-text index ``meeting_text_fts``, with ``meetings_fts``, the index sqlite-utils
    and Datasette search, added in the copy; see docs/database.md. But for
    ``meeting_text_vocab``, an ``fts5vocab`` view of the index that ``related``
    reads: sqlite-utils takes it for an index and fails on it (``optimize``,
    ``rebuild-fts``), and ``SELECT term, doc FROM fts5vocab(...)`` gives it anyway.
    """
    import sqlite3

    # A dataset compiled in memory keeps its compile's transaction open: a backup of it
    # would find the database busy and retry for ever, deaf to Ctrl-C.
    if source.in_transaction:
        source.commit()
    dest = sqlite3.connect(target)
    try:
        source.backup(dest)
        dest.execute("DROP TABLE IF EXISTS meeting_text_vocab")
        # Built here, in the copy: no command of ngs reads it, so the compile leaves it out
        # (a database compiled before it did keeps its own).
        if not dest.execute("SELECT 1 FROM sqlite_master WHERE name = 'meetings_fts'").fetchone():
            dest.executescript(MEETINGS_FTS_SQL)
        dest.commit()
    finally:
        dest.close()
