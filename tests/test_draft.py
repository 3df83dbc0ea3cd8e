"""Drafting a meeting from one verslag's text: every sentence kept, the rest read or asked for."""

from __future__ import annotations

import os
import re

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from ngs_cli.curation.draft import DraftError, draft_meeting, to_yaml
from ngs_cli.model import Meeting
from ngs_cli.text import fold, normalise_space, sentences
from ngs_cli.verslag import meeting_texts

from .conftest import REPO, SOURCE, examples

DATA = yaml.safe_load((REPO / "data" / "reports.yaml").read_text(encoding="utf-8"))
TOPICS = DATA["topics"]
CURATED = {m["id"]: m for m in DATA["meetings"]}
# Lines of the page that are not the text of a verslag (as in test_data.py).
NOT_TEXT = {"Bestanden", "Bestand"}


def validation_problems(record: dict) -> list:
    """What the validator finds wrong with a data file that holds only this record."""
    try:
        from ngs_cli.validate import validate
    except ImportError:  # the validator before it moved to its own module
        from ngs_cli.model import validate  # type: ignore[attr-defined,no-redef]
    data = {
        "schema_version": 1,
        "collection": {"title": "Verslagen"},
        "topics": TOPICS,
        "meetings": [record],
    }
    return validate(data)[1]


def page_blocks() -> dict[str, str]:
    """Each curated meeting's block of the page: from its first line to the next one's."""
    lines = SOURCE.read_text(encoding="utf-8").splitlines()
    cleaned = [normalise_space(re.sub(r"<[^>]*>", "", line)) for line in lines]
    cleaned = [re.sub(r"^(•|\d+\.)\s+", "", line) for line in cleaned]
    starts = []
    for meeting in DATA["meetings"]:
        first = normalise_space(next(iter(meeting_texts(meeting))))
        starts.append(cleaned.index(first))
    ends = [*starts[1:], len(lines)]
    return {
        m["id"]: "\n".join(lines[start:end])
        for m, start, end in zip(DATA["meetings"], starts, ends)
    }


def block_sentences(block: str) -> list[str]:
    """The sentences of a block, cleaned the way the fidelity test cleans the page."""
    out = []
    for line in block.splitlines():
        line = normalise_space(re.sub(r"<[^>]*>", "", line))
        line = re.sub(r"^(•|\d+\.)\s+", "", line)
        if re.search(r"\w", line) and not re.fullmatch(r"\d+\.", line) and line not in NOT_TEXT:
            out += sentences(line)
    return out


def record_sentences(record: dict) -> list[str]:
    return [s for text in meeting_texts(record) for s in sentences(text)]


def names(people: list[dict]) -> list[str]:
    return [p["name"] for p in people]


@pytest.fixture(scope="module")
def blocks() -> dict[str, str]:
    return page_blocks()


def draft(text: str, **kwargs):
    return draft_meeting(text, topics=TOPICS, **kwargs)


# --- every meeting of the page --------------------------------------------------------


@pytest.mark.parametrize("meeting_id", list(CURATED))
def test_every_sentence_of_the_verslag_is_kept_in_order(blocks, meeting_id):
    record = draft(blocks[meeting_id]).record
    assert record_sentences(record) == block_sentences(blocks[meeting_id])
    # The curators' structure, found again: headings, levels, speakers, blocks.
    assert record["sections"] == CURATED[meeting_id]["sections"]


@pytest.mark.parametrize("meeting_id", list(CURATED))
def test_a_draft_validates_and_overrides_fill_in_what_the_text_lacks(blocks, meeting_id):
    curated = CURATED[meeting_id]
    first = draft(blocks[meeting_id])
    assert validation_problems(first.record) == []
    missing = {
        key: curated[key]
        for key in ("city", "date", "year")
        if first.record[key] is None and curated.get(key) is not None
    }
    for key in missing:
        assert any(u.startswith(f"{key if key != 'date' else 'year'}:") for u in first.undecided)
    filled = draft(blocks[meeting_id], overrides={"id": meeting_id, **missing}).record
    assert validation_problems(filled) == []
    for key in ("id", "city", "date", "end_date", "year"):
        assert filled[key] == curated.get(key), key
    if curated.get("date"):  # the curated inference, found again from what was given
        assert filled["date_inferred"] == curated.get("date_inferred", False)


# --- four shapes of verslag -----------------------------------------------------------


