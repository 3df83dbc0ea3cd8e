"""Full-text search: the query language, Dutch word forms, ranking and snippets.

The language is the one of web search: words are all required; ``OR`` between words or
groups widens (and binds tighter than the words around it: ``jeugd OR jongeren
veiligheid`` is (jeugd or jongeren) and veiligheid); ``-word`` and ``NOT word`` leave
out; ``"a phrase"`` is those words in that order; ``( )`` groups; ``word*`` is any word
that starts so. A bare word finds its Dutch word forms (``burgemeesters`` finds
"burgemeester", ``ondermijnend`` "ondermijning"): the compile stems every word of the
index with Snowball's Dutch (Porter) stemmer into ``term_stems``, and a query word is
stemmed the same way and replaced by the indexed words of its stem, of the plurals the
stemmer keeps apart (-ie, -ies and -ieën, huis and huizen, lid and leden), and of the
compounds it ends (a stem of five letters or more, after a head that is a word:
inbraak finds woninginbraak). Case, accents and typographic quotes are ignored.
Everything else is read as words: what reaches FTS5 is always quoted, so nothing typed
is read as FTS5 syntax. FTS5 finds the hits; ``rank`` scores them by BM25 as Lucene has
it (FTS5's own ``bm25`` floors the idf of a common word), with the field and form
weights below; the snippet shows the text's own words, highlighted.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from .errors import BadValue
from .i18n import N_, _, alternatives, ngettext
from .query import Filters, did_you_mean, sql_int
from .store import Store
from .store.database import SNIPPET_MARKS
from .text import dutch_stems, fold, plain_quotes

if TYPE_CHECKING:
    from .model import MeetingRecord

# The index's fields (title and themes; topic labels; people and programme; the verslag)
# and what a word in each weighs.
FIELDS = ("title", "topics", "people", "text")
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
    """A meeting that matched, its score (BM25, higher is better), a snippet with the
    hits' spans, and its relevance: the score as a share of the best hit's, 1 to 100."""

    meeting: MeetingRecord
    score: float
    snippets: list[tuple[str, list[tuple[int, int]]]]
    relevance: int = 100


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
        self._known: dict[str, dict[str, float]] = {}

    def __call__(self, word: str) -> list[str]:
        return list(self.weighted(word))

    def weighted(self, word: str) -> dict[str, float]:
        """The indexed forms of ``word``, each with what it counts for in the ranking
        (``FORM_WEIGHTS``): the word itself, another form of its stem, a compound it ends."""
        if word not in self._known:
            forms = {
                term: FORM_WEIGHTS["word" if term == word else kind]
                for term, kind in self._forms(word).items()
            }
            self._known[word] = forms or {word: FORM_WEIGHTS["word"]}
        return self._known[word]

    def _forms(self, word: str) -> dict[str, str]:
        stems = {self._stem(w) for w in _plural_forms(word)}
        marks = ", ".join("?" * len(stems))
        found = {
            r["term"]: "form"
            for r in self.store.rows(
                f"SELECT term FROM term_stems WHERE stem IN ({marks}) ORDER BY term", sorted(stems)
            )
            if r["term"] == word or r["term"] not in FUNCTION_WORDS
        }
        # Dutch writes a subject as a compound: inbraak is also the end of woninginbraak,
        # beleid of veiligheidsbeleid. A stem long enough to be a word of its own finds
        # the words whose stem ends with it after a head of a few letters or more.
        for stem in sorted(s for s in stems if len(s) >= MIN_COMPOUND_TAIL):
            backwards = stem[::-1]
            for r in self.store.rows(
                "SELECT term, stem FROM term_stems WHERE stem_reversed >= ? "
                "AND stem_reversed < ? AND length(stem) >= ? ORDER BY term",
                (backwards, backwards + "\U0010ffff", len(stem) + MIN_COMPOUND_HEAD),
            ):
                if self._is_head(r["stem"][: -len(stem)], stem):
                    found.setdefault(r["term"], "compound")
        return found

    def _is_head(self, head: str, tail: str) -> bool:
        """Whether a compound's first part is a word of its own: a word of the index
        (woning-, jongeren-, veiligheid-s-), or long enough to be one (cyber-); not the
        "weth" of wethouder, the "ver" of veranderen, nor a particle (daar-naast,
        toe-komst); and not where the head's end and the tail are a word the index holds
        (rand-voorwaarden is no kind of waarde: its tail is voorwaarde)."""
        if head in NO_HEADS or head.endswith(PARTICLE_ENDS):
            return False
        longer = [head[i:] + tail for i in range(1, len(head) - 1)]
        if longer:
            marks = ", ".join("?" * len(longer))
            if self.store.rows(f"SELECT 1 FROM term_stems WHERE stem IN ({marks}) LIMIT 1", longer):
                return False
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
# Prefixes long enough to pass for a head, which are no word of their own: interactie is
# no kind of actie, transport no kind of port (search.js has the same list).
NO_HEADS = frozenset(
    ["inter", "intra", "trans", "super", "supra", "contra", "extra", "multi", "hyper",
     "ultra", "micro", "macro", "pseudo", "proto", "semi", "anti", "poly", "mono",
     # particles and adverbs that begin words, not compounds: daarnaast, toekomst,
     # uitkomst, bijvoorbeeld, wellicht, overleg, onderzoek
     "daar", "hier", "waar", "toe", "uit", "bij", "wel", "mee", "aan", "door", "voor",
     "over", "onder", "tegen", "achter", "boven", "naar", "weg", "terug", "samen"]
)  # fmt: skip
# A head that ends so is a word's prefix, not a compound's first part: randvoor-waarden
# is rand-voorwaarden, straatver-lichting straat-verlichting (search.js has the same).
PARTICLE_ENDS = ("voor", "door", "over", "onder", "tegen", "achter", "boven", "naar",
                 "terug", "samen", "daar", "hier", "waar", "ver", "ont", "her")  # fmt: skip
# Words that are no form of another, though the stemmer gives them its stem: over is
# no form of overheid, steeds none of steden, weet none of wet (search.js has the same).
FUNCTION_WORDS = frozenset(
    ["over", "steeds", "weet", "wel", "toe", "uit", "daar", "hier", "waar", "bij", "door",
     "voor", "naar", "onder", "tegen", "want", "maar", "meer", "weer", "zeer", "heel",
     "alle", "alles", "ander", "andere", "elk", "elke", "geen", "veel", "vele", "zijn",
     "haar", "hun", "ons", "onze", "deze", "dit", "dat", "die", "wie", "wat", "hoe",
     "ook", "nog", "al", "als", "dan", "om", "op", "aan", "af", "in", "met", "van"]
)  # fmt: skip


# Plurals that change the vowel, which the stemmer keeps apart (search.js has the same):
# the singular's end and the plural's, at the end of a word or a compound.
IRREGULAR_PLURALS = (("huis", "huizen"), ("lid", "leden"), ("stad", "steden"),
                     ("schip", "schepen"), ("smid", "smeden"))  # fmt: skip


def _plural_forms(word: str) -> list[str]:
    """The word and the forms Snowball's Dutch stemmer keeps apart from it: -ie, -ies and
    -ieën (presentatie, presentaties; categorie, categorieën), and the plurals that
    change the vowel (veiligheidshuis and veiligheidshuizen, lid and leden, stad and
    steden)."""
    forms = [word]
    if word.endswith("ies") and len(word) > 5:
        forms.append(word[:-1])
    elif word.endswith("ieen") and len(word) > 6:  # categorieën, folded
        forms.append(word[:-2])
    elif word.endswith("ie") and len(word) > 4:
        forms += [word + "s", word + "en"]
    for one, many in IRREGULAR_PLURALS:
        if word.endswith(many):
            forms.append(word[: -len(many)] + one)
        elif word.endswith(one):
            forms.append(word[: -len(one)] + many)
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
    best match first (``rank``); with ``only``, records of just those fields. Raises
    BadQuery for a query that asks for nothing to find."""
    tree = parse_query(query) if isinstance(query, str) else query
    if tree is None or limit == 0:
        return []
    where, params = (filters or Filters()).where()
    forms = _Forms(store)
    match = fts_query(tree, forms)
    if filters is None or filters.is_empty():  # the index alone: no meeting's row read
        sql = "SELECT rowid FROM meeting_text_fts WHERE meeting_text_fts MATCH ?"
    else:
        sql = (
            "SELECT m.rowid FROM meeting_text_fts JOIN meetings m "
            f"ON m.rowid = meeting_text_fts.rowid WHERE meeting_text_fts MATCH ? AND {where}"
        )
    found = [r[0] for r in store.tuples(sql, [match, *params])]
    if not found:
        return []
    scores = rank(store, tree, found, forms)
    top = _best(store, scores, None if limit is None else sql_int(limit))
    best = scores[top[0]] or 1.0
    # The verslag's own sentence where the words are in it: a name is also in the list of
    # people, which makes a poor snippet. The few hits without one get the title's or the
    # programme's, asked for apart (a snippet costs as much as the search itself).
    marks = store.snippet_marks() if snippets else (MARK_START, MARK_END)
    snippet = f"snippet(meeting_text_fts, {VERSLAG_COLUMN}, {_MARKS})" if snippets else "''"
    sql = (
        f"SELECT {store.record_sql(only=only)}, m.rowid AS hit, {snippet} AS snippet "
        "FROM meeting_text_fts JOIN meetings m ON m.rowid = meeting_text_fts.rowid "
        "WHERE meeting_text_fts MATCH ? AND "
    )
    before = [*marks, match] if snippets else [match]
    if len(top) <= FEW_HITS:  # the index finds a meeting by its rowid at once
        each = [(sql + "meeting_text_fts.rowid = ?", [*before, h]) for h in top]
    else:  # the many: one pass over what the query finds
        each = [(sql + where, [*before, *params])]
    wanted = set(top)
    rows = {
        other["hit"]: (record, other)
        for query, args in each
        for record, other in store.iter_records(query, args)
        if other["hit"] in wanted
    }
    elsewhere = [h for h in top if snippets and marks[0] not in (rows[h][1]["snippet"] or "")]
    better = _other_snippets(store, match, elsewhere, marks) if elsewhere else {}
    hits = []
    for h in top:
        record, other = rows[h]
        marked = better.get(h, other["snippet"])
        found_spans = [marked_spans(marked, marks)] if snippets and marked else []
        relevance = max(1, round(100 * scores[h] / best))
        hits.append(Hit(record, float(f"{scores[h]:.4g}"), found_spans, relevance))
    return hits


