"""Filtering, sorting, REFs, dates, related meetings and the indexes, on the mini dataset."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

import ngs_cli
from ngs_cli import query, store
from ngs_cli.query import Filters, find_meetings, get_meeting
from ngs_cli.search import search_meetings


@pytest.fixture
def ds():
    return store.open_store(use_cache=False)


def ids(meetings):
    return [m["id"] for m in meetings]


def test_newest_first_with_unknown_dates_last(ds):
    assert ids(find_meetings(ds)) == [
        "2021-utrecht",
        "2021-online",
        "2019-leeuwarden",
        "onbekend-jaar",
    ]
    assert ids(find_meetings(ds, reverse=True)) == [
        "2019-leeuwarden",
        "2021-online",
        "2021-utrecht",
        "onbekend-jaar",
    ]


def test_sort_by_city_puts_unknown_last(ds):
    assert ids(find_meetings(ds, sort="city"))[:2] == ["2019-leeuwarden", "2021-utrecht"]


def test_theme_matches_topic_aliases_accent_insensitively_and_by_part(ds):
    assert ids(find_meetings(ds, Filters(themes=["syriegangers"]))) == ["2021-online"]
    assert ids(find_meetings(ds, Filters(themes=["JEUGD"]))) == ["2019-leeuwarden"]
    assert ids(find_meetings(ds, Filters(themes=["covid"]))) == ["2021-utrecht"]
    assert ids(find_meetings(ds, Filters(themes=["radical"]))) == ["2021-online"]


def test_repeated_option_is_any_different_options_all(ds):
    either = Filters(cities=["utrecht", "Leeuwarden"])
    assert ids(find_meetings(ds, either)) == ["2021-utrecht", "2019-leeuwarden"]
    both = Filters(cities=["Utrecht", "Leeuwarden"], years=[2019])
    assert ids(find_meetings(ds, both)) == ["2019-leeuwarden"]


def test_city_must_match_whole(ds):
    assert find_meetings(ds, Filters(cities=["Utrech"])) == []


def test_since_and_until(ds):
    assert ids(find_meetings(ds, Filters(since="2021"))) == ["2021-utrecht", "2021-online"]
    assert ids(find_meetings(ds, Filters(until="2019-12"))) == ["2019-leeuwarden"]
    assert ids(find_meetings(ds, Filters(since="2021-11-19"))) == ["2021-utrecht", "2021-online"]
    assert ids(find_meetings(ds, Filters(since="2021-11-20", until="2021-11-30"))) == [
        "2021-online"
    ]


def test_parse_bound_rejects_non_dates():
    assert query.parse_bound("2015-04") == "2015-04"
    for bad in ("15", "2015-13", "abc", "2015-02-30"):
        with pytest.raises(ngs_cli.BadValue, match="is not a date"):
            query.parse_bound(bad)


def test_bad_values_are_ngs_errors_and_value_errors(ds):
    from ngs_cli import cite

    assert issubclass(ngs_cli.BadValue, ngs_cli.NgsError) and issubclass(
        ngs_cli.BadValue, ValueError
    )
    for call, message in (
        (lambda: query.check_range("2020", "2010"), "since 2020 is after until 2010"),
        (lambda: query.check_range("x", "2020"), "'x' is not a date"),
        (lambda: find_meetings(ds, Filters(until="2020-13")), "'2020-13' is not a date"),
        (lambda: find_meetings(ds, Filters(since="gisteren")), "'gisteren' is not a date"),
        (lambda: find_meetings(ds, Filters(years=["2015"])), "'2015' is not a whole number"),
        (lambda: search_meetings(ds, "carbid", Filters(since="2020", until="2010")), "after"),
        (lambda: find_meetings(ds, sort="colour"), "cannot sort by 'colour'"),
        (lambda: cite.parse_accessed("gisteren"), "'gisteren' is not a date"),
        (lambda: cite.parse_accessed("9999-12-31"), "after today"),
        (
            lambda: cite.cite(get_meeting(ds, "2021-utrecht"), ds.collection(), "mla", None),
            "unknown citation style 'mla'",
        ),
    ):
        with pytest.raises(ngs_cli.BadValue, match=message):
            call()


def test_speaker_filter(ds):
    assert ids(find_meetings(ds, Filters(speakers=["de vries"]))) == [
        "2021-utrecht",
        "2019-leeuwarden",
    ]


def test_limit(ds):
    assert len(find_meetings(ds, limit=2)) == 2


def test_resolve_ref(ds):
    assert ids(query.resolve_ref(ds, "2021-utrecht")) == ["2021-utrecht"]
    assert ids(query.resolve_ref(ds, "2021")) == ["2021-utrecht", "2021-online"]
    assert ids(query.resolve_ref(ds, "LEEUWARDEN")) == ["2019-leeuwarden"]
    assert ids(query.resolve_ref(ds, "2019-l")) == ["2019-leeuwarden"]
    assert ids(query.resolve_ref(ds, "onbek")) == ["onbekend-jaar"]
    assert query.resolve_ref(ds, "amsterdam") == []


def test_did_you_mean():
    assert query.did_you_mean("Utrech", ["Utrecht", "Leeuwarden"]) == ["Utrecht"]
    assert query.did_you_mean("zzz", ["Utrecht"]) == []


def test_people_index(ds):
    people = query.people_index(ds)
    anna = next(p for p in people if p["name"] == "Anna de Vries")
    assert [a["meeting"] for a in anna["appearances"]] == ["2021-utrecht", "2019-leeuwarden"]
    assert {a["role"] for a in anna["appearances"]} == {"dagvoorzitter", "adviseur"}
    assert [p["name"] for p in query.people_index(ds, "PIET")] == ["Piet Pietersen"]


@pytest.mark.parametrize(
    ("names", "order"),
    [
        # A double surname files under its first word, as a Dutch index files it.
        (["Marnix Eysink Smeets", "Jan Dekker", "Martijn Groot Nibbelink", "Anna Fokker"],
         ["Jan Dekker", "Marnix Eysink Smeets", "Anna Fokker", "Martijn Groot Nibbelink"]),
        # Particles and initials are passed over; a name of one word is its surname.
        (["Jan in 't Veld", "J. H. de Vries", "Aboutaleb", "Kees ter Horst", "Piet Uil"],
         ["Aboutaleb", "Kees ter Horst", "Piet Uil", "Jan in 't Veld", "J. H. de Vries"]),
    ],
)  # fmt: skip
def test_names_are_filed_as_a_dutch_index_files_them(names, order):
    assert sorted(names, key=query.surname_key) == order


def test_people_are_sorted_by_surname_without_its_prefix(ngs, mini, monkeypatch):
    # "Patrick van den Brink" under B, not under P (his first name) or V (his prefix),
    # and before Dekker, which "den Brink" would not be.
    text = mini.read_text(encoding="utf-8").replace(
        "  - {name: Anna de Vries, role: adviseur, organisation: gemeente Leeuwarden}\n",
        "  - {name: Anna de Vries, role: adviseur, organisation: gemeente Leeuwarden}\n"
        "  - {name: Patrick van den Brink, role: dagvoorzitter, organisation: het CCV}\n"
        "  - {name: Wim Dekker, role: wijkagent}\n",
    )
    mini.write_text(text, encoding="utf-8")
    monkeypatch.setenv("NGS_DATA", str(mini))
    people = json.loads(ngs("people", "--format", "json").stdout)
    assert [p["name"] for p in people] == [
        "Patrick van den Brink",
        "Wim Dekker",
        "Jan Jansen",
        "Piet Pietersen",
        "Anna de Vries",
    ]
    names = [line.split("\t")[0] for line in ngs("people").stdout.splitlines()]
    assert list(dict.fromkeys(names)) == [p["name"] for p in people]  # in a pipe too


def test_facets(ds):
    cities = {r["city"]: r for r in query.facet(ds, "city")}
    assert cities["Utrecht"]["count"] == 1 and cities[None]["count"] == 2
    topics = {r["id"]: r for r in query.facet(ds, "topic")}
    assert topics["radicalisering"]["years"] == [2021]
    assert topics["radicalisering"]["aliases"] == ["extremisme", "syriëgangers"]


def test_timeline_fills_empty_years(ds):
    years = query.timeline(ds, find_meetings(ds))
    assert [y for y, _ in years] == [2019, 2020, 2021, None]
    assert [len(ms) for _, ms in years] == [1, 0, 2, 1]


# --- filters on the command line ------------------------------------------------------


def test_list_csv_with_filters_combined(ngs):
    r = ngs("list", "--format", "csv", "--theme", "jeugd", "--theme", "corona", "--since", "2020")
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert [row["id"] for row in rows] == ["2021-utrecht"]


def test_list_sort_reverse_limit(ngs):
    r = ngs("list", "--sort", "date", "--reverse", "--limit", "1")
    assert r.stdout.startswith("2019-leeuwarden\t")
    assert len(r.stdout.splitlines()) == 1


def test_list_speaker(ngs):
    r = ngs("list", "--speaker", "pietersen")
    assert r.stdout.startswith("2021-online\t")


def test_until_and_no_cache(ngs):
    r = ngs("list", "--until", "2019", "--no-cache")
    assert r.stdout.splitlines() == [
        "2019-leeuwarden\t2019-04-11\tLeeuwarden\tJeugd en veiligheid\tJeugd en Veiligheid"
    ]


def test_numbers_beyond_sqlite_integers_are_no_error(ngs, bundled):
    huge = "9" * 30
    r = ngs("list", "--limit", huge)
    assert r.exit_code == 0 and len(r.stdout.splitlines()) == 18
    r = ngs("search", "carbid", "--limit", huge)
    assert r.exit_code == 0 and r.stdout
    r = ngs("list", "--year", huge)
    assert r.exit_code == 0 and not r.stdout and "none in" in r.stderr


# --- dates ----------------------------------------------------------------------------


def test_a_season_is_compared_as_its_months(ngs, bundled):
    r = ngs("list", "--since", "2013", "--until", "2013-03")
    assert "2013-eindhoven" not in r.stdout  # autumn 2013
    r = ngs("list", "--since", "2013-10", "--until", "2013-10")
    assert r.stdout.startswith("2013-eindhoven\t")


def test_a_year_is_compared_as_the_whole_year(ngs, bundled):
    assert "2017-emmen" in ngs("list", "--since", "2017-12-31", "--until", "2018").stdout
    assert "2017-emmen" not in ngs("list", "--since", "2018").stdout


def test_an_inverted_range_is_a_usage_error(ngs):
    r = ngs("list", "--since", "2020", "--until", "2019")
    assert r.exit_code == 2 and "after --until" in r.stderr


WINTER = """\
- id: 2013-winter
  title: Een winterbijeenkomst
  year: 2013
  date_precision: season
  season: winter
  city: Zwolle
  sections:
  - blocks:
    - paragraph: Het was koud in Zwolle.
