"""The bundled dataset: complete, valid, faithful to the source, honest about inference."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from ngs_cli import store
from ngs_cli.verslag import meeting_texts

from .conftest import REPO, SOURCE

WEEKDAYS = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"]
MONTHS = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
]
# Lines of the page that are navigation or layout, not content.
CHROME = {
    "Ga naar de inhoud",
    "Skyline van een stad. Ter illustratie van het CCV-dossier Grote steden.",
    "Bestanden",
    "Bestand",
}


class Data:
    """The bundled data file, validated, as plain records."""

    def __init__(self, path):
        data = store.parse_and_validate(store.data_source(path), str(path))
        self.collection = data["collection"]
        self.topics = data["topics"]
        self.meetings = data["meetings"]


@pytest.fixture(scope="module")
def ds():
    return Data(REPO / "data" / "reports.yaml")


def all_text(ds) -> str:
    parts = [ds.collection["title"], *ds.collection["introduction"]]
    for m in ds.meetings:
        parts += [m["title"], *meeting_texts(m)]
    return normalise(" \n ".join(parts))


def normalise(text: str) -> str:
    return " ".join(text.replace("\xa0", " ").split())


def test_all_eighteen_meetings_with_unique_ids(ds):
    ids = [m["id"] for m in ds.meetings]
    assert len(ids) == 18
    assert len(set(ids)) == 18


def test_years_span_2007_to_2023(ds):
    years = {m["year"] for m in ds.meetings if m["year"]}
    assert min(years) == 2007 and max(years) == 2023


def test_every_meeting_has_text(ds):
    for m in ds.meetings:
        assert any(t.strip() for t in meeting_texts(m)), m["id"]


def test_every_topic_used_is_defined(ds):
    defined = {t["id"] for t in ds.topics}
    for m in ds.meetings:
        assert set(m["topics"]) <= defined, m["id"]


def test_dates_agree_with_years_and_stated_weekdays(ds):
    pattern = re.compile(
        rf"\b({'|'.join(WEEKDAYS)}) (\d{{1,2}}) ({'|'.join(MONTHS)})\b", re.IGNORECASE
    )
    checked = 0
    for m in ds.meetings:
        if m["date"]:
            assert int(m["date"][:4]) == m["year"], m["id"]
        for weekday, day, month in pattern.findall(" ".join(meeting_texts(m))):
            assert m["year"], f"{m['id']} states a weekday but has no year"
            date = dt.date(m["year"], MONTHS.index(month.lower()) + 1, int(day))
            assert WEEKDAYS[date.weekday()] == weekday.lower(), (m["id"], weekday, date)
            checked += 1
    assert checked >= 4  # 2023, 2008, and both days of 2007 in Maastricht, 2007 in April


def test_inferred_dates_carry_their_reasoning(ds):
    inferred = [m for m in ds.meetings if m["date_inferred"]]
    assert len(inferred) >= 10
    for m in inferred:
        assert m["date_note"] and len(m["date_note"]) > 80, m["id"]


def test_nothing_invented_where_the_source_is_silent(ds):
    by_id = {m["id"]: m for m in ds.meetings}
    assert by_id["2007-jeugd-en-veiligheid"]["city"] is None
    assert by_id["marokkaans-nederlandse-jongeren"]["city"] is None
    assert by_id["marokkaans-nederlandse-jongeren"]["year"] is None
    assert by_id["2020-corona-online"]["date"] is None
    assert by_id["2017-emmen"]["date"] is None


def test_collection_introduction_is_at_the_top_level(ds):
    assert "elke keer in een andere stad" in " ".join(ds.collection["introduction"])


def source_units() -> list[str]:
    """Every content line of the source page, markup and list markers removed."""
    units = []
    for line in SOURCE.read_text(encoding="utf-8").splitlines():
        line = re.sub(r"<[^>]*>", "", line)
        line = normalise(line)
        line = re.sub(r"^(•|\d+\.)\s+", "", line)
        if line and line not in CHROME:
            units.append(line)
    return units


def sentences(unit: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?:])\s+", unit) if s.strip()]


def missing_sentences(text: str, besides: str = "") -> list[str]:
    """The sentences of the source page found neither in ``text`` nor in ``besides``
    (what an export leaves out on purpose), both compared as ``normalise`` leaves them."""
    text, besides = normalise(text), normalise(besides)
    return [
        s for unit in source_units() for s in sentences(unit) if s not in text and s not in besides
    ]


def collection_text() -> str:
    """The page's own title and introduction: the collection's, not a verslag's."""
    data = store.parse_and_validate(
        store.data_source(REPO / "data" / "reports.yaml"), "reports.yaml"
    )
    return " \n ".join([data["collection"]["title"], *data["collection"]["introduction"]])


