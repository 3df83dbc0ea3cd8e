"""Search: words folded as users type them, phrases, ranking, snippets, and the command."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import re

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ngs_cli import store
from ngs_cli.query import Filters
from ngs_cli.search import BadQuery, search_meetings
from ngs_cli.text import fold

from .conftest import REPO, examples, write


@pytest.fixture
def ds():
    return store.open_store(use_cache=False)


def ids(meetings):
    return [m["id"] for m in meetings]


# --- the library ----------------------------------------------------------------------


def test_fold_removes_accents_case_and_typographic_quotes():
    assert fold("Syriëgangers") == "syriegangers"
    assert fold("OOV’ers") == "oov'ers"
    assert fold("BEÏNVLOEDEN") == "beinvloeden"


def test_search_is_accent_insensitive_and_needs_every_word(ds):
    assert ids(h.meeting for h in search_meetings(ds, "syriegangers")) == ["2021-online"]
    assert ids(h.meeting for h in search_meetings(ds, "carbid politie")) == ["2021-utrecht"]
    assert search_meetings(ds, "carbid syriegangers") == []


def test_search_phrases(ds):
    assert ids(h.meeting for h in search_meetings(ds, '"nationale politie"')) == ["2021-utrecht"]
    assert search_meetings(ds, '"politie nationale"') == []


def test_search_ranks_title_matches_above_passing_mentions(ds):
    hits = search_meetings(ds, "radicalisering")
    assert ids(h.meeting for h in hits) == ["2021-online", "2019-leeuwarden"]
    assert hits[0].score > hits[1].score


def test_search_snippets_point_at_the_hits(ds):
    (hit,) = search_meetings(ds, "syriegangers")
    text, spans = hit.snippets[0]
    a, b = spans[0]
    assert text[a:b] == "Syriëgangers"


def test_search_respects_filters(ds):
    assert (
        search_meetings(ds, "radicalisering", Filters(years=[2019]))[0].meeting["id"]
        == "2019-leeuwarden"
    )


# --- the search command ---------------------------------------------------------------


def test_search(ngs):
    r = ngs("search", "syriegangers")
    assert r.exit_code == 0
    assert r.stdout.startswith("2021-online\t2021\t\tRadicalisering online\t")
    assert "Syriëgangers" in r.stdout


def test_search_json_has_snippets(ngs):
    rows = json.loads(ngs("search", "carbid", "--format", "json").stdout)
    assert rows[0]["id"] == "2021-utrecht" and "Carbid" in rows[0]["snippets"][0]


def test_search_table_highlights_only_on_a_terminal(ngs):
    r = ngs("search", "carbid", "--format", "table")
    assert "Carbid" in r.stdout and "\x1b[" not in r.stdout


def test_search_without_hits(ngs):
    r = ngs("search", "tulpen")
    assert r.exit_code == 0 and r.stdout == ""
    assert r.stderr == "No meetings match 'tulpen'.\n  no meeting has 'tulpen'\n"


def test_search_needs_a_word(ngs):
    r = ngs("search", '""')
    assert r.exit_code == 2


def test_a_search_of_too_many_words_is_a_usage_error(ngs):
    r = ngs("search", *(f"carbid{n}" for n in range(65)))
    assert r.exit_code == 2 and "at most 64" in " ".join(r.stderr.split())


def test_search_with_filters_limit_and_csv(ngs):
    r = ngs("search", "jeugd", "--city", "leeuwarden", "--limit", "1", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert [row["id"] for row in rows] == ["2019-leeuwarden"]
    r = ngs("search", "radicalisering", "--limit", "1")
    assert len(r.stdout.splitlines()) == 1


# --- Dutch word forms and the query language --------------------------------------------


# A query word and the forms of it that stand in the verslagen, written by hand from the
# text (not from the stemmer): singular and plural, adjective, verb and noun.
@pytest.fixture(scope="module")
def full():
    """The bundled verslagen, compiled in memory once for these tests."""
    return store.open_store(store.bundled_path(), use_cache=False)


WORD_FORMS = {
    "burgemeesters": ("burgemeester", "burgemeesters"),
    "gemeenten": ("gemeente", "gemeenten"),
    "ondermijnend": ("ondermijning", "ondermijnend", "ondermijnende"),
    "maatregel": ("maatregel", "maatregelen"),
    "verward": ("verward", "verwarde"),
    "jongeren": ("jongere", "jongeren"),
    "woninginbraken": ("woninginbraak", "woninginbraken"),
    "radicaliseren": ("radicaliseren", "radicalisering"),
    "aanpakken": ("aanpak", "aanpakken"),
    "ontwikkelingen": ("ontwikkeling", "ontwikkelingen"),
    "coffeeshop": ("coffeeshop", "coffeeshops"),
    "bewoners": ("bewoner", "bewoners"),
    "vluchteling": ("vluchteling", "vluchtelingen"),
}


def searchable_text(full) -> dict[str, str]:
    rows = full.rows("SELECT meeting_id, title, topics, people, text FROM meeting_text")
    return {
        r["meeting_id"]: fold(" ".join([r["title"], r["topics"], r["people"], r["text"]]))
        for r in rows
    }


@pytest.mark.parametrize("word", list(WORD_FORMS))
def test_a_word_finds_every_meeting_with_one_of_its_forms(full, word):
    import re

    texts = searchable_text(full)
    forms = WORD_FORMS[word]
    holding = {m for m, t in texts.items() if any(re.search(rf"\b{f}\b", t) for f in forms)}
    found = set(ids(h.meeting for h in search_meetings(full, word)))
    assert holding and holding <= found, sorted(holding - found)
    assert len(found & holding) >= 0.7 * len(found), sorted(found - holding)


def test_the_issue_s_words_find_what_they_missed(full):
    # Matching the start of the typed word found 1 of 5, 7 of 13 and 1 of 3.
    assert len(search_meetings(full, "burgemeesters")) == 5
    assert len(search_meetings(full, "gemeenten")) == 13
    assert len(search_meetings(full, "ondermijnend")) == 3


def found_ids(full, query, filters=None):
    return set(ids(h.meeting for h in search_meetings(full, query, filters)))


def test_or_is_the_union_and_a_minus_or_not_the_difference(full):
    jeugd, jongeren = found_ids(full, "jeugd"), found_ids(full, "jongeren")
    assert found_ids(full, "jeugd OR jongeren") == jeugd | jongeren
    carbid, radical = found_ids(full, "carbid"), found_ids(full, "radicalisering")
    assert found_ids(full, "carbid OR radicalisering") == carbid | radical > radical
    veiligheid, corona = found_ids(full, "veiligheid"), found_ids(full, "corona")
    assert corona and found_ids(full, "veiligheid -corona") == veiligheid - corona
    assert found_ids(full, "veiligheid NOT corona") == veiligheid - corona
    # OR binds tighter than the words beside it, as in web search; groups as written.
    both = found_ids(full, "jeugd OR jongeren veiligheid")
    assert both == (jeugd | jongeren) & veiligheid
    assert found_ids(full, "(jeugd OR jongeren) veiligheid") == both
    assert found_ids(full, "veiligheid -(corona OR jeugd)") == veiligheid - corona - jeugd


def test_a_phrase_is_only_the_phrase_and_a_star_is_a_prefix(full):
    assert found_ids(full, '"nationale politie"') == {"2011-alkmaar", "2012-deventer"}
    assert found_ids(full, '"politie nationale"') == set()
    # A bare word is its forms, not every word it starts: "radicalis" is none of them.
    assert found_ids(full, "radicalis") == set()
    assert found_ids(full, "radicalis*") == found_ids(full, "radicalisering") != set()


def test_snippets_show_the_text_s_own_words(full):
    (hit, *_) = search_meetings(full, "burgemeesters")
    text, spans = hit.snippets[0]
    assert [text[a:b].lower() for a, b in spans] == ["burgemeester"] * len(spans)
    # A name: the verslag's sentence, not the list of people.
    (bruls,) = search_meetings(full, "bruls")
    assert "inleiding van burgemeester Bruls" in bruls.snippets[0][0]


@pytest.mark.parametrize(
    "query", ["-corona", "NOT corona", "jeugd OR -corona", "-(a b)", "NOT (jeugd)", "-a -b"]
)
def test_a_query_of_only_words_left_out_is_refused(full, query):
    with pytest.raises(BadQuery, match="give a word to find|OR joins words"):
        search_meetings(full, query)


def test_fts5_syntax_is_read_as_words(full):
    for query in ['title:carbid', 'NEAR(carbid vuurwerk)', '"open', "carbid AND", "OR",
                  "^carbid", "carbid)", "((carbid", "c*a*r", "'", '""', "NOT"]:  # fmt: skip
        search_meetings(full, query)  # no SQL error
    assert found_ids(full, "carbid)") == found_ids(full, "((carbid") == found_ids(full, "carbid")
    assert found_ids(full, "carbid AND") == found_ids(full, "carbid")
    assert found_ids(full, "carbid and") == set()  # a lower-case "and" is a word


@settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(['carbid', 'jeugd', 'OR', 'NOT', 'AND', '-', '-jeugd', '(',
                                 ')', '"', 'x*', '*', 'near', ':', '^', 'e-mail']),
                max_size=12))  # fmt: skip
def test_any_query_finds_or_is_refused_never_an_sql_error(full, words):
    with contextlib.suppress(BadQuery):
        search_meetings(full, " ".join(words))


def test_nothing_found_says_which_word(ngs, bundled):
    r = ngs("search", "jeugd jeugdbende")
    assert r.exit_code == 0 and not r.stdout
    assert "no meeting has 'jeugdbende'; 'jeugd' is in 4 meetings" in r.stderr
    r = ngs("search", "carbid", "--city", "Utrecht")
    assert "1 meeting matches, but none within these filters" in r.stderr
    r = ngs("search", "--", "-corona")
    assert r.exit_code == 2 and "give a word to find" in " ".join(r.stderr.split())


def test_the_stemmer_is_imported_by_search_only_when_a_word_is_new(tmp_path):
    import subprocess
    import sys

    code = (
        "import sys, ngs_cli; from ngs_cli.search import search_meetings;"
        "s = ngs_cli.open_store(use_cache=False); sys.modules.pop('Stemmer', None);"
        "search_meetings(s, sys.argv[1]); print('Stemmer' in sys.modules)"
    )
    run = [sys.executable, "-c", code]
    env = {"PATH": "/usr/bin:/bin", "NGS_CACHE_DIR": str(tmp_path)}
    known = subprocess.run([*run, "burgemeesters"], capture_output=True, text=True, env=env)
    new = subprocess.run([*run, "tulpenbollen"], capture_output=True, text=True, env=env)
    assert known.stdout.strip() == "False" and new.stdout.strip() == "True", known.stderr


def test_a_word_left_out_may_follow_unquoted_as_in_a_web_search(ngs, bundled):
    quoted = ngs("search", "veiligheid -corona", "--format", "json").stdout
    assert ngs("search", "veiligheid", "-corona", "--format", "json").stdout == quoted
    assert ngs("search", "-corona", "veiligheid", "--format", "json").stdout == quoted
    # -c was --city: "-corona" filtered on a city named "orona", silently finding nothing.
    found = [r["id"] for r in json.loads(quoted)]
    assert len(found) >= 5 and "2020-corona-online" not in found
    # A word that starts like an option (-h, -n, -f) is still a word.
    plain = ngs("search", "veiligheid", "--format", "json").stdout
    for word in ("-huisvesting", "-nood", "-fraude"):
        assert ngs("search", "veiligheid", word, "--format", "json").stdout == plain
    # The options search has keep their one-letter names.
    assert len(ngs("search", "veiligheid", "-n", "2").stdout.splitlines()) == 2
    assert ngs("search", "veiligheid", "-corona", "--since", "2020").exit_code == 0


def test_odd_queries_are_words_or_a_usage_error(full, ngs, bundled):
    assert found_ids(full, "gevolgd:ondermijning") == found_ids(full, "ondermijning gevolgd")
    assert found_ids(full, "jeugd AND") == found_ids(full, "jeugd OR") == found_ids(full, "jeugd")
    assert found_ids(full, "(jeugd OR) jongeren") == found_ids(full, "jeugd jongeren")
    r = ngs("search", "(" * 330 + "jeugd")
    assert r.exit_code == 2 and "groups inside each other" in r.stderr
    assert ngs("search", "(" * 30 + "jeugd").exit_code == 0
    assert ngs("search", "OR").exit_code == 2


# --- words as the data writes them ------------------------------------------------------

FOREIGN = (
    "Herr Weiß sprak over de Großstadt, 40 m² per woning, de ﬁnanciering van "
    "buurthuizen en het werk van Ayşe Yıldız. Ook İstanbul kwam ter sprake."
)


@pytest.fixture
def foreign(mini):
    text = mini.read_text(encoding="utf-8")
    text = text.replace("De bron noemt geen datum en geen stad.", FOREIGN)
    return store.open_store(write(mini, text), use_cache=False)


@pytest.mark.parametrize(
    ("query", "word"),
    [
        ("weiss", "Weiß"),
        ("WEISS", "Weiß"),
        ("weiß", "Weiß"),
        ("grossstadt", "Großstadt"),
        ("m2", "m²"),
        ("m²", "m²"),
        ("financiering", "ﬁnanciering"),
        ("ﬁnanciering", "ﬁnanciering"),
        ("YILDIZ", "Yıldız"),
        ("yildiz", "Yıldız"),
        ("Yıldız", "Yıldız"),
        ("istanbul", "İstanbul"),
        ("ISTANBUL", "İstanbul"),
        ("ayse", "Ayşe"),
    ],
)
def test_search_finds_words_as_the_data_writes_them(foreign, query, word):
    (hit,) = search_meetings(foreign, query)
    assert hit.meeting["id"] == "onbekend-jaar"
    text, spans = hit.snippets[0]
    # The snippet shows the text's own word, and marks that word.
    assert [text[a:b] for a, b in spans] == [word]


def test_one_folding_for_index_and_query():
    for written, typed in [("Weiß", "WEISS"), ("ﬁ", "fi"), ("m²", "M2"), ("Yıldız", "YILDIZ"),
                           ("İstanbul", "istanbul"), ("Syriëgangers", "SYRIEGANGERS")]:  # fmt: skip
        assert fold(written) == fold(typed)


def test_the_index_folds_every_letter_the_query_folds():
    # The index skips text with nothing its tokenizer cannot fold itself; no letter that
    # fold() changes into another may be skipped so (ß, ı, ĳ, ſ, ², ﬁ, ...). Checked
    # with FTS5's own tokenizer, as the index has it: each letter's text, indexed as
    # fold_for_index gives it, is found by what a query of that letter folds to.
    import sqlite3

    from ngs_cli.text import fold, fold_for_index

    # Latin, Greek and Cyrillic, superscripts, letterlike forms, ligatures, full width.
    ranges = [(0x80, 0x250), (0x370, 0x530), (0x1E00, 0x2000), (0x2070, 0x2190),
              (0xFB00, 0xFB07), (0xFF00, 0xFFF0), (0x1D400, 0x1D800)]  # fmt: skip
    letters = {}
    for code in (c for start, end in ranges for c in range(start, end)):
        query = "".join(c for c in fold(chr(code)) if c.isalnum())
        if chr(code).isalnum() and query:
            letters[code] = query
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize='unicode61 remove_diacritics 2')")
    conn.executemany(
        "INSERT INTO t (rowid, x) VALUES (?, ?)",
        [(code, fold_for_index(f"voor {chr(code)} na")) for code in letters],
    )
    missed = [
        hex(code)
        for code, query in letters.items()
        if code
        not in {
            r for (r,) in conn.execute("SELECT rowid FROM t WHERE t MATCH ?", ['"' + query + '"'])
        }  # fmt: skip
    ]
    assert not missed, missed


def test_a_word_longer_than_the_index_keeps_is_no_error(ngs, mini):
    # FTS5 cuts a word of more than 32,768 bytes inside a letter's UTF-8 bytes; the
    # compile must still read the index's words, and search still work.
    word = "漢字かな" * 3_000  # 36,000 bytes, no space
    text = mini.read_text(encoding="utf-8").replace(
        "De nationale politie zet extra capaciteit in.",
        f"De nationale politie zet extra capaciteit in. {word}",
    )
    mini.write_text(text, encoding="utf-8")
    r = ngs("search", "politie", "--data", str(mini))
    assert r.exit_code == 0 and r.stdout, r.stderr


def test_private_use_characters_in_the_text_stay_in_a_snippet(ngs, mini):
    # Search marks a hit with private-use characters; the data's own must not vanish,
    # nor be taken for a mark.
    text = mini.read_text(encoding="utf-8").replace(
        "De nationale politie zet extra capaciteit in.",
        "De nationale politie \ue000zet\ue001 extra capaciteit in \ue000.",
    )
    mini.write_text(text, encoding="utf-8")
    r = ngs("search", "capaciteit", "--data", str(mini), "--format", "json")
    assert r.exit_code == 0, r.stderr
    (hit,) = json.loads(r.stdout)
    assert "politie \ue000zet\ue001 extra capaciteit in \ue000." in hit["snippets"][0], hit
    r = ngs("search", "capaciteit", "--data", str(mini), "--format", "plain")
    assert "\ue000zet\ue001" in r.stdout


# --- compounds and the plurals the stemmer keeps apart -----------------------------------

COMPOUNDS = {
    # the word typed: a compound of it that the verslagen write
    "inbraak": "woninginbraak",
    "overlast": "jongerenoverlast",
    "beleid": "veiligheidsbeleid",
    "toezicht": "cameratoezicht",
    "criminaliteit": "cybercriminaliteit",
}


@pytest.mark.parametrize("word", list(COMPOUNDS))
def test_a_word_finds_the_compounds_that_end_with_it(full, word):
    import re

    texts = searchable_text(full)
    compound = {m for m, t in texts.items() if re.search(rf"\b{COMPOUNDS[word]}", t)}
    alone = {m for m, t in texts.items() if re.search(rf"\b{word}\b", t)}
    found = found_ids(full, word)
    assert compound and compound <= found, sorted(compound - found)
    assert alone <= found


def test_a_short_word_is_no_end_of_other_words(full):
    import re

    # "raad" is the end of "voorraad" and "wijkraad"; four letters find the word alone.
    texts = searchable_text(full)
    found = found_ids(full, "raad")
    assert found == {m for m, t in texts.items() if re.search(r"\braa?d(en)?\b", t)}


@pytest.mark.parametrize(
    ("one", "other"),
    [("presentatie", "presentaties"), ("demonstratie", "demonstraties"),
     ("sessie", "sessies"), ("veiligheidshuis", "veiligheidshuizen"), ("lid", "leden"),
     ("stad", "steden")],
)  # fmt: skip
def test_plurals_the_stemmer_keeps_apart_find_the_same(full, one, other):
    assert found_ids(full, one) == found_ids(full, other) != set()


def test_the_end_of_a_word_that_is_no_compound_is_not_found(full):
    # "wethouder" ends with "ouder", but "weth" is no word: ouders finds no alderman.
    import re

    texts = searchable_text(full)
    assert found_ids(full, "ouders") == {
        m for m, t in texts.items() if re.search(r"\bouders?\b", t)
    }


# --- ranking --------------------------------------------------------------------------


def test_a_word_in_most_meetings_still_ranks_those_with_it_in_the_title_first(full):
    hits = search_meetings(full, "veiligheid")
    total = full.rows("SELECT count(*) AS n FROM meetings")[0]["n"]
    assert len(hits) >= 0.7 * total  # a word of nearly every meeting
    titled = [h for h in hits if "veiligheid" in fold(h.meeting["title"]).split()]
    assert titled and hits[: len(titled)] == titled
    assert all(h.score > 0.01 for h in hits)  # FTS5's bm25 scored most of them 2e-06
    assert [h.relevance for h in hits] == sorted((h.relevance for h in hits), reverse=True)
    assert hits[0].relevance == 100 and all(1 <= h.relevance <= 100 for h in hits)


SAME_BUT_ONE_WORD = """schema_version: 1
collection: {title: Test, source_url: 'https://example.org/', publisher: Test}
topics: []
meetings:
"""


@pytest.mark.parametrize(
    ("query", "order"),
    [("inbraak", ["inbraak", "inbraken", "woninginbraak"]),
     ("presentaties", ["presentaties", "presentatie", "groepspresentaties"])],
)  # fmt: skip
def test_the_word_ranks_above_its_forms_and_its_forms_above_compounds(tmp_path, query, order):
    text = SAME_BUT_ONE_WORD
    for i, word in enumerate(reversed(order)):  # the data lists the best last
        text += (
            f"- {{id: m{i}, title: Bijeenkomst, year: 2020, date_precision: year, "
            f"sections: [{{blocks: [{{paragraph: 'Het ging over {word} in de wijk.'}}]}}]}}\n"
        )
    ds = store.open_store(write(tmp_path / "d.yaml", text), use_cache=False)
    hits = search_meetings(ds, query)
    assert [h.meeting["id"] for h in hits] == [f"m{i}" for i in reversed(range(len(order)))]
    assert hits[0].score > hits[1].score > hits[2].score


def test_a_table_shows_the_relevance_a_person_reads(ngs, bundled):
    rows = list(csv.reader(io.StringIO(ngs("search", "veiligheid").stdout), delimiter="\t"))
    shown = [row[4] for row in rows]
    assert all(s.isdigit() and 1 <= int(s) <= 100 for s in shown), shown
    found = json.loads(ngs("search", "veiligheid", "--format", "json").stdout)
    assert [str(m["relevance"]) for m in found] == shown
    assert all(isinstance(m["score"], float) and m["score"] > 0 for m in found)


@pytest.mark.parametrize("word", ["nachtleven", "jeugd"])
def test_a_snippet_is_never_the_list_of_topics(full, word):
    # Topic labels ("Uitgaan en nachtleven", "Jeugd en jongeren") of meetings whose verslag
    # has not the word: their snippet is the verslag's, never the labels run together.
    labels = {r["label"] for r in full.rows("SELECT label FROM topics")}
    hits = search_meetings(full, word)
    assert hits
    for hit in hits:
        (text, _spans) = hit.snippets[0]
        assert text not in labels and not any(f"{a} {b}" in text for a in labels for b in labels)


@pytest.mark.parametrize(
    ("query", "hint"),
    [
        ("burgemeestre", "did you mean 'burgemeester'"),
        ("radicalisatie", "did you mean 'radicalisering'?"),
        ("radicalis", "'radicalis*' finds the words that start so: radicalisering"),
        ("radicaliseringsaanpak", "'radicalisering aanpak' (its parts) finds 1 meeting"),
    ],
)
def test_a_word_no_meeting_has_gets_the_nearest_words_its_parts_and_a_prefix(
    ngs, bundled, query, hint
):
    r = ngs("search", query)
    assert r.exit_code == 0 and not r.stdout
    assert hint in r.stderr, r.stderr


def test_the_nearest_words_are_one_form_of_each_stem(full):
    from ngs_cli.search import nearest_words

    near = nearest_words(full, "burgemeestre")
    assert near[0] == "burgemeester" and "burgemeesters" not in near


SEARCH_CASES = yaml.safe_load(
    (REPO / "tests" / "fixtures" / "search-cases.yaml").read_text("utf-8")
)


def test_the_hand_written_queries_find_what_a_reader_means(full):
    # Recall and precision over the cases, pooled; a look-alike word found is no hit.
    rows = full.rows("SELECT meeting_id, title, topics, people, text FROM meeting_text")
    words = {r[0]: set(re.findall(r"[^\W_]+", fold(" ".join(r[1:])))) for r in rows}
    right = wrong = missed = 0
    for kind in ("compounds", "forms", "not"):
        assert len(SEARCH_CASES[kind]) >= 10
        for case in SEARCH_CASES[kind]:
            meant = {m for m, w in words.items() if any(re.fullmatch(case["means"], x) for x in w)}
            found = found_ids(full, case["query"])
            assert meant, case  # the case is about words the verslagen hold
            right, wrong, missed = right + len(found & meant), wrong + len(found - meant), \
                missed + len(meant - found)  # fmt: skip
            if "not" in case:
                alike = {
                    m for m, w in words.items() if any(re.fullmatch(case["not"], x) for x in w)
                }
                assert alike and not (alike - meant) & found, case
    assert right / (right + missed) >= 0.98 and right / (right + wrong) >= 0.9


@pytest.mark.parametrize("name", ["NO_HEADS", "PARTICLE_ENDS", "FUNCTION_WORDS"])
def test_the_page_and_the_search_know_the_same_lists_of_words(name):
    from ngs_cli import search

    script = (REPO / "src" / "ngs_cli" / "templates" / "search.js").read_text("utf-8")
    listed = re.search(rf"var {name} = \(([^)]*)\)", script, re.S)[1]
    assert set(" ".join(re.findall(r'"([^"]*)"', listed)).split()) == set(getattr(search, name))
