"""Full-text search: the query language, Dutch word forms, ranking and snippets.

The language is the one of web search: words are all required; ``OR`` between words or
groups widens (and binds tighter than the words around it: ``jeugd OR jongeren
veiligheid`` is (jeugd or jongeren) and veiligheid); ``-word`` and ``NOT word`` leave
out; ``"a phrase"`` is those words in that order; ``( )`` groups; ``word*`` is any word
that starts so. A bare word finds its Dutch word forms (``burgemeesters`` finds
"burgemeester", ``ondermijnend`` "ondermijning"): the compile stems every word of the
index with Snowball's Dutch (Porter) stemmer into ``term_stems``, and a query word is
stemmed the same way and replaced by the indexed words of its stem, of the plurals the
stemmer keeps apart (-ie and -ies, -huis and -huizen), and of the compounds it ends (a
stem of five letters or more: inbraak finds woninginbraak). Case, accents and
typographic quotes are ignored. Everything else is read as words: what reaches FTS5 is
always quoted, so nothing typed is read as FTS5 syntax. Hits are ranked by ``bm25``
with the field weights below; the snippet shows the text's own words, highlighted.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

from .errors import BadValue
from .i18n import N_, _, ngettext
from .query import Filters, sql_int
from .store import Store
from .store.database import SNIPPET_MARKS
from .text import dutch_stems, fold, plain_quotes

if TYPE_CHECKING:
    from .model import MeetingRecord

# title and themes; topic labels; people and programme; the verslag
SEARCH_WEIGHTS = (6.0, 4.0, 3.0, 1.0)
VERSLAG_COLUMN = 3
# What a query may cost. Every word must occur, and SQLite's work grows with the number
# of words and their forms; these are far above any query a person writes.
MAX_DEPTH = 32  # groups inside groups
MAX_QUERY_LENGTH = 2000  # characters
MAX_TERMS = 64  # words and phrases, those left out too
MAX_PHRASE_WORDS = 32  # words in one "phrase"
MIN_PREFIX = 2  # letters before the * of word*: a* is nearly every word of the index
# Private-use characters around a hit in a snippet; where the data itself holds them, the
# compile chose two it does not hold (``snippet_marks`` in the meta table).
MARK_START, MARK_END = SNIPPET_MARKS
_TOKEN = r"[^\W_]+"  # a word as FTS5's unicode61 sees it; compiled on first use


class BadQuery(BadValue):  # noqa: N818 (a BadValue, as the library's others)
    """A search query that cannot be read: only words to leave out, an OR beside one."""


class Hit(NamedTuple):
    """A meeting that matched, its score (``-bm25``, higher is better) and a snippet with
    the hits' spans."""

    meeting: MeetingRecord
    score: float
    snippets: list[tuple[str, list[tuple[int, int]]]]


# --- the query language --------------------------------------------------------------


class Term(NamedTuple):
    """A word (its folded tokens; ``prefix`` for ``word*``) or a ``"phrase"``."""

    tokens: tuple[str, ...]
    phrase: bool = False
    prefix: bool = False

    def __str__(self) -> str:
        text = " ".join(self.tokens) + ("*" if self.prefix else "")
        return f'"{text}"' if self.phrase else text


class Node(NamedTuple):
    """``and``/``or`` of its parts, or ``not`` of its one part."""

    kind: str
    parts: tuple[Node | Term, ...]


Query = Node | Term
_LEXEME = r'\(|\)|-?"[^"]*"?|[^\s()"]+'  # compiled on first use


