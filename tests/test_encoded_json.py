"""JSON assembled by the database (``list --format json`` and ``ndjson`` in a pipe) is,
byte for byte, what json.dumps writes of the same summaries."""

from __future__ import annotations

import copy

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ngs_cli import query, store, summary
from ngs_cli.text import json_encoder

from .conftest import MINI, examples

FIELDS = summary.CSV_COLUMNS


@pytest.fixture(scope="module")
def dataset():
    return store.parse_and_validate(MINI.read_bytes(), str(MINI))


def python_and_database(data, fields, compact):
    s = store.open_records(data)
    separators = (",", ":") if compact else (", ", ": ")
    encode = json_encoder(separators=separators)
    records = query.iter_meetings(s, only=summary.SUMMARY_SOURCES)
    expected = [encode({f: summary.summary(m)[f] for f in fields}) for m in records]
    return expected, list(query.iter_summary_json(s, None, fields, compact=compact))


@pytest.mark.parametrize("compact", [False, True])
def test_every_field_of_the_data_file_as_json_dumps_writes_it(dataset, compact):
    expected, assembled = python_and_database(dataset, FIELDS, compact)
    assert assembled == expected


# Any text a data file can hold (it holds no NUL: validation refuses one).
TEXT = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=8)


@settings(max_examples=examples(25), deadline=None)
@given(TEXT, TEXT, st.lists(TEXT, max_size=3), st.booleans(), st.booleans())
def test_any_text_as_json_dumps_writes_it(dataset, title, city, themes, flag, compact):
    data = copy.deepcopy(dataset)
    meeting = data["meetings"][0]
    meeting.update(title=title, city=city or None, themes=themes, date_inferred=flag)
    fields = ["title", "city", "themes", "date_inferred", "participants", "people", "year"]
    expected, assembled = python_and_database(data, fields, compact)
    assert assembled == expected