def _best(store: Store, scores: dict[int, float], limit: int | None) -> list[int]:
    """The meetings by score, best first, the first ``limit``; among equal scores the
    newest (unknown last), then as the data lists them, which the meetings' own index
    (sort_date, position) tells, read only where scores are equal."""
    import heapq

    found = list(scores)
    if limit is None or limit >= len(found):
        ordered = sorted(found, key=lambda h: -scores[h])
    else:
        ordered = heapq.nsmallest(limit, found, key=lambda h: -scores[h])
    if not ordered:
        return []
    shown = {scores[h] for h in ordered}
    tied = [h for h in found if scores[h] in shown]
    if len(tied) > len(set(scores[h] for h in tied)):  # equal scores: the order decides
        places = ", ".join("?" * len(tied)) if len(tied) <= 500 else None
        newest = {
            rowid: (-(day or 0), n)
            for n, (rowid, day) in enumerate(
                store.tuples(
                    "SELECT rowid, sort_date FROM meetings "
                    + (f"WHERE rowid IN ({places}) " if places else "")
                    + "ORDER BY sort_date, position",
                    tied if places else [],
                )
            )
        }
        tied.sort(key=lambda h: (-scores[h], newest[h]))
        ordered = tied[: len(ordered)]  # every meeting of those scores: the first are best
    return ordered