def parse_query(text: str) -> Query | None:
    """The query as a tree of ``Term``s under ``and``, ``or`` and ``not``; None when it
    holds no word. Raises BadQuery for a query that asks for nothing to be found, or
    costs more than the limits allow (``MAX_QUERY_LENGTH``, ``MAX_TERMS``,
    ``MAX_PHRASE_WORDS``, ``MIN_PREFIX``, ``MAX_DEPTH``)."""
    if len(text) > MAX_QUERY_LENGTH:
        raise BadQuery(
            N_("the query is {n} characters long; at most {most}"),
            n=len(text),
            most=MAX_QUERY_LENGTH,
        )
    lexemes = re.findall(_LEXEME, plain_quotes(text))
    depth = deepest = 0
    for lex in lexemes:
        depth = max(0, depth + (lex in ("(", "-(")) - (lex == ")"))
        deepest = max(deepest, depth)
    if deepest > MAX_DEPTH:
        raise BadQuery(N_("more than {n} groups inside each other"), n=MAX_DEPTH)
    tree, _end = _sequence(lexemes, 0, top=True)
    tree = _simplify(tree)
    if tree is not None:
        _check(tree)
        count = len(terms(tree, excluded=True))
        if count > MAX_TERMS:
            raise BadQuery(
                N_("{count} words; search for at most {most}"), count=count, most=MAX_TERMS
            )
    return tree


def _sequence(lexemes: list[str], i: int, *, top: bool = False) -> tuple[Query | None, int]:
    """Clauses up to a closing parenthesis (or the end): all required."""
    clauses: list[Query] = []
    pending_or = False
    while i < len(lexemes):
        lex = lexemes[i]
        if lex == ")":
            if not top:
                return Node("and", tuple(clauses)), i + 1
            i += 1  # a stray closing parenthesis is no word
            continue
        if lex in ("OR", "AND", "NOT") and (i + 1 == len(lexemes) or lexemes[i + 1] == ")"):
            i += 1  # an operator with nothing after it acts on nothing
            continue
        if lex == "OR" and clauses:
            pending_or = True
            i += 1
            continue
        if lex in ("OR", "AND"):
            i += 1
            continue
        negate = False
        if lex == "NOT":
            negate, i = True, i + 1
            lex = lexemes[i]
        if lex == "-" and lexemes[i + 1 : i + 2] == ["("]:  # -(a b)
            negate, i, lex = True, i + 1, "("
        elif lex.startswith("-") and len(lex) > 1:
            negate, lex = True, lex[1:]
        part, i = _atom(lexemes, i, lex)
        if part is None:
            pending_or = False
            continue
        if negate:
            part = Node("not", (part,))
        if pending_or and clauses:
            last = clauses.pop()
            left = last.parts if isinstance(last, Node) and last.kind == "or" else (last,)
            part = Node("or", (*left, part))
        clauses.append(part)
        pending_or = False
    return Node("and", tuple(clauses)), i


def _atom(lexemes: list[str], i: int, lex: str) -> tuple[Query | None, int]:
    if lex == "(":
        return _sequence(lexemes, i + 1)
    if lex == ")":
        return None, i + 1
    if lex.startswith('"'):
        tokens = tuple(re.findall(_TOKEN, fold(lex.strip('"'))))
        if len(tokens) > MAX_PHRASE_WORDS:
            raise BadQuery(
                N_("a phrase of {n} words; at most {most} in one phrase"),
                n=len(tokens),
                most=MAX_PHRASE_WORDS,
            )
        return (Term(tokens, phrase=True) if tokens else None), i + 1
    tokens = tuple(re.findall(_TOKEN, fold(lex)))
    if not tokens:
        return None, i + 1
    prefix = lex.endswith("*")
    if prefix and len(tokens[-1]) < MIN_PREFIX:
        raise BadQuery(
            N_("{word} is too short a start of a word; give at least {n} letters before the *"),
            word=repr(lex),
            n=MIN_PREFIX,
        )
    if len(tokens) > 1:  # title:carbid, e-mail: words, each required (a phrase is quoted)
        words = [Term((t,), prefix=prefix and n == len(tokens) - 1) for n, t in enumerate(tokens)]
        return Node("and", tuple(words)), i + 1
    return Term(tokens, prefix=prefix), i + 1


def _simplify(node: Query | None) -> Query | None:
    """Empty groups dropped, a part given twice in one group kept once (``de de de``
    asks no more than ``de``, but each copy would be matched and scored again), a
    group of one made that one."""
    if node is None or isinstance(node, Term):
        return node
    parts = tuple(dict.fromkeys(p for p in (_simplify(p) for p in node.parts) if p is not None))
    if not parts:
        return None
    if node.kind != "not" and len(parts) == 1:
        return parts[0]
    return Node(node.kind, parts)


