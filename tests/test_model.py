"""The record model: validation reports every problem; the committed schema is current."""

from __future__ import annotations

import json

import jsonschema

from ngs_cli import model
from ngs_cli.yamlio import parse

from .conftest import MINI, REPO


def _mini() -> dict:
    data, _ = parse(MINI.read_text(encoding="utf-8"), "mini")
    return data


def test_committed_schema_matches_the_model():
    committed = json.loads((REPO / "docs" / "reports.schema.json").read_text(encoding="utf-8"))
    assert committed == model.json_schema(), (
        "docs/reports.schema.json is behind the model: "
        "run `python -m ngs_cli.model > docs/reports.schema.json`"
    )


def test_schema_is_valid_json_schema_and_accepts_the_fixture():
    schema = model.json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(_mini(), schema)


def test_yaml_first_line_points_editors_at_the_schema():
    first = (REPO / "data" / "reports.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../docs/reports.schema.json"
    assert (REPO / "data" / first.split("=", 1)[1]).resolve() == (
        REPO / "docs" / "reports.schema.json"
    ).resolve()


def test_valid_data_has_defaults_filled_in():
    data, problems = model.validate(_mini())
    assert problems == []
    unknown = data["meetings"][3]
    assert unknown["city"] is None and unknown["topics"] == [] and unknown["people"] == []
    assert unknown["sections"][0]["level"] == 2


def test_every_problem_is_reported_at_once():
    data = _mini()
    data["meetings"][0]["title"] = 42
    del data["meetings"][1]["sections"]
    data["meetings"][2]["year"] = "2019"
    data["meetings"][2]["colour"] = "red"
    _, problems = model.validate(data)
    where = {p for p, _ in problems}
    assert ("meetings", 0, "title") in where
    assert ("meetings", 1, "sections") in where
    assert ("meetings", 2, "year") in where
    assert ("meetings", 2, "colour") in where
    assert len(problems) == 4


def test_rules_between_fields():
    data = _mini()
    data["meetings"][0]["date"] = "2020-11-18"  # contradicts year 2021
    data["meetings"][1]["id"] = "2021-utrecht"  # duplicate
    data["meetings"][2]["topics"] = ["nonexistent"]
    data["meetings"][2]["date_inferred"] = True  # without a date_note
    _, problems = model.validate(data)
    messages = " | ".join(f"{p}: {m}" for p, m in problems)
    assert "contradicts year 2021" in messages
    assert "duplicate id '2021-utrecht'" in messages
    assert "'nonexistent' is not defined" in messages
    assert "inferred date needs a note" in messages


def test_nul_characters_are_refused():
    data = _mini()
    data["meetings"][0]["sections"][0]["blocks"][0]["paragraph"] = "tekst\x00"
    _, problems = model.validate(data)
    assert [m for _, m in problems] == ["contains a NUL character"]


def test_invalid_calendar_date_is_caught():
    data = _mini()
    data["meetings"][0]["date"] = "2021-02-30"
    _, problems = model.validate(data)
    assert any("not a valid date" in m for _, m in problems)


def test_blocks_must_be_one_of_the_known_kinds():
    data = _mini()
    data["meetings"][0]["sections"][0]["blocks"].append({"table": ["x"]})
    _, problems = model.validate(data)
    assert problems and problems[0][0][:4] == ("meetings", 0, "sections", 0)


def test_yaml_dates_stay_strings():
    data, _ = parse("d: 2023-03-16\n", "x")
    assert data == {"d": "2023-03-16"}