def test_the_2023_programme_with_its_speakers(blocks):
    d = draft(blocks["2023-nijmegen"])
    r, curated = d.record, CURATED["2023-nijmegen"]
    assert (r["id"], r["date"], r["year"], r["city"]) == (
        "2023-nijmegen",
        "2023-03-16",
        2023,
        "Nijmegen",
    )
    assert r["date_precision"] == "day" and r["date_inferred"] is False
    assert "16 March 2023 was a Thursday" in r["date_note_en"]
    assert "16 maart 2023 was een donderdag" in r["date_note"]
    assert r["title"] == "Maatschappelijke onrust en ongenoegen"
    assert r["themes"] == curated["themes"]
    assert [p["title"] for p in r["programme"]] == [p["title"] for p in curated["programme"]]
    assert names(r["people"]) == names(curated["people"])
    brink = next(p for p in r["people"] if p["name"] == "Patrick van den Brink")
    assert brink["role"] == "dagvoorzitter, directeur" and brink["organisation"] == "het CCV"
    assert r["participants"]["count"] == 30 and r["participants"]["approximate"] is True
    assert r["format"] == "in_person"
    assert "maatschappelijke-onrust" in r["topics"]
    assert any('"Handige links"' in n and "empty section" in n for n in r["notes_en"])
    assert [u.split(":")[0] for u in d.undecided] == ["topics"]


def test_the_corona_day_agenda_and_sub_sessions(blocks):
    d = draft(blocks["2020-corona-online"])
    r, curated = d.record, CURATED["2020-corona-online"]
    assert r["title"] == "Corona en de gevolgen voor de feestmaand december en handhaving"
    assert (r["date"], r["year"], r["city"], r["date_precision"]) == (None, None, None, "unknown")
    assert {"year", "city", "id"} <= {u.split(":")[0] for u in d.undecided}
    assert r["format"] == "online"
    assert [p["title"] for p in r["programme"]] == [p["title"] for p in curated["programme"]]
    assert names(r["people"]) == names(curated["people"])
    sub = [(s["heading"], s["speakers"]) for s in r["sections"] if s.get("level") == 3]
    assert sub[0] == ("Martijn Groot Nibbelink (VNG)", ["Martijn Groot Nibbelink"])
    assert len(sub) == 5
    assert any("stray HTML fragment" in n for n in r["notes_en"])

    given = draft(blocks["2020-corona-online"], overrides={"year": 2020}).record
    assert (given["year"], given["date_precision"], given["date_inferred"]) == (2020, "year", True)
    assert "given by the curator" in given["date_note_en"]
    assert "opgegeven door de samensteller" in given["date_note"]


def test_a_short_two_paragraph_meeting(blocks):
    d = draft(blocks["2017-emmen"])
    r, curated = d.record, CURATED["2017-emmen"]
    assert [list(b) for s in r["sections"] for b in s["blocks"]] == [["paragraph"], ["paragraph"]]
    assert (r["id"], r["year"], r["city"], r["date"]) == ("2017-emmen", 2017, "Emmen", None)
    assert r["date_precision"] == "year" and r["date_inferred"] is False
    assert "2017" in r["date_note_en"] and "no day or month" in r["date_note_en"]
    assert "2017" in r["date_note"] and "geen dag of maand" in r["date_note"]
    assert r["title"] == curated["title"]
    assert r["themes"] == curated["themes"]
    assert set(r["topics"]) == set(curated["topics"])
    assert any("the list itself is not in the text" in n for n in r["notes_en"])
    assert r["people"] == [] and r["programme"] == []


def test_an_old_meeting_with_a_list_of_presenters(blocks):
    r = draft(blocks["2007-maastricht"]).record
    curated = CURATED["2007-maastricht"]
    assert (r["date"], r["end_date"], r["year"]) == ("2007-11-29", "2007-11-30", 2007)
    assert "were a Thursday and a Friday" in r["date_note_en"]
    assert "waren een donderdag en een vrijdag" in r["date_note"]
    assert r["city"] == "Maastricht"
    assert fold(r["title"]) == fold(curated["title"])
    assert r["themes"] == curated["themes"]
    assert names(r["people"]) == names(curated["people"])
    assert r["people"][0] == {
        "name": "Laurens de Graaf",
        "role": None,
        "organisation": "Universiteit Tilburg",
    }
    assert [p["title"] for p in r["programme"]] == [p["title"] for p in curated["programme"]]
    assert r["participants"] == curated["participants"]
    assert r["files_announced"] is True


def test_a_meeting_whose_city_is_not_stated_keeps_it_null(blocks):
    d = draft(blocks["2007-jeugd-en-veiligheid"])
    assert d.record["city"] is None
    assert any(u.startswith("city:") for u in d.undecided)
    assert d.record["date"] == "2007-04-19"
    assert names(d.record["people"]) == names(CURATED["2007-jeugd-en-veiligheid"]["people"])


@pytest.mark.parametrize(
    "meeting_id", [m for m, curated in CURATED.items() if not curated.get("programme")]
)
def test_lists_of_points_or_cases_are_not_taken_for_a_programme(blocks, meeting_id):
    assert draft(blocks[meeting_id]).record["programme"] == []


def test_most_speakers_are_found_in_every_verslag_with_a_list_of_them(blocks):
    found = wanted = 0
    for meeting_id, curated in CURATED.items():
        if not curated.get("programme") and meeting_id != "marokkaans-nederlandse-jongeren":
            continue  # speakers named only in running text are not read
        got = {fold(n) for n in names(draft(blocks[meeting_id]).record["people"])}
        want = {fold(n) for n in names(curated.get("people", []))}
        found, wanted = found + len(got & want), wanted + len(want)
    assert found / wanted >= 0.8, f"{found} of {wanted} speakers"


