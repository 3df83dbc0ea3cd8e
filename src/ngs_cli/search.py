"""Full-text search: the query language, its mapping onto FTS5, ranking and snippets.

Every word must occur, at the start of a word (``radicalis`` finds "radicalisering");
a ``"quoted phrase"`` matches as a phrase; case, accents and typographic quotes are
ignored. Each word becomes an FTS5 prefix phrase of its own tokens, always quoted, so
nothing a user types is read as FTS5 syntax. Hits are ranked by ``bm25`` with the field
weights below, and each comes with a snippet from the field that matched best.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .query import _RECORD_SQL, Filters, Meeting, _record
from .store import Store
from .text import fold, plain_quotes

# title and themes; topic labels; people and programme; the verslag
SEARCH_WEIGHTS = (6.0, 4.0, 3.0, 1.0)
MARK_START, MARK_END = "\ue000", "\ue001"  # private-use characters around a hit in a snippet
_TOKEN = re.compile(r"[^\W_]+")


@dataclass
class Hit:
    """A meeting that matched, its score (``-bm25``, higher is better) and a snippet with
    the hits' spans."""

    meeting: Meeting
    score: float
    snippets: list[tuple[str, list[tuple[int, int]]]] = field(default_factory=list)


def parse_query(query: str) -> list[list[str]]:
    """The query's terms, each a list of folded tokens: words, and "quoted phrases" whole."""
    terms = []
    for phrase, word in re.findall(r'"([^"]*)"?|(\S+)', plain_quotes(query)):
        tokens = _TOKEN.findall(fold(phrase or word))
        if tokens:
            terms.append(tokens)
    return terms


def fts_query(terms: list[list[str]]) -> str:
    """The terms as an FTS5 query: each a quoted prefix phrase, all required."""
    return " ".join('"' + " ".join(tokens) + '"*' for tokens in terms)


def search_meetings(
    store: Store,
    query: str,
    filters: Filters | None = None,
    *,
    limit: int | None = None,
    snippets: bool = True,
) -> list[Hit]:
    """Meetings in which every term of ``query`` occurs, best match first."""
    terms = parse_query(query)
    if not terms or limit == 0:
        return []
    where, params = (filters or Filters()).where()
    weights = ", ".join(map(str, SEARCH_WEIGHTS))
    snippet = (
        f"snippet(meeting_text_fts, -1, '{MARK_START}', '{MARK_END}', '…', 24)"
        if snippets
        else "''"
    )
    sql = (
        f"SELECT {_RECORD_SQL}, -bm25(meeting_text_fts, {weights}) AS score, {snippet} "
        "FROM meeting_text_fts JOIN meetings m ON m.rowid = meeting_text_fts.rowid "
        f"WHERE meeting_text_fts MATCH ? AND {where} "
        f"ORDER BY bm25(meeting_text_fts, {weights}), m.sort_date DESC, m.position"
    )
    args = [fts_query(terms), *params]
    if limit is not None:
        sql += " LIMIT ?"
        args.append(limit)
    hits = []
    for row in store.rows(sql, args):
        found = [marked_spans(row[-1])] if snippets and row[-1] else []
        # Three significant digits: a word in most meetings has a tiny idf, and its
        # scores differ only far behind the decimal point.
        hits.append(Hit(_record(row), float(f"{row[-2]:.3g}"), found))
    return hits


def marked_spans(marked: str) -> tuple[str, list[tuple[int, int]]]:
    """A snippet's text on one line, without its markers, and the spans they marked."""
    text, spans, start = [], [], 0
    pos = 0
    for part in re.split(f"([{MARK_START}{MARK_END}])", " ".join(marked.split())):
        if part == MARK_START:
            start = pos
        elif part == MARK_END:
            spans.append((start, pos))
        else:
            text.append(part)
            pos += len(part)
    return "".join(text), spans
