"""The full-text index of a compiled database, built once after all its rows: FTS5 over
the folded text, each indexed word with its Dutch stem, and the marks search puts around
a hit in a snippet."""

from __future__ import annotations

import contextlib
import itertools
import json
import re
import sqlite3

from ..i18n import _
from ..progress import SILENT, Progress
from .database import SNIPPET_MARKS


def build_search_index(conn: sqlite3.Connection, progress: Progress = SILENT) -> None:
    """The full-text index over every meeting's text, built once after all the rows, and
    each of its words with its Dutch stem: a query word finds the words of its stem."""
    from ..text import dutch_stems, fold_for_index

    # The index holds the text folded as a query is (fold_for_index keeps every word where
    # it stands), the content table the text itself, from which snippets are taken.
    progress.stage(_("Indexing the words"))
    conn.create_function("ngs_fold", 1, fold_for_index, deterministic=True)
    conn.execute(
        "INSERT INTO meeting_text_fts (rowid, title, topics, people, text) SELECT rowid, "
        "ngs_fold(title), ngs_fold(topics), ngs_fold(people), ngs_fold(text) FROM meeting_text"
    )
    _choose_snippet_marks(conn)
    # FTS5 cuts a word of more than 32,768 bytes, also inside a letter: it gets no stem.
    words = []
    for (term,) in conn.execute("SELECT CAST(term AS BLOB) FROM meeting_text_vocab"):
        with contextlib.suppress(UnicodeDecodeError):
            words.append(term.decode("utf-8"))
    conn.executemany(
        "INSERT INTO term_stems VALUES (?, ?, ?)",
        ((word, stem, stem[::-1]) for word, stem in zip(words, dutch_stems(words))),
    )


_TEXT_COLUMNS = "title || topics || people || text"


def _choose_snippet_marks(conn: sqlite3.Connection) -> None:
    """Where the text holds SNIPPET_MARKS, which search puts around a hit in a snippet, two
    private-use characters it does not hold go into the meta table instead."""
    held = " OR ".join(f"instr({_TEXT_COLUMNS}, char({ord(c)}))" for c in SNIPPET_MARKS)
    if conn.execute(f"SELECT 1 FROM meeting_text WHERE {held} LIMIT 1").fetchone() is None:
        return
    private = re.compile("[\ue000-\uf8ff\U000f0000-\U000ffffd\U00100000-\U0010fffd]")
    used = set()
    for (text,) in conn.execute(f"SELECT {_TEXT_COLUMNS} FROM meeting_text"):
        used.update(private.findall(text))
    planes = itertools.chain(
        range(0xE000, 0xF900), range(0xF0000, 0xFFFFE), range(0x100000, 0x10FFFE)
    )
    free = (chr(c) for c in planes if chr(c) not in used)
    marks = [next(free, None), next(free, None)]
    if None in marks:  # every private-use character there is: SNIPPET_MARKS after all
        return
    conn.execute("INSERT INTO meta VALUES ('snippet_marks', ?)", (json.dumps(marks),))