@pytest.mark.parametrize("meeting_id", [m for m in CURATED if CURATED[m].get("people")])
def test_the_draft_finds_most_of_each_meeting_s_people(blocks, meeting_id):
    # Named in a programme, in a heading or in running text: 80% of each meeting's.
    got = {fold(n) for n in names(draft(blocks[meeting_id]).record["people"])}
    want = {fold(n) for n in names(CURATED[meeting_id]["people"])}
    assert len(got & want) >= 0.8 * len(want), sorted(want - got)


def test_people_in_running_text_with_what_the_words_say_of_them(blocks):
    d = draft(blocks["2015-leeuwarden"])
    people = {p["name"]: (p["role"], p["organisation"]) for p in d.record["people"]}
    assert people["Crone"] == ("burgemeester van Leeuwarden", None)  # not "Crone van Leeuwarden"
    assert people["Sjef Czyzewski"] == ("lid van aanjaagteam verwarde personen", None)
    # "Dick van der Laar en Moira Galloway van het COA": both of the COA.
    assert people["Dick van der Laar"] == people["Moira Galloway"] == (None, "COA")
    assert people["Laurens van der Varst"] == (None, "COT-instituut")
    (left,) = [u for u in d.undecided if u.startswith("people:")]
    assert "Crone" in left and "Moira Galloway" in left
    # A name at a sentence's start is taken only when the words say more of it.
    d = draft("Teruggekeerde Syriëgangers waren het thema van de bijeenkomst.")
    assert d.record["people"] == []
    d = draft("Roy Johannink van bureau VDMMP gaf een inleiding op de netwerkdag.")
    assert d.record["people"] == [
        {"name": "Roy Johannink", "role": None, "organisation": "bureau VDMMP"}
    ]


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        # A city in passing is not where the meeting was.
        ("Op donderdag 14 maart 2024 was de bijeenkomst over de rellen in Rotterdam.",
         "city", None),
        ("Op donderdag 14 maart 2024 kwamen de deelnemers in Zwolle bijeen.", "city", "Zwolle"),
        # "online" is the format.
        ("Op donderdag 14 maart 2024 kwamen de OOV'ers online bijeen.", "format", "online"),
        ("De netwerkdag vond op 14 maart 2024 online plaats.", "format", "online"),
        ("Het gesprek vindt vaker online plaats, zei men op de bijeenkomst.", "format", None),
        # A year of another clause is not the meeting's.
        ("De bijeenkomst op donderdag 14 maart besprak het rapport uit 2019.", "year", None),
        ("Sinds 2015 is er veel veranderd, bleek op de bijeenkomst van 14 maart.", "year", None),
        ("Het thema in 2024 was jeugd; de bijeenkomst was op 14 maart.", "year", 2024),
    ],
)  # fmt: skip
def test_the_draft_states_only_what_the_text_says(text, field, value):
    d = draft(text)
    assert d.record[field] == value
    if value is None:
        assert any(u.startswith(f"{field}:") for u in d.undecided), d.undecided


def test_a_format_guessed_from_the_place_is_left_to_decide():
    d = draft("Op donderdag 14 maart 2024 kwamen de deelnemers in Zwolle bijeen.")
    assert d.record["format"] == "in_person"
    (left,) = [u for u in d.undecided if u.startswith("format:")]
    assert "guessed from the place" in left
    d = draft("Op 14 maart 2024 was er een fysieke bijeenkomst in Zwolle.")
    assert d.record["format"] == "in_person"
    assert not any(u.startswith("format:") for u in d.undecided)


# --- small texts ----------------------------------------------------------------------

SMALL = """\
Het thema in 2024 was Jeugd en veiligheid.

Op donderdag 14 maart kwamen rond de veertig deelnemers uit twaalf steden in Zwolle bijeen.

Programma

 • Opening door Jan de Vries, directeur van het CCV
 • Inleiding Anna Bakker, burgemeester van Zwolle
 • Lunch.

<h4class="x">Workshops

 • Er waren drie vragen:
 1. Wat werkt?
 2. Wat niet?
 • Iedereen deed mee.

Bestanden
"""