"""


def test_a_winter_runs_from_december_into_the_next_february(ngs, mini, monkeypatch):
    # Winter 2013 is December 2013 to February 2014: the months of either year find it,
    # and it is named, and cited, by the year it began.
    mini.write_text(mini.read_text(encoding="utf-8") + WINTER, encoding="utf-8")
    monkeypatch.setenv("NGS_DATA", str(mini))

    def found(*bounds: str) -> bool:
        lines = ngs("list", *bounds).stdout.splitlines()
        return "2013-winter" in [line.split("\t")[0] for line in lines]

    assert found("--since", "2013-12", "--until", "2013-12")
    assert found("--since", "2014-01", "--until", "2014-01")
    assert found("--since", "2014-02-28", "--until", "2014")
    assert not found("--until", "2013-11-30")
    assert not found("--since", "2014-03")
    shown = ngs("show", "2013-winter").stdout
    assert re.search(r"^Date:\s+winter 2013$", shown, re.MULTILINE), shown
    assert "(2013, Winter)." in ngs("cite", "2013-winter").stdout
    bibtex = ngs("cite", "2013-winter", "--style", "bibtex").stdout
    assert "year = {2013}" in bibtex and "note = {Held in the winter of 2013}" in bibtex
    (item,) = json.loads(ngs("cite", "2013-winter", "--style", "csl-json").stdout)
    assert item["issued"] == {"date-parts": [[2013]], "season": 4}


# --- related meetings -----------------------------------------------------------------


def test_related_finds_amersfoort_first_for_rotterdam(ngs, bundled):
    r = ngs("related", "2014-rotterdam")
    first = r.stdout.splitlines()[0].split("\t")
    assert first[0] == "2016-amersfoort" and "topics: Radicalisering" in first[-1]


def test_related_says_why_and_takes_the_filters(ngs, bundled):
    rows = json.loads(ngs("related", "2014-rotterdam", "--format", "json").stdout)
    assert (
        rows[0]["shared_topics"] == ["radicalisering"]
        and "radicalisering" in rows[0]["shared_words"]
    )
    assert all(r["id"] != "2014-rotterdam" for r in rows)
    assert [r["score"] for r in rows] == sorted((r["score"] for r in rows), reverse=True)
    since = json.loads(
        ngs("related", "2014-rotterdam", "--since", "2015", "--format", "json").stdout
    )
    assert since and all(r["year"] >= 2015 for r in since)


def test_related_shares_people(ngs):
    rows = json.loads(ngs("related", "2021-utrecht", "--format", "json").stdout)
    leeuwarden = next(r for r in rows if r["id"] == "2019-leeuwarden")
    assert leeuwarden["shared_people"] == ["Anna de Vries"]


def test_a_winter_that_ends_in_a_leap_year_reaches_29_february():
    from ngs_cli.store import period

    def winter(year: int) -> dict:
        return {"year": year, "date": None, "date_precision": "season", "season": "winter"}

    assert period(winter(2015)) == ("2015-12-01", "2016-02-29")
    assert period(winter(2013)) == ("2013-12-01", "2014-02-28")
    assert period(winter(1899)) == ("1899-12-01", "1900-02-28")  # 1900 was no leap year
    assert period(winter(1999)) == ("1999-12-01", "2000-02-29")


# --- people as people look for them -----------------------------------------------------


def test_people_count_their_meetings_and_sort_by_it(ngs):
    by_name = json.loads(ngs("people", "--format", "json").stdout)
    assert [p["name"] for p in by_name] == ["Jan Jansen", "Piet Pietersen", "Anna de Vries"]
    by_count = json.loads(ngs("people", "--sort", "count", "--format", "json").stdout)
    assert [(p["name"], p["count"]) for p in by_count] == [
        ("Anna de Vries", 2), ("Jan Jansen", 1), ("Piet Pietersen", 1)
    ]  # fmt: skip
    assert all(p["count"] == len(p["appearances"]) for p in by_count)
    rows = ngs("people", "--fields", "name,count", "--format", "csv").stdout.splitlines()
    assert "Anna de Vries,2" in rows
    assert ngs("people", "--sort", "meetings").exit_code == 2


def test_people_by_role_or_organisation(ngs, bundled):
    found = json.loads(ngs("people", "--role", "burgemeester", "--format", "json").stdout)
    names = [p["name"] for p in found]
    assert "Hubert Bruls" in names and "Aboutaleb" in names and len(names) == 5
    roles = [a["role"] for p in found for a in p["appearances"]]
    assert all("burgemeester" in r.lower() for r in roles)
    # Accents and case ignored; the organisation counts as well as the role.
    gouda = json.loads(ngs("people", "--role", "GEMEENTE gouda", "--format", "json").stdout)
    assert [p["name"] for p in gouda] == ["Wim Cornelis"]
    r = ngs("people", "--role", "astronaut")
    assert r.exit_code == 0 and not r.stdout and "Nobody spoke as 'astronaut'" in r.stderr


def test_where_the_name_cannot_tell_the_data_says_where_it_files(ngs, mini, monkeypatch):
    # "Jan Willem Smit": two given names, or a double surname "Willem Smit"? The name
    # alone files it under W; the data's sort_as files it under S, wherever it appears.
    text = mini.read_text(encoding="utf-8")
    mini.write_text(
        text.replace(
            "  - {name: Piet Pietersen, organisation: ministerie}\n",
            "  - {name: Piet Pietersen, organisation: ministerie}\n"
            "  - {name: Jan Willem Smit, role: adviseur}\n",
        ),
        encoding="utf-8",
    )
    monkeypatch.setenv("NGS_DATA", str(mini))
    names = [p["name"] for p in json.loads(ngs("people", "--format", "json").stdout)]
    assert names.index("Jan Willem Smit") > names.index("Anna de Vries")  # under W
    mini.write_text(
        text.replace(
            "  - {name: Piet Pietersen, organisation: ministerie}\n",
            "  - {name: Piet Pietersen, organisation: ministerie}\n"
            "  - {name: Jan Willem Smit, role: adviseur, sort_as: Smit}\n",
        ).replace(
            "  - {name: Anna de Vries, role: adviseur, organisation: gemeente Leeuwarden}\n",
            "  - {name: Anna de Vries, role: adviseur, organisation: gemeente Leeuwarden}\n"
            "  - {name: Jan Willem Smit}\n",  # given once is enough
        ),
        encoding="utf-8",
    )
    assert ngs("validate", str(mini)).exit_code == 0
    people = json.loads(ngs("people", "--format", "json").stdout)
    names = [p["name"] for p in people]
    assert names.index("Piet Pietersen") < names.index("Jan Willem Smit")
    assert names.index("Jan Willem Smit") < names.index("Anna de Vries")  # under S
    assert next(p for p in people if p["name"] == "Jan Willem Smit")["count"] == 2
    # Given once, it holds where that appearance is filtered out too.
    people = json.loads(ngs("people", "--role", "adviseur", "--format", "json").stdout)
    names = [p["name"] for p in people]
    assert names.index("Jan Willem Smit") < names.index("Anna de Vries")  # under S


@pytest.mark.parametrize(
    ("first", "second", "message"),
    [
        ("Smid", None, "'Smid' is not a part of the name 'Jan Willem Smit'"),
        ("'  '", None, "'  ' is not a part of the name 'Jan Willem Smit'"),
        ("Willem Smit", "Smit", "is sorted under 'Smit' here but under 'Willem Smit' in meeting"),
    ],
    ids=["not the name's words", "only spaces", "two different"],
)
def test_validate_checks_the_sort_key_is_the_names_and_one(ngs, mini, first, second, message):
    text = mini.read_text(encoding="utf-8").replace(
        "  - {name: Piet Pietersen, organisation: ministerie}\n",
        "  - {name: Piet Pietersen, organisation: ministerie}\n"
        f"  - {{name: Jan Willem Smit, sort_as: {first}}}\n",
    )
    if second:
        text = text.replace(
            "  - {name: Anna de Vries, role: adviseur, organisation: gemeente Leeuwarden}\n",
            "  - {name: Anna de Vries, role: adviseur, organisation: gemeente Leeuwarden}\n"
            f"  - {{name: jan willem smit, sort_as: {second}}}\n",
        )
    mini.write_text(text, encoding="utf-8")
    r = ngs("validate", str(mini))
    assert r.exit_code == 1 and message in r.stderr + r.stdout, r.stderr + r.stdout
    assert "sort_as" in r.stderr + r.stdout
