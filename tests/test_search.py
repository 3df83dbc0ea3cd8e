"""Search: words folded as users type them, phrases, ranking, snippets, and the command."""

from __future__ import annotations

import csv
import io
import json

import pytest

from ngs_cli import store
from ngs_cli.query import Filters
from ngs_cli.search import search_meetings
from ngs_cli.text import fold


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
    assert r.exit_code == 0 and r.stdout == "" and "No meetings contain" in r.stderr


def test_search_needs_a_word(ngs):
    r = ngs("search", '""')
    assert r.exit_code == 2


def test_a_search_of_too_many_words_is_a_usage_error(ngs):
    r = ngs("search", *(["carbid"] * 65))
    assert r.exit_code == 2 and "at most 64" in " ".join(r.stderr.split())


def test_search_with_filters_limit_and_csv(ngs):
    r = ngs("search", "jeugd", "--city", "leeuwarden", "--limit", "1", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert [row["id"] for row in rows] == ["2019-leeuwarden"]
    r = ngs("search", "radicalisering", "--limit", "1")
    assert len(r.stdout.splitlines()) == 1