def test_a_small_verslag_is_read_into_the_data_files_structure():
    d = draft(SMALL)
    r = d.record
    assert list(r) == list(Meeting.__annotations__)  # every field, in the model's order
    assert (r["id"], r["title"], r["date"], r["city"]) == (
        "2024-zwolle",
        "Jeugd en veiligheid",
        "2024-03-14",
        "Zwolle",
    )
    assert r["participants"] == {
        "count": 40,
        "approximate": True,
        "cities": 12,
        "text": "rond de veertig deelnemers uit twaalf steden",
    }
    assert r["sections"][1:] == [
        {
            "heading": "Programma",
            "blocks": [
                {
                    "bullets": [
                        "Opening door Jan de Vries, directeur van het CCV",
                        "Inleiding Anna Bakker, burgemeester van Zwolle",
                        "Lunch.",
                    ]
                }
            ],
        },
        {
            "heading": "Workshops",
            "blocks": [
                {
                    "bullets": [
                        {"text": "Er waren drie vragen:", "numbered": ["Wat werkt?", "Wat niet?"]},
                        "Iedereen deed mee.",
                    ]
                }
            ],
        },
    ]
    assert r["programme"] == [
        {
            "title": "Opening",
            "speakers": [{"name": "Jan de Vries", "role": "directeur", "organisation": "het CCV"}],
        },
        {
            "title": "Inleiding",
            "speakers": [
                {"name": "Anna Bakker", "role": "burgemeester van Zwolle", "organisation": None}
            ],
        },
        {"title": "Lunch"},
    ]
    assert r["files_announced"] is True
    assert "jeugd" in r["topics"]
    assert any('HTML fragment (<h4class="x">)' in n for n in r["notes_en"])
    assert validation_problems(r) == []


def test_a_verslag_saved_as_html_is_read_as_a_browser_shows_it():
    page = """<!doctype html><html><head><title>Kop.</title><style>.x{}</style></head><body>
<p>Het thema in 2024 was Jeugd en veiligheid.</p><!-- <p>Oud.</p> -->
<p>Op donderdag 14 maart kwamen rond de veertig deelnemers in Zwolle bijeen.</p>
<div style="display:none"><p>Niet getoond.</p></div><template><p>Sjabloon.</p></template>
<h4>Programma</h4><ul><li>Opening door Jan de Vries, directeur van het CCV</li>
<li>Lunch &amp;amp; borrel.</li></ul><table><tr><td>Links.</td><td>Rechts.</td></tr></table>
<script>document.write("<p>Geschreven.</p>")</script></body></html>"""
    record = draft(page).record
    assert record_sentences(record) == [
        "Het thema in 2024 was Jeugd en veiligheid.",
        "Op donderdag 14 maart kwamen rond de veertig deelnemers in Zwolle bijeen.",
        "Programma",
        "Opening door Jan de Vries, directeur van het CCV",
        "Lunch &amp; borrel.",
        "Links.",
        "Rechts.",
    ]
    assert record["sections"][1]["blocks"][0]["bullets"][1] == "Lunch &amp; borrel."
    assert names(record["people"]) == ["Jan de Vries"]
    assert record["notes"][1:] == []  # no stray fragments: there is no markup left


def test_nothing_is_invented_where_the_text_is_silent():
    d = draft("Veel deelnemers spraken over jeugd en jongeren. De dag was nuttig.")
    r = d.record
    assert (r["date"], r["year"], r["city"], r["format"], r["participants"]) == (
        None,
        None,
        None,
        None,
        None,
    )
    assert r["date_precision"] == "unknown" and r["date_note"] is None
    assert r["themes"] == [] and r["programme"] == [] and r["people"] == []
    decide = {u.split(":")[0] for u in d.undecided}
    assert {"title", "year", "city", "format", "id"} <= decide
    assert r["title"] == "Veel deelnemers spraken over jeugd en jongeren"
    assert validation_problems(r) == []


def test_an_empty_theme_gives_no_empty_title():
    d = draft("Thema: ‘’\n\nWe spraken over de wijk.")
    assert d.record["title"] == "Thema: ‘’" and d.record["themes"] == []
    assert any(u.startswith("title:") for u in d.undecided)


def test_a_year_is_inferred_only_from_a_range_of_years_given():
    text = "Op 19 en 20 november werden de netwerkdagen gehouden in Leeuwarden."
    alone = draft(text)
    assert alone.record["year"] is None and alone.record["date"] is None
    assert any(u.startswith("year:") for u in alone.undecided)
    assert "the year is not stated" in alone.record["date_note_en"]

    ranged = draft(text, year_range=(2014, 2017)).record
    assert (ranged["date"], ranged["end_date"]) == ("2015-11-19", "2015-11-20")
    assert ranged["date_inferred"] is True
    assert "2014-2017" in ranged["date_note_en"] and "Thursday" in ranged["date_note_en"]
    assert "2014-2017" in ranged["date_note"] and "donderdag" in ranged["date_note"]
    assert validation_problems(ranged) == []


def test_without_a_stated_weekday_the_range_is_narrowed_by_the_usual_thursday():
    d = draft("Op 9 april vond de netwerkdag plaats in Utrecht.", year_range=(2014, 2016))
    assert d.record["date"] == "2015-04-09"
    assert "the network's usual day" in d.record["date_note_en"]


def test_a_stated_weekday_picks_the_year_and_two_fitting_years_are_left_to_the_curator():
    text = "Op donderdag 22 mei vond de netwerkdag plaats in Leiden."
    assert draft(text, year_range=(2008, 2011)).record["date"] == "2008-05-22"
    both = draft(text, year_range=(2008, 2014))
    assert both.record["year"] is None
    assert any("2008, 2014" in u for u in both.undecided)