def test_every_content_sentence_of_the_source_is_in_the_dataset(ds):
    text = all_text(ds)
    missing = [s for unit in source_units() for s in sentences(unit) if s not in text]
    assert not missing, f"{len(missing)} sentences missing, e.g. {missing[:5]}"


def test_fidelity_check_can_fail(ds):
    # Dropping one bullet must make a sentence go missing.
    meeting = ds.meetings[0]
    block = next(b for s in meeting["sections"] for b in s["blocks"] if "bullets" in b)
    removed = block["bullets"].pop()
    try:
        text = all_text(ds)
        assert any(s not in text for unit in source_units() for s in sentences(unit))
    finally:
        block["bullets"].append(removed)


def test_no_page_chrome_in_the_dataset(ds):
    text = all_text(ds)
    assert "Ga naar de inhoud" not in text
    assert "Skyline van een stad" not in text
    assert "<h4" not in text and "BasistekstCCV" not in text
    assert "Martijn Groot Nibbelink (VNG)" in text


def test_files_announced_where_the_page_had_them(ds):
    by_id = {m["id"]: m for m in ds.meetings}
    assert by_id["2015-leeuwarden"]["files_announced"] is True
    assert by_id["2023-nijmegen"]["files_announced"] is False
    assert sum(m["files_announced"] for m in ds.meetings) == 14


# Whole words that are English and not Dutch. ("was" is Dutch as well: "16 maart 2023 was
# een donderdag".) Quotes from the page are left out of the check: they are the page's.
ENGLISH = re.compile(r"\b(the|and|stated|inferred|between|which|meeting|page)\b", re.IGNORECASE)


def english_words(note: str) -> list[str]:
    return ENGLISH.findall(re.sub(r'"[^"]*"', "", note))


def curators_notes(ds) -> list[tuple[str, str]]:
    out = [(m["id"], m["date_note"]) for m in ds.meetings if m["date_note"]]
    return out + [(m["id"], note) for m in ds.meetings for note in m["notes"]]


def test_the_curators_notes_are_dutch(ds):
    notes = curators_notes(ds)
    assert len(notes) >= 18 + 10
    english = [(mid, words) for mid, note in notes if (words := english_words(note))]
    assert not english, english


def test_the_english_check_can_fail(ds):
    for m in ds.meetings:
        for note in [m["date_note_en"], *m["notes_en"]]:
            if note:
                assert english_words(note), (m["id"], note)


def test_every_note_has_its_english_beside_it(ds):
    for m in ds.meetings:
        assert bool(m["date_note"]) == bool(m["date_note_en"]), m["id"]
        assert len(m["notes_en"]) == len(m["notes"]), m["id"]
        assert all(n.strip() for n in m["notes_en"]), m["id"]


def test_quotes_from_the_page_are_the_same_in_both_languages(ds):
    for m in ds.meetings:
        pairs = [(m["date_note"] or "", m["date_note_en"] or ""), *zip(m["notes"], m["notes_en"])]
        for dutch, english in pairs:
            quotes = re.findall(r'"[^"]*"', english)
            assert re.findall(r'"[^"]*"', dutch) == quotes, m["id"]
            assert sorted(re.findall(r"\d+", dutch)) == sorted(re.findall(r"\d+", english)), m["id"]