def _check(node: Query) -> None:
    if isinstance(node, Term):
        return
    if node.kind == "not" or (node.kind == "and" and all(_is_not(p) for p in node.parts)):
        raise BadQuery(N_("give a word to find, not only words to leave out (-word, NOT word)"))
    if node.kind == "or" and any(isinstance(p, Node) and p.kind == "not" for p in node.parts):
        raise BadQuery(N_("OR joins words to find; leave a word out with -word beside them"))
    for part in node.parts:
        if not (node.kind == "and" and isinstance(part, Node) and part.kind == "not"):
            _check(part)
        else:
            _check_inside(part.parts[0])


def _check_inside(node: Query) -> None:
    if isinstance(node, Node):
        for part in node.parts:
            if isinstance(part, Node) and part.kind == "not":
                raise BadQuery(N_("a word left out cannot leave out another (NOT NOT, --)"))
            _check_inside(part)


def terms(node: Query | None, *, excluded: bool = False) -> list[Term]:
    """The query's terms, in order (those left out only with ``excluded``)."""
    if node is None:
        return []
    if isinstance(node, Term):
        return [node]
    if node.kind == "not" and not excluded:
        return []
    return [t for p in node.parts for t in terms(p, excluded=excluded)]


# --- Dutch word forms ----------------------------------------------------------------


class _Forms:
    """The indexed words of a query word's stem, looked up in ``term_stems``."""

    def __init__(self, store: Store):
        self.store = store

    def __call__(self, word: str) -> list[str]:
        stems = {self._stem(w) for w in _plural_forms(word)}
        marks = ", ".join("?" * len(stems))
        found = [
            r["term"]
            for r in self.store.rows(
                f"SELECT term FROM term_stems WHERE stem IN ({marks}) ORDER BY term", sorted(stems)
            )
        ]
        # Dutch writes a subject as a compound: inbraak is also the end of woninginbraak,
        # beleid of veiligheidsbeleid. A stem long enough to be a word of its own finds
        # the words whose stem ends with it after a head of a few letters or more.
        for stem in sorted(s for s in stems if len(s) >= MIN_COMPOUND_TAIL):
            backwards = stem[::-1]
            found += [
                r["term"]
                for r in self.store.rows(
                    "SELECT term, stem FROM term_stems WHERE stem_reversed >= ? "
                    "AND stem_reversed < ? AND length(stem) >= ? ORDER BY term",
                    (backwards, backwards + "\U0010ffff", len(stem) + MIN_COMPOUND_HEAD),
                )
                if self._is_head(r["stem"][: -len(stem)])
            ]
        return list(dict.fromkeys(found)) or [word]

    def _is_head(self, head: str) -> bool:
        """Whether a compound's first part is a word of its own: a word of the index
        (woning-, jongeren-, veiligheid-s-), or long enough to be one (cyber-); not the
        "weth" of wethouder, the "ver" of veranderen."""
        if len(head) >= MIN_UNKNOWN_HEAD:
            return True
        parts = {head, head.removesuffix("s"), head.removesuffix("e"), head.removesuffix("en")}
        parts = {p for p in parts if len(p) >= MIN_COMPOUND_HEAD}
        if not parts:
            return False
        marks = ", ".join("?" * len(parts))
        rows = self.store.rows(
            f"SELECT 1 FROM term_stems WHERE term IN ({marks}) OR stem IN ({marks}) LIMIT 1",
            [*sorted(parts), *sorted(parts)],
        )
        return bool(rows)

    def _stem(self, word: str) -> str:
        rows = self.store.rows("SELECT stem FROM term_stems WHERE term = ?", (word,))
        # A word of the index knows its stem; only another needs the stemmer.
        return rows[0]["stem"] if rows else dutch_stems([word])[0]