def test_a_weekday_that_contradicts_the_date_is_reported():
    d = draft("Op vrijdag 16 maart 2023 kwamen we bijeen in Nijmegen.")
    assert d.record["date"] == "2023-03-16"
    assert any(u.startswith("date:") and "Thursday" in u for u in d.undecided)


def test_weekdays_of_other_days_the_text_mentions_are_not_checked():
    d = draft(
        "Op donderdag 14 maart 2024 kwamen we bijeen in Zwolle. "
        "De volgende netwerkdag is op zaterdag 3 oktober."
    )
    assert d.record["date"] == "2024-03-14"
    assert not any(u.startswith("date:") for u in d.undecided)


def test_the_city_is_read_from_a_sentence_about_the_meeting():
    d = draft(
        "Burgemeester Jansen werkte eerder in Deventer. "
        "De netwerkdag in Nederland werd op 9 april gehouden in Zwolle."
    )
    assert d.record["city"] == "Zwolle"


def test_lines_wrapped_inside_a_paragraph_or_an_item_are_joined():
    d = draft(
        "Op 9 april 2015 was de netwerkdag\nin Utrecht. Het was druk.\n\n"
        " • Een punt dat doorloopt\n   op de volgende regel.\n • Nog een punt.\n"
    )
    assert d.record["sections"] == [
        {
            "blocks": [
                {"paragraph": "Op 9 april 2015 was de netwerkdag in Utrecht. Het was druk."},
                {"bullets": ["Een punt dat doorloopt op de volgende regel.", "Nog een punt."]},
            ]
        }
    ]
    assert d.record["city"] == "Utrecht"


def test_a_heading_needs_no_blank_line_below_it():
    d = draft(
        "Programma\n • Opening.\n • Lunch.\nBurgemeester Bruls\nSamenvatting van de punten:\n"
        " • Punt een."
    )
    assert d.record["sections"] == [
        {"heading": "Programma", "blocks": [{"bullets": ["Opening.", "Lunch."]}]},
        {
            "heading": "Burgemeester Bruls",
            "speakers": ["Bruls"],
            "blocks": [{"paragraph": "Samenvatting van de punten:"}, {"bullets": ["Punt een."]}],
        },
    ]
    # Only the surname is given, and no one of the programme has it: kept as given.
    assert d.record["people"] == [{"name": "Bruls", "role": "burgemeester", "organisation": None}]


def test_overrides_win_and_a_contradiction_is_reported():
    d = draft(
        "Op 9 april vond de netwerkdag plaats in Utrecht.",
        overrides={"id": "2015-utrecht", "city": "Tilburg", "year": "2015", "date": None},
    )
    r = d.record
    assert (r["id"], r["city"], r["date"], r["date_inferred"]) == (
        "2015-utrecht",
        "Tilburg",
        "2015-04-09",
        True,
    )
    assert "given by the curator" in r["date_note_en"]
    assert any(u.startswith("city:") and "Utrecht" in u for u in d.undecided)
    assert any(u.startswith("date_note:") for u in d.undecided)
    assert validation_problems(r) == []


def test_a_given_date_that_differs_from_the_text_is_reported():
    d = draft("Op 9 april vond de netwerkdag plaats in Utrecht.", overrides={"date": "2015-04-10"})
    assert d.record["date"] == "2015-04-10"
    assert any(u.startswith("date:") and "op 9 april" in u.lower() for u in d.undecided)


def test_topics_are_suggested_from_the_vocabulary_by_folded_words():
    d = draft("Het thema was het VUURWERKVERBOD. Carbid en vuurwerk kwamen aan bod.")
    assert d.record["topics"] == ["jaarwisseling"]
    assert any(u.startswith("topics:") for u in d.undecided)
    assert "suggested" in d.remarks["topics"]


def test_text_after_the_files_heading_may_be_the_files_themselves():
    d = draft(
        "Op 9 april 2015 was de netwerkdag in Utrecht.\n\nBestanden\n\nVerslag (PDF, 1,2 MB)\n"
    )
    assert d.record["files_announced"] is True
    assert record_sentences(d.record) == ["Op 9 april 2015 was de netwerkdag in Utrecht."]


# --- any verslag -----------------------------------------------------------------------

WORDS = [
    "netwerk", "veiligheid", "gemeente", "jongeren", "overlast", "beleid", "aanpak", "wijk",
    "burgers", "onderzoek", "gesprek", "ervaring", "regio", "zorg", "50%", "G40", "#1",
    "‘vraag’", "a&b", "boa’s", "e.a.", "1,5", "'s-Hertogenbosch", "Ter", "Apel", "enz.",
]  # fmt: skip
word = st.sampled_from(WORDS)
sentence = st.builds(
    lambda first, rest, end: " ".join([first.capitalize(), *rest]) + end,
    word.filter(str.isalpha),
    st.lists(word, max_size=8),
    st.sampled_from([".", "?", "!", ":"]),
)
paragraph = st.lists(sentence, min_size=1, max_size=3).map(" ".join)
heading = st.lists(word.filter(str.isalpha), min_size=1, max_size=4).map(
    lambda ws: " ".join(ws).capitalize()
)
item = st.lists(sentence, min_size=1, max_size=2).map(" ".join)
listed = st.tuples(st.sampled_from([" • ", " {}. "]), st.lists(item, min_size=1, max_size=4))
part = st.one_of(
    paragraph.map(lambda p: [p]),
    heading.map(lambda h: [h]),
    listed.map(lambda m: [m[0].format(i + 1) + it for i, it in enumerate(m[1])]),
)