# Lucene's BM25: k1 and b, and an idf that stays positive, so that a word in most
# meetings (veiligheid) still ranks them; FTS5's own bm25 floors that idf at 1e-6.
BM25_K1, BM25_B = 1.2, 0.75
# What a form found for a query word counts for: the word as typed, another form of its
# stem (or of a prefix*), a compound it ends.
FORM_WEIGHTS = {"word": 1.0, "form": 0.8, "compound": 0.5}


def rank(store: Store, tree: Query, rowids: list[int], forms: _Forms) -> dict[int, float]:
    """Each meeting's BM25 score for the words ``tree`` asks for (those left out do not
    count): per word, the idf of its most frequent form (as Lucene scores synonyms) times
    its saturated frequency, the fields weighted by ``SEARCH_WEIGHTS`` and each form by
    ``FORM_WEIGHTS``; the length the whole text's, against the average, as FTS5 has it."""
    scores = dict.fromkeys(rowids, 0.0)
    if not rowids:
        return scores
    total_rows, *column_totals = _varints(
        store.rows("SELECT block FROM meeting_text_fts_data WHERE id = 1")[0][0]
    )
    average = sum(column_totals) / max(total_rows, 1)
    # FTS5's docsize: each meeting's words per field, as varints (one byte each below 128).
    lengths: dict[int, float] = {}
    for doc, blob in _chunked(store, "SELECT id, sz FROM meeting_text_fts_docsize WHERE id IN",
                              rowids):  # fmt: skip
        lengths[doc] = BM25_K1 * (1 - BM25_B + BM25_B * sum(_varints(blob)) / average)
    store.conn.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.meeting_text_instances "
        "USING fts5vocab(main, meeting_text_fts, instance)"
    )
    weighted = (
        "CASE col "
        + " ".join(f"WHEN '{name}' THEN {w}" for name, w in zip(FIELDS, SEARCH_WEIGHTS))
        + " END"
    )
    for term in dict.fromkeys(terms(tree)):
        weights = _term_weights(store, term, forms)
        tf: dict[int, float] = {}  # meeting: the term's weighted count
        if term.phrase or len(term.tokens) > 1:  # a phrase: its rarest word's count
            per_field: dict[int, list[list[int]]] = {}
            for i, word in enumerate(weights):
                for doc, col, n in store.tuples(
                    "SELECT doc, col, count(*) FROM temp.meeting_text_instances "
                    "WHERE term = ? GROUP BY doc, col",
                    (word,),
                ):
                    counts = per_field.setdefault(doc, [[0] * 4 for _ in weights])
                    counts[i][FIELDS.index(col)] += n
            for doc, counts in per_field.items():
                fields = [min(c[k] for c in counts) for k in range(4)]
                tf[doc] = sum(w * f for w, f in zip(SEARCH_WEIGHTS, fields))
        else:
            for form, weight in weights.items():
                for doc, n in store.tuples(
                    f"SELECT doc, sum({weighted}) FROM temp.meeting_text_instances "
                    "WHERE term = ? GROUP BY doc",
                    (form,),
                ):
                    tf[doc] = tf.get(doc, 0.0) + weight * n
        df = max(
            (r[0] for r in _chunked(
                store, "SELECT doc FROM meeting_text_vocab WHERE term IN", list(weights)
            )),
            default=0,
        )  # fmt: skip
        idf = (BM25_K1 + 1) * math.log(1 + (total_rows - df + 0.5) / (df + 0.5))
        for doc, f in tf.items():
            norm = lengths.get(doc)
            if norm is not None:  # a meeting the query finds
                scores[doc] += idf * f / (f + norm)
    return scores