MIN_COMPOUND_TAIL = 5  # letters of a stem that compounds are looked for with ("inbrak")
MIN_COMPOUND_HEAD = 3  # letters before it, at least ("woning"; not "re" of "reorganisatie")
MIN_UNKNOWN_HEAD = 5  # a head the index does not hold as a word is taken from this length


def _plural_forms(word: str) -> list[str]:
    """The word and the forms Snowball's Dutch stemmer keeps apart from it: -ie and -ies
    (presentatie, presentaties), -huis and -huizen (veiligheidshuis)."""
    forms = [word]
    if word.endswith("ies") and len(word) > 5:
        forms.append(word[:-1])
    elif word.endswith("ie") and len(word) > 4:
        forms.append(word + "s")
    if word.endswith("huizen"):
        forms.append(word[: -len("huizen")] + "huis")
    elif word.endswith("huis"):
        forms.append(word[: -len("huis")] + "huizen")
    return forms


def fts_query(node: Query, forms: _Forms | None = None) -> str:
    """The query in FTS5's language, every word quoted: a bare word becomes the indexed
    forms of its stem (with ``forms``), ``word*`` a prefix, a phrase a phrase."""
    if isinstance(node, Term):
        quoted = '"' + " ".join(node.tokens) + '"'
        if node.prefix:
            return quoted + "*"
        if node.phrase or len(node.tokens) > 1 or forms is None:
            return quoted
        words = forms(node.tokens[0])
        return (
            "(" + " OR ".join(f'"{w}"' for w in words) + ")" if len(words) > 1 else f'"{words[0]}"'
        )
    if node.kind == "or":
        return "(" + " OR ".join(fts_query(p, forms) for p in node.parts) + ")"
    if node.kind == "not":
        return fts_query(node.parts[0], forms)
    wanted = [fts_query(p, forms) for p in node.parts if not _is_not(p)]
    left_out = [fts_query(p, forms) for p in node.parts if _is_not(p)]
    text = "(" + " AND ".join(wanted) + ")"
    return f"{text} NOT ({' OR '.join(left_out)})" if left_out else text


def _is_not(node: Query) -> bool:
    return isinstance(node, Node) and node.kind == "not"


def search_meetings(
    store: Store,
    query: str | Query | None,
    filters: Filters | None = None,
    *,
    limit: int | None = None,
    snippets: bool = True,
    only: Sequence[str] | None = None,
) -> list[Hit]:
    """Meetings that match ``query`` (text in the query language, or a parsed query),
    best match first; with ``only``, records of just those fields. Raises BadQuery for a
    query that asks for nothing to find."""
    tree = parse_query(query) if isinstance(query, str) else query
    if tree is None or limit == 0:
        return []
    where, params = (filters or Filters()).where()
    weights = ", ".join(map(str, SEARCH_WEIGHTS))
    # The verslag's own sentence where the words are in it: a name is also in the list of
    # people, which makes a poor snippet. The few hits without one get the field that
    # matched best, asked for apart (a snippet costs as much as the search itself).
    marks = store.snippet_marks() if snippets else (MARK_START, MARK_END)
    snippet = f"snippet(meeting_text_fts, {VERSLAG_COLUMN}, {_MARKS})" if snippets else "''"
    sql = (
        f"SELECT {store.record_sql(only=only)}, m.rowid AS hit, "
        f"-bm25(meeting_text_fts, {weights}) AS score, {snippet} AS snippet "
        "FROM meeting_text_fts JOIN meetings m ON m.rowid = meeting_text_fts.rowid "
        f"WHERE meeting_text_fts MATCH ? AND {where} "
        f"ORDER BY bm25(meeting_text_fts, {weights}), m.sort_date DESC, m.position"
    )
    match = fts_query(tree, _Forms(store))
    args = [*marks, match, *params] if snippets else [match, *params]
    if limit is not None:
        sql += " LIMIT ?"
        args.append(sql_int(limit))
    rows = list(store.iter_records(sql, args))
    elsewhere = [o["hit"] for _r, o in rows if snippets and marks[0] not in (o["snippet"] or "")]
    best = _best_snippets(store, match, elsewhere, marks) if elsewhere else {}
    hits = []
    for record, other in rows:
        marked = best.get(other["hit"], other["snippet"])
        found = [marked_spans(marked, marks)] if snippets and marked else []
        # Three significant digits: a word in most meetings has a tiny idf, and its
        # scores differ only far behind the decimal point.
        hits.append(Hit(record, float(f"{other['score']:.3g}"), found))
    return hits