@pytest.mark.slow
@settings(max_examples=examples(80), deadline=None)
@given(st.lists(part, min_size=1, max_size=6), st.sampled_from(["\n\n", "\n \n", "\n\xa0\n"]))
def test_any_verslag_keeps_every_sentence_in_order_and_round_trips(parts, gap):
    # Two lists of one kind in a row are one list: the page does not tell them apart.
    text = gap.join("\n".join(lines) for lines in parts)
    d = draft(text)
    assert record_sentences(d.record) == block_sentences(text)
    assert yaml.safe_load(to_yaml(d)) == [d.record]
    assert validation_problems(d.record) == []


@pytest.mark.slow
@settings(max_examples=examples(150), deadline=None)
@given(
    st.one_of(st.text(), st.binary()),
    st.dictionaries(
        st.sampled_from(["id", "city", "date", "year"]),
        st.none() | st.text(max_size=12) | st.integers(1800, 2200),
    ),
)
def test_any_input_gives_a_valid_draft_or_a_draft_error(text, overrides):
    try:
        d = draft(text, overrides=overrides)
    except DraftError:
        return
    assert validation_problems(d.record) == []
    assert yaml.safe_load(to_yaml(d)) == [d.record]


# --- YAML -----------------------------------------------------------------------------


def test_the_yaml_reads_back_as_the_record_and_says_what_to_decide():
    d = draft("Op 9 april vond de netwerkdag plaats in Utrecht.")
    text = to_yaml(d)
    assert yaml.safe_load(text) == [d.record]
    decide = next(line for line in text.splitlines() if line.startswith("# Still to decide:"))
    assert "year" in decide and "city" not in decide
    assert re.search(r"^  # to decide: the text states no year", text, re.MULTILINE)
    assert text.count("\n- id:") == 1


def test_the_yaml_pasted_under_meetings_gives_a_valid_data_file():
    d = draft(SMALL, overrides={"id": "2024-zwolle"})
    pasted = (REPO / "data" / "reports.yaml").read_text(encoding="utf-8") + to_yaml(d)
    data = yaml.safe_load(pasted)
    assert data["meetings"][-1] == d.record
    assert len(data["meetings"]) == len(DATA["meetings"]) + 1
    record_only = validation_problems(data["meetings"][-1])
    assert record_only == []


# --- bad input ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        (" \n\t\n", "empty"),
        ("Een zin.\x00\x01\x02", "NUL"),
        ("Een zin.\nNog \x08 een.", "control character (U+0008 at line 2)"),
        (b"Op 9 april \xff\xfe in Utrecht.", "not UTF-8 (byte 0xff at line 1)"),
        ("•\n<p></p>\n 1. \n\nBestanden\n", "no sentences"),
        (
            "Ga naar de inhoud\n\nVerslagen Netwerk Grote Steden\n\nHet thema was X.\n",
            "whole page",
        ),
        (
            "Het thema in 2023 was Onrust.\n\nTekst.\n\nHet thema in 2022 was Jeugd.\n",
            "2 theme sentences (lines 1, 5)",
        ),
        (
            "Op 9 april was de dag in Utrecht.\n\nBestanden\n\nOp 22 mei was de dag in Leiden.\n",
            "more than one verslag",
        ),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(text, message):
    with pytest.raises(DraftError) as caught:
        draft(text)
    assert message in str(caught.value)


def test_the_whole_page_is_refused():
    with pytest.raises(DraftError, match="whole page"):
        draft(SOURCE.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"date": "16-03-2023"}, "YYYY-MM-DD"),
        ({"date": "2023-02-30"}, "YYYY-MM-DD"),
        ({"id": "Nijmegen 2023"}, "not a slug"),
        ({"year": 1850}, "between 1900 and 2100"),
        ({"year": "²"}, "between 1900 and 2100"),  # a digit to isdigit(), not to int()
        ({"date": "2023-03-16", "year": 2022}, "not in the year 2022"),
        ({"title": "X"}, "cannot set title"),
        ({"city": "  "}, "city must be a name"),
        ({"city": "Zwolle\n"}, "city must be a name"),
    ],
)
def test_bad_overrides_are_refused(overrides, message):
    with pytest.raises(DraftError) as caught:
        draft("Op 16 maart kwamen we bijeen in Nijmegen.", overrides=overrides)
    assert message in str(caught.value)