def _term_weights(store: Store, term: Term, forms: _Forms) -> dict[str, float]:
    """The indexed words a term stands for, and what each counts for."""
    if term.prefix:
        start = " ".join(term.tokens)
        found = {
            r["term"]: FORM_WEIGHTS["word" if r["term"] == start else "form"]
            for r in store.rows(
                "SELECT term FROM meeting_text_vocab WHERE term >= ? AND term < ?",
                (start, start + "\U0010ffff"),
            )
        }
        return found or {start: 1.0}
    if term.phrase or len(term.tokens) > 1:
        return dict.fromkeys(term.tokens, 1.0)
    return forms.weighted(term.tokens[0])


def _chunked(store: Store, sql: str, values: list) -> list[tuple[Any, ...]]:
    """``sql`` (ending in ``IN``) over ``values``, a few hundred at a time."""
    out: list[tuple[Any, ...]] = []
    for i in range(0, len(values), 500):
        part = values[i : i + 500]
        out += store.tuples(f"{sql} ({', '.join('?' * len(part))})", part)
    return out


def _varints(blob: bytes) -> list[int]:
    """FTS5's varints, as its docsize and averages records hold them: seven bits a byte,
    the last byte's high bit clear (counts of words never need FTS5's nine-byte form)."""
    out, value = [], 0
    for byte in blob:
        value = (value << 7) | (byte & 0x7F)
        if byte < 0x80:
            out.append(value)
            value = 0
    return out


FEW_HITS = 50  # hits read one by one; more are read in one pass over the matches
_MARKS = "?, ?, '…', 24"  # the marks around a hit are the first two parameters


