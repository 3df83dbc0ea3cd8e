"""Property-based tests: any valid record renders and exports; any input is handled."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from ngs_cli import dataset, export, model, query, render
from ngs_cli.cli import app

SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

text = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    min_size=1,
    max_size=40,
).filter(lambda s: s.strip())
maybe_text = st.none() | text
slug = st.from_regex(r"\A[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,2}\Z")
person = st.fixed_dictionaries({"name": text, "role": maybe_text, "organisation": maybe_text})
item = text | st.fixed_dictionaries({"text": text, "bullets": st.lists(text, max_size=3)})
block = st.one_of(
    st.fixed_dictionaries({"paragraph": text}),
    st.fixed_dictionaries({"bullets": st.lists(item, min_size=1, max_size=3)}),
    st.fixed_dictionaries({"numbered": st.lists(item, min_size=1, max_size=3)}),
)
section = st.fixed_dictionaries(
    {
        "heading": maybe_text,
        "level": st.sampled_from([2, 3]),
        "speakers": st.lists(text, max_size=2),
        "blocks": st.lists(block, max_size=3),
    }
)


@st.composite
def meeting(draw, mid: str) -> dict:
    year = draw(st.none() | st.integers(1990, 2030))
    record = {
        "id": mid,
        "title": draw(text),
        "year": year,
        "date_precision": "unknown" if year is None else "year",
    }
    if year is not None and draw(st.booleans()):
        record["date"] = f"{year}-{draw(st.integers(1, 12)):02d}-{draw(st.integers(1, 28)):02d}"
        record["date_precision"] = "day"
    record.update(
        {
            "city": draw(maybe_text),
            "venue": draw(maybe_text),
            "themes": draw(st.lists(text, max_size=3)),
            "people": draw(st.lists(person, max_size=3)),
            "programme": draw(
                st.lists(
                    st.fixed_dictionaries(
                        {"title": text, "speakers": st.lists(person, max_size=2)}
                    ),
                    max_size=2,
                )
            ),
            "sections": draw(st.lists(section, min_size=1, max_size=3)),
            "notes": draw(st.lists(text, max_size=2)),
        }
    )
    return record


@st.composite
def datasets(draw) -> dict:
    ids = draw(st.lists(slug, min_size=1, max_size=4, unique=True))
    return {
        "schema_version": 1,
        "collection": {"title": draw(text)},
        "topics": [],
        "meetings": [draw(meeting(i)) for i in ids],
    }


def as_dataset(raw: dict) -> dataset.Dataset:
    data, problems = model.validate(raw)
    assert problems == []
    return dataset.Dataset(Path("generated.yaml"), data)


@SETTINGS
@given(datasets())
def test_valid_records_always_render(raw):
    ds = as_dataset(raw)
    for m in ds.meetings:
        out = io.StringIO()
        export.write_meeting_text(out, ds, m)
        render.show_meeting(out, ds, m, render.Style(True))
        assert m["id"] in out.getvalue()
        assert "\x1b" not in export.meeting_markdown(ds, m)
    out = io.StringIO()
    render.meetings_table(out, ds.meetings, render.Style(True))
    render.timeline_view(out, ds, query.timeline(ds, ds.meetings), None, render.Style(True))
    export.write_markdown(out, ds, ds.meetings)


@SETTINGS
@given(datasets())
def test_csv_reads_back_to_the_same_values(raw):
    ds = as_dataset(raw)
    out = io.StringIO(newline="")
    export.write_csv(out, ds.meetings)
    rows = list(csv.DictReader(io.StringIO(out.getvalue(), newline="")))
    assert len(rows) == len(ds.meetings)
    for row, m in zip(rows, ds.meetings):
        assert row["title"] == m["title"]
        assert row["city"] == (m["city"] or "")
        assert row["themes"] == "; ".join(m["themes"])
        assert row["year"] == ("" if m["year"] is None else str(m["year"]))


@SETTINGS
@given(datasets())
def test_json_round_trips(raw):
    ds = as_dataset(raw)
    out = io.StringIO()
    export.write_json(out, ds.meetings)
    assert json.loads(out.getvalue()) == ds.meetings


@SETTINGS
@given(st.text(max_size=30))
def test_random_refs_filters_and_queries_never_raise(value):
    ds = dataset.load(Path(__file__).parent / "fixtures" / "mini.yaml", use_cache=False)
    query.resolve_ref(ds, value)
    query.find_meetings(ds, query.Filters(themes=[value], cities=[value], speakers=[value]))
    query.search(ds, value)
    query.did_you_mean(value, query.known_values(ds, "ref"))
    query.people_index(ds, value)


@SETTINGS
@given(
    st.text(
        st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
        min_size=1,
        max_size=20,
    )
)
def test_random_user_input_on_the_command_line_never_tracebacks(value):
    runner = CliRunner()
    for args in (
        ["show", value],
        ["search", value],
        ["list", "--city", value],
        ["list", "--theme", value],
        ["people", value],
        ["list", "--since", value],
        ["list", "--year", value],
    ):
        result = runner.invoke(app, args, catch_exceptions=False, prog_name="ngs")
        assert result.exit_code in (0, 1, 2), (args, result.stderr)
        assert "Traceback" not in result.stderr