def test_a_field_the_draft_does_not_read_is_left_to_its_default(monkeypatch):
    # A field added to the model: the draft still works, in the model's order.
    from ngs_cli.curation import draft as module

    monkeypatch.setattr(module, "FIELDS", (*module.FIELDS, "a_new_field"))
    made = draft("Op 16 maart 2023 kwamen we bijeen in Nijmegen.")
    assert "a_new_field" not in made.record and list(made.record)[0] == "id"


def test_a_bad_range_of_years_is_refused():
    with pytest.raises(DraftError, match="range of years"):
        draft("Op 16 maart kwamen we bijeen.", year_range=(2020, 2010))


# --- the draft command ----------------------------------------------------------------


def test_draft_through_the_command(ngs, tmp_path):
    text = tmp_path / "nieuw.txt"
    text.write_text(
        "Het thema in 2024 was Veiligheid in de wijk.\n\n"
        "Op donderdag 21 november kwamen de OOV'ers bijeen in Zwolle.\n",
        encoding="utf-8",
    )
    r = ngs("draft", str(text), "--id", "2024-zwolle")
    assert r.exit_code == 0 and "id: 2024-zwolle" in r.stdout and "Zwolle" in r.stdout
    piped = ngs("draft", "-", "--id", "2024-zwolle", input=text.read_text(encoding="utf-8"))
    assert piped.exit_code == 0 and piped.stdout == r.stdout
    if os.path.exists("/dev/zero"):  # endless: refused, not read
        r = ngs("draft", "/dev/zero")
        assert r.exit_code == 2 and "not a regular file" in r.stderr
    r = ngs("draft", str(text), env={"NGS_MAX_DATA_SIZE": "20"})
    assert r.exit_code == 2 and "larger than the limit" in r.stderr
    # Standard input is held to the same size limit as a data file.
    r = ngs("draft", "-", input=text.read_text(encoding="utf-8"), env={"NGS_MAX_DATA_SIZE": "20"})
    assert r.exit_code == 1 and "more than the limit" in r.stderr
    for option, value in (
        ("--date", "2024-13-01"),
        ("--date", "0001-01-01"),
        ("--year", "1492"),
        ("--id", "Bad_Id"),
        ("--id", "2024-zwolle\n"),
    ):
        r = ngs("draft", str(text), option, value)
        assert r.exit_code == 2 and f"'{option}'" in r.stderr, (option, r.stderr)
    empty = tmp_path / "leeg.txt"
    empty.write_text("", encoding="utf-8")
    r = ngs("draft", str(empty))
    assert r.exit_code == 1 and r.stderr.startswith("ngs: ")


def test_a_draft_s_notes_are_dutch_and_its_comments_in_the_reader_s_language(ngs, tmp_path):
    import yaml

    text = tmp_path / "nieuw.txt"
    text.write_text(
        "Het thema in 2024 was Veiligheid in de wijk.\n\n"
        "Op donderdag 21 november kwamen de OOV'ers bijeen in Zwolle.\n",
        encoding="utf-8",
    )
    for language in ("nl", "en"):
        out = ngs("draft", str(text), env={"LANGUAGE": language}).stdout
        (record,) = yaml.safe_load(out)
        # The record's notes are the dataset's: Dutch, with the English beside them.
        assert "21 november 2024 was een donderdag" in record["date_note"]
        assert "21 November 2024 was a Thursday" in record["date_note_en"]
        assert record["notes"] and len(record["notes_en"]) == len(record["notes"])
        assert record["notes"][0].startswith("Concept uit de tekst")
        comments = "\n".join(line for line in out.splitlines() if line.lstrip().startswith("#"))
        if language == "nl":
            assert "Nog te beslissen" in comments and "te beslissen:" in comments
            assert "to decide" not in comments and "Still" not in comments
        else:
            assert "Still to decide" in comments and "te beslissen" not in comments


# --- what a curator leaves behind -----------------------------------------------------


def pasted_draft(tmp_path, ngs, language: str = "en"):
    """The mini data file with a draft pasted under its meetings, as the draft wrote it."""
    text = tmp_path / "nieuw.txt"
    text.write_text(SMALL, encoding="utf-8")
    out = ngs("draft", str(text), env={"LANGUAGE": language}).stdout
    data = tmp_path / "data.yaml"
    data.write_text((REPO / "tests" / "fixtures" / "mini.yaml").read_text("utf-8") + out, "utf-8")
    return data


def problem_lines(stderr: str) -> list[tuple[int, str]]:
    return [(int(m[1]), m[2]) for m in re.finditer(r"(?:line|regel) (\d+): (.*)", stderr)]