def _other_snippets(
    store: Store, match: str, rowids: list[int], marks: tuple[str, str]
) -> dict[int, str]:
    """For hits whose verslag does not hold the words: the title's snippet, or the
    programme's; never the list of topics, whose labels run together."""
    places = ", ".join("?" * len(rowids))
    found: dict[int, str] = {}
    for column in (0, 2):
        for r in store.rows(
            f"SELECT rowid AS hit, snippet(meeting_text_fts, {column}, {_MARKS}) AS snippet "
            f"FROM meeting_text_fts WHERE meeting_text_fts MATCH ? AND rowid IN ({places})",
            [*marks, match, *rowids],
        ):
            if r["hit"] not in found and marks[0] in (r["snippet"] or ""):
                found[r["hit"]] = r["snippet"]
    return found


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
        found = [_in(t, counts[t]) for t in words if counts[t]]
        lines: list[str] = []
        for t in missing:
            line = _("no meeting has {word}").format(word=repr(str(t)))
            if not lines and found:
                line += "; " + ", ".join(found)
            lines += [line, *("  " + hint for hint in hints(store, t))]
        return lines
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


def hints(store: Store, term: Term) -> list[str]:
    """For a word no meeting has: the nearest words of the index (as the values'
    did-you-mean), the two words it is made of where it is a compound of them, and
    ``word*`` where words start with it."""
    if term.phrase or term.prefix or len(term.tokens) > 1:
        return []
    word = term.tokens[0]
    out = []
    if near := nearest_words(store, word):
        out.append(_("did you mean {words}?").format(words=alternatives(near)))
    parts = _split_compound(store, word)
    if parts and (n := count_matches(store, parse_query(parts) or term)):
        out.append(
            ngettext(
                "{words} (its parts) finds {n} meeting", "{words} (its parts) finds {n} meetings", n
            ).format(words=repr(parts), n=n)
        )
    starts = [
        r["term"]
        for r in store.rows(
            "SELECT term FROM meeting_text_vocab WHERE term > ? AND term < ? "
            "ORDER BY doc DESC, term LIMIT 3",
            (word, word + "\U0010ffff"),
        )
    ] if len(word) >= MIN_PREFIX else []  # fmt: skip
    if starts:
        out.append(
            _("{prefix} finds the words that start so: {words}").format(
                prefix=repr(word + "*"), words=", ".join(starts)
            )
        )
    return out


def nearest_words(store: Store, word: str, n: int = 3) -> list[str]:
    """The words of the index closest to ``word`` (difflib's ratio, as ``did_you_mean``),
    among those of its first letter and about its length; one form of each stem."""
    candidates = [
        r["term"]
        for r in store.rows(
            "SELECT term FROM meeting_text_vocab WHERE term >= ? AND term < ? "
            "AND length(term) BETWEEN ? AND ?",
            (word[0], word[0] + "\U0010ffff", len(word) - 3, len(word) + 3),
        )
    ]
    near = did_you_mean(word, candidates, n=2 * n)
    if not near:
        return []
    marks = ", ".join("?" * len(near))
    stems = {
        r["term"]: r["stem"]
        for r in store.rows(f"SELECT term, stem FROM term_stems WHERE term IN ({marks})", near)
    }
    closest = {stems.get(w, w): w for w in reversed(near)}  # of each stem
    return [w for w in near if closest[stems.get(w, w)] == w][:n]


def _split_compound(store: Store, word: str) -> str | None:
    """``word`` as two words of the index, its head and its tail (a linking s or e of the
    head left out), the longest head first: radicaliseringsaanpak, "radicalisering
    aanpak"."""
    splits = []
    for i in range(len(word) - MIN_COMPOUND_HEAD, MIN_COMPOUND_HEAD - 1, -1):
        head, tail = word[:i], word[i:]
        for h in dict.fromkeys((head, head.removesuffix("s"), head.removesuffix("e"))):
            if len(h) >= MIN_COMPOUND_HEAD:
                splits.append((h, tail))
    if not splits:
        return None
    words = sorted({w for pair in splits for w in pair})
    marks = ", ".join("?" * len(words))
    known = {
        r["term"]
        for r in store.rows(f"SELECT term FROM meeting_text_vocab WHERE term IN ({marks})", words)
    }
    return next((f"{h} {t}" for h, t in splits if h in known and t in known), None)


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
