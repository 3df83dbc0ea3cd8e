"""Full-text search: the query language, its mapping onto FTS5, ranking and snippets.

Every word must occur, at the start of a word (``radicalis`` finds "radicalisering");
a ``"quoted phrase"`` matches as a phrase; case, accents and typographic quotes are
ignored. Each word becomes an FTS5 prefix phrase of its own tokens, always quoted, so
nothing a user types is read as FTS5 syntax. Hits are ranked by ``bm25`` with the field
weights below, and each comes with a snippet from the field that matched best.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, NamedTuple

from .query import Filters, sql_int
from .store import Store
from .text import fold, plain_quotes

if TYPE_CHECKING:
    from .model import MeetingRecord

# title and themes; topic labels; people and programme; the verslag
SEARCH_WEIGHTS = (6.0, 4.0, 3.0, 1.0)
MARK_START, MARK_END = "\ue000", "\ue001"  # private-use characters around a hit in a snippet
_TOKEN = r"[^\W_]+"  # a word as FTS5's unicode61 sees it; compiled on first use


class Hit(NamedTuple):
    """A meeting that matched, its score (``-bm25``, higher is better) and a snippet with
    the hits' spans."""

    meeting: MeetingRecord
    score: float
    snippets: list[tuple[str, list[tuple[int, int]]]]


def parse_query(query: str) -> list[list[str]]:
    """The query's terms, each a list of folded tokens: words, and "quoted phrases" whole."""
    terms = []
    for phrase, word in re.findall(r'"([^"]*)"?|(\S+)', plain_quotes(query)):
        tokens = re.findall(_TOKEN, fold(phrase or word))
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
        f"SELECT {store.record_sql()}, -bm25(meeting_text_fts, {weights}) AS score, "
        f"{snippet} AS snippet "
        "FROM meeting_text_fts JOIN meetings m ON m.rowid = meeting_text_fts.rowid "
        f"WHERE meeting_text_fts MATCH ? AND {where} "
        f"ORDER BY bm25(meeting_text_fts, {weights}), m.sort_date DESC, m.position"
    )
    args = [fts_query(terms), *params]
    if limit is not None:
        sql += " LIMIT ?"
        args.append(sql_int(limit))
    hits = []
    for row in store.rows(sql, args):
        found = [marked_spans(row["snippet"])] if snippets and row["snippet"] else []
        # Three significant digits: a word in most meetings has a tiny idf, and its
        # scores differ only far behind the decimal point.
        hits.append(Hit(store.read_record(row), float(f"{row['score']:.3g}"), found))
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


# --- related meetings ------------------------------------------------------------------

# Words too common in any Dutch text to say what a meeting was about.
_STOP = frozenset(
    """aan achter af al alle alleen als altijd andere ben bij binnen daar daarom dan dat de
    deze die dit doen door dus een eens en er ge geen geweest haar had heb hebben heeft hem
    het hier hij hoe hun iets ik in is ja je kan kon kunnen maar me meer men met mij mijn
    moet na naar niet niets nog nu of om omdat ons ook op over reeds te tegen toch toen tot
    u uit uw van veel voor want waren was wat we wel werd wordt worden wie wij zal ze zelf
    zich zij zijn zo zonder zou deze wordt werden gaat gaan goed goede kunnen moeten willen
    waarbij waarin waar zoals tussen onder ander anders nieuwe steeds vooral veel gemeenten
    gemeente steden stad netwerk netwerkdag netwerkdagen grote""".split()  # noqa: SIM905
)


class Related(NamedTuple):
    """A meeting like another one, how alike, and why: shared topics, people and words."""

    meeting: MeetingRecord
    score: float
    topics: list[str]
    people: list[str]
    terms: list[str]


def related_meetings(
    store: Store,
    meeting: MeetingRecord,
    filters: Filters | None = None,
    *,
    limit: int | None = 5,
    terms: int = 20,
) -> list[Related]:
    """The meetings most like ``meeting``, best first, from the full-text index.

    Its most distinctive words are chosen by tf-idf over the FTS5 vocabulary, a word
    counting as often as a search weighs its field (title and themes 6, topic labels 4,
    people and programme 3, the verslag 1). Another meeting scores, for each word it
    shares, the word's weight (the weights scaled to add up to 5) times how well it
    matches that word alone (``bm25`` with the same field weights); plus, for each shared
    topic, 6 divided by 1 + its places in the two meetings' topic lists (6 when both
    list it first); plus 2 for each person who spoke at both. Each result says what it
    shares.
    """
    row = store.rows(
        "SELECT t.rowid, t.title, t.topics, t.people, t.text FROM meeting_text t "
        "WHERE t.meeting_id = ?",
        (meeting["id"],),
    )
    if not row or limit == 0:
        return []
    rowid = row[0]["rowid"]
    fields = [row[0][name] for name in ("title", "topics", "people", "text")]
    counts: dict[str, float] = {}
    for weight, text in zip(SEARCH_WEIGHTS, fields):
        for token in re.findall(_TOKEN, fold(text)):
            if len(token) > 3 and not token.isdigit() and token not in _STOP:
                counts[token] = counts.get(token, 0) + weight
    total = store.rows("SELECT count(*) FROM meeting_text")[0][0]
    frequency: dict[str, int] = {}
    if counts:
        marks = ", ".join("?" * len(counts))
        for term, docs in store.rows(
            f"SELECT term, doc FROM meeting_text_vocab WHERE term IN ({marks})", list(counts)
        ):
            frequency[term] = docs
    import math

    weights = {
        term: n * math.log(total / frequency[term])
        for term, n in counts.items()
        if 1 < frequency.get(term, 0) < total
    }
    chosen = sorted(weights, key=lambda t: (-weights[t], t))[:terms]
    scale = 5 / sum(weights[t] for t in chosen) if chosen else 0.0
    where, params = (filters or Filters()).where()
    candidates = {
        r["id"]: store.read_record(r)
        for r in store.rows(
            f"SELECT {store.record_sql()} FROM meetings m WHERE m.rowid != ? AND {where}",
            [rowid, *params],
        )
    }
    scores = dict.fromkeys(candidates, 0.0)
    shared: dict[str, list[str]] = {mid: [] for mid in candidates}
    weights_sql = ", ".join(map(str, SEARCH_WEIGHTS))
    for term in chosen:
        for mid, match in store.rows(
            f"SELECT t.meeting_id, -bm25(meeting_text_fts, {weights_sql}) FROM meeting_text_fts f "
            "JOIN meeting_text t ON t.rowid = f.rowid WHERE meeting_text_fts MATCH ?",
            [f'"{term}"'],
        ):
            if mid in candidates:
                scores[mid] += weights[term] * scale * match
                shared[mid].append(term)
    topics = {t: i for i, t in enumerate(meeting["topics"])}
    people = {fold(p) for p in meeting["speakers"]}
    found = []
    for mid, other in candidates.items():
        theirs = other["topics"]
        both = [t for t in theirs if t in topics]
        speakers = [p for p in other["speakers"] if fold(p) in people]
        # Topics follow the order of the themes: the first is what a meeting was mainly
        # about, so a topic both meetings put first weighs most.
        score = scores[mid] + sum(6 / (1 + topics[t] + theirs.index(t)) for t in both)
        score += 2 * len(speakers)
        if score > 0:
            found.append(Related(other, float(f"{score:.3g}"), both, speakers, shared[mid]))
    ranked = sorted(found, key=lambda h: (-h.score, h.meeting["id"]))
    return ranked[:limit] if limit is not None else ranked