def test_validate_reports_the_draft_s_note_and_to_decide_comments_left_behind(ngs, tmp_path):
    data = pasted_draft(tmp_path, ngs)
    lines = data.read_text(encoding="utf-8").splitlines()
    r = ngs("validate", str(data))
    assert r.exit_code == 1, r.stdout
    found = problem_lines(r.stderr)
    # The note, in notes and in notes_en, each at its own line.
    notes = [lines[n - 1] for n, message in found if "the draft's note" in message]
    assert len(notes) == 2, r.stderr
    assert "'Concept uit de tekst:" in notes[0] and "'Drafted from the text:" in notes[1]
    # Each "to decide" comment, at its line, with the field below it.
    comments = [(n, message) for n, message in found if "to decide" in message]
    expected = [n for n, line in enumerate(lines, 1) if line.lstrip().startswith("# to decide:")]
    assert expected and [n for n, _m in comments] == expected
    fields = [m.split(", above '")[1].split("'")[0].split(":")[0] for _n, m in comments]
    assert fields == ["format", "topics"]
    # The comments around the record say what to do; they are the draft's too.
    heads = [n for n, line in enumerate(lines, 1) if line.startswith(("# A draft", "# Still"))]
    assert [n for n, m in found if "a comment of the draft" in m] == heads


def test_validate_names_the_topic_an_alias_stands_for(ngs, mini):
    text = mini.read_text(encoding="utf-8").replace("topics: [jeugd]", "topics: [Jongeren]")
    mini.write_text(text, encoding="utf-8")
    r = ngs("validate", str(mini))
    assert r.exit_code == 1
    (line, message), *_ = problem_lines(r.stderr)
    assert text.splitlines()[line - 1].strip().startswith("topics: [Jongeren]")
    assert "'Jongeren' is an alias of topic 'jeugd': write jeugd" in message


def test_what_is_left_behind_is_told_in_the_reader_s_language(ngs, tmp_path, mini):
    data = pasted_draft(tmp_path, ngs, "nl")
    r = ngs("validate", str(data), env={"LANGUAGE": "nl"})
    assert r.exit_code == 1
    assert "de opmerking uit het concept" in r.stderr and "te beslissen" in r.stderr
    assert "to decide" not in r.stderr and "draft's note" not in r.stderr
    text = mini.read_text(encoding="utf-8").replace("topics: [jeugd]", "topics: [jongeren]")
    mini.write_text(text, encoding="utf-8")
    r = ngs("validate", str(mini), env={"LANGUAGE": "nl"})
    assert (
        "'jongeren' is een andere benaming (alias) van onderwerp 'jeugd': schrijf het id jeugd"
        in r.stderr
    )


def test_a_curated_draft_is_valid(ngs, tmp_path):
    data = pasted_draft(tmp_path, ngs)
    curated = yaml.safe_load(data.read_text(encoding="utf-8"))  # comments gone
    record = curated["meetings"][-1]
    record["notes"], record["notes_en"] = record["notes"][1:], record["notes_en"][1:]
    data.write_text(yaml.safe_dump(curated, allow_unicode=True), encoding="utf-8")
    r = ngs("validate", str(data))
    assert r.exit_code == 0, r.stderr


def test_guessed_heading_levels_are_left_to_decide(blocks):
    d = draft(blocks["2020-corona-online"])
    level3 = [s["heading"] for s in d.record["sections"] if s.get("level") == 3]
    (left,) = [u for u in d.undecided if u.startswith("sections:")]
    assert level3 and all(f'"{h[:20]}' in left for h in level3)


WORDISH = st.lists(st.sampled_from(["drugs", "beleid", " ", "-", "_", "19", "é", ".", "ß"]))


@settings(max_examples=examples(200), deadline=None)
@given(text=WORDISH.map("".join), term=WORDISH.map("".join).filter(str.strip))
def test_a_term_is_counted_as_a_word_of_its_own_as_the_pattern_counts_it(text, term):
    # Every term of the vocabulary is counted in one pass over the text's words; the
    # count is that of the term as a word of its own, overlaps included.
    import re

    from ngs_cli.curation.themes import _Occurrences

    expected = len(re.findall(rf"(?<!\w){re.escape(term)}(?!\w)", text))
    assert _Occurrences(text).count(term) == expected


@pytest.mark.parametrize(
    "word", ["blij \U0001f600", "Eén\x85twee", "lijn\u2028scheiding"], ids=["emoji", "NEL", "LS"]
)
def test_the_yaml_writes_every_letter_as_it_is(word):
    # As the pure-Python emitter writes it: an emoji stays an emoji (libyaml's emitter
    # writes "\U0001F600", a NEL "\N").
    d = draft(f"Het thema was veiligheid. De burgemeester was {word} over de dag.")
    text = to_yaml(d)
    assert yaml.safe_load(text) == [d.record]
    if word.startswith("blij"):
        assert "\U0001f600" in text and "\\U" not in text


def test_a_topic_named_in_words_of_its_own_is_suggested():
    # "digitale criminaliteit" is an alias of cybercrime: two words, counted as a phrase.
    alias = next(
        a for t in TOPICS for a in t.get("aliases") or () if " " in a and "criminaliteit" in a
    )
    topic = next(t["id"] for t in TOPICS if alias in (t.get("aliases") or ()))
    text = (
        f"Het thema was {alias}. De politie sprak over {alias} en over wat de gemeente "
        f"tegen {alias} kan doen."
    )
    assert topic in draft(text).record["topics"]