_MARKS = "?, ?, '…', 24"  # the marks around a hit are the first two parameters


def _best_snippets(
    store: Store, match: str, rowids: list[int], marks: tuple[str, str]
) -> dict[int, str]:
    """The snippet from the field that matched best, for hits not in the verslag."""
    places = ", ".join("?" * len(rowids))
    rows = store.rows(
        f"SELECT rowid AS hit, snippet(meeting_text_fts, -1, {_MARKS}) AS snippet "
        f"FROM meeting_text_fts WHERE meeting_text_fts MATCH ? AND rowid IN ({places})",
        [*marks, match, *rowids],
    )
    return {r["hit"]: r["snippet"] for r in rows}


def count_matches(store: Store, node: Query, filters: Filters | None = None) -> int:
    """How many meetings match ``node`` (a term, or a whole query), within ``filters``."""
    where, params = (filters or Filters()).where()
    rows = store.rows(
        "SELECT count(*) AS n FROM meeting_text_fts JOIN meetings m "
        f"ON m.rowid = meeting_text_fts.rowid WHERE meeting_text_fts MATCH ? AND {where}",
        [fts_query(node, _Forms(store)), *params],
    )
    return int(rows[0]["n"])


def _in(term: Term, n: int) -> str:
    return ngettext("{word} is in {n} meeting", "{word} is in {n} meetings", n).format(
        word=repr(str(term)), n=n
    )


def why_nothing(store: Store, tree: Query, filters: Filters | None = None) -> list[str]:
    """Why a query found nothing, a line each: the words no meeting has (and how many
    have each of the others), or that the filters left out what it finds."""
    words = list(dict.fromkeys(terms(tree)))
    counts = {t: count_matches(store, t) for t in words}
    missing = [t for t in words if not counts[t]]
    if missing:
        lines = [_("no meeting has {word}").format(word=repr(str(t))) for t in missing]
        found = [_in(t, counts[t]) for t in words if counts[t]]
        return [lines[0] + ("; " + ", ".join(found) if found else ""), *lines[1:]]
    everywhere = count_matches(store, tree)
    if everywhere and filters is not None and not filters.is_empty():
        return [
            ngettext(
                "{n} meeting matches, but none within these filters",
                "{n} meetings match, but none within these filters",
                everywhere,
            ).format(n=everywhere)
        ]
    if len(words) > 1:
        each = ", ".join(_in(t, counts[t]) for t in words)
        return [_("no meeting has them together ({each})").format(each=each)]
    if words:
        return [_("every meeting that has {word} is left out").format(word=repr(str(words[0])))]
    return []


def marked_spans(
    marked: str, marks: tuple[str, str] = (MARK_START, MARK_END)
) -> tuple[str, list[tuple[int, int]]]:
    """A snippet's text on one line, without its ``marks``, and the spans they marked."""
    text, spans, start = [], [], 0
    pos = 0
    first, last = marks
    for part in re.split(f"([{first}{last}])", " ".join(marked.split())):
        if part == first:
            start = pos
        elif part == last:
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

    # A word no other meeting has finds nothing; one every meeting has still counts a
    # little (idf smoothed by one), so that in a small dataset twins still find each other.
    weights = {
        term: n * math.log((total + 1) / frequency[term])
        for term, n in counts.items()
        if frequency.get(term, 0) > 1
    }
    chosen = sorted(weights, key=lambda t: (-weights[t], t))[:terms]
    scale = 5 / sum(weights[t] for t in chosen) if chosen else 0.0
    where, params = (filters or Filters()).where()
    candidates = {
        record["id"]: record
        for record, _other in store.iter_records(
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
