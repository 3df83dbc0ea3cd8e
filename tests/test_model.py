"""The record model and its validation: every problem reported; the committed schema current."""

from __future__ import annotations

import json

import jsonschema

from ngs_cli.validate import json_schema, validate
from ngs_cli.yamlio import parse

from .conftest import MINI, REPO


def _mini() -> dict:
    return parse(MINI.read_text(encoding="utf-8"), "mini")


def test_committed_schema_matches_the_model():
    committed = json.loads((REPO / "docs" / "reports.schema.json").read_text(encoding="utf-8"))
    assert committed == json_schema(), (
        "docs/reports.schema.json is behind the model: "
        "run `python -m ngs_cli.validate > docs/reports.schema.json`"
    )


def test_schema_is_valid_json_schema_and_accepts_the_fixture():
    schema = json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(_mini(), schema)


def test_yaml_first_line_points_editors_at_the_schema():
    first = (REPO / "data" / "reports.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../docs/reports.schema.json"
    assert (REPO / "data" / first.split("=", 1)[1]).resolve() == (
        REPO / "docs" / "reports.schema.json"
    ).resolve()


def test_valid_data_has_defaults_filled_in():
    data, problems = validate(_mini())
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
    _, problems = validate(data)
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
    _, problems = validate(data)
    messages = " | ".join(f"{p}: {m}" for p, m in problems)
    assert "contradicts year 2021" in messages
    assert "duplicate id '2021-utrecht'" in messages
    assert "'nonexistent' is not defined" in messages
    assert "inferred date needs a note" in messages


def test_nul_characters_are_refused():
    data = _mini()
    data["meetings"][0]["sections"][0]["blocks"][0]["paragraph"] = "tekst\x00"
    _, problems = validate(data)
    assert [m for _, m in problems] == ["contains a NUL character"]


def test_invalid_calendar_date_is_caught():
    data = _mini()
    data["meetings"][0]["date"] = "2021-02-30"
    _, problems = validate(data)
    assert any("not a valid date" in m for _, m in problems)


def test_blocks_must_be_one_of_the_known_kinds():
    data = _mini()
    data["meetings"][0]["sections"][0]["blocks"].append({"table": ["x"]})
    _, problems = validate(data)
    assert problems and problems[0][0][:4] == ("meetings", 0, "sections", 0)


def test_yaml_dates_stay_strings():
    assert parse("d: 2023-03-16\n", "x") == {"d": "2023-03-16"}


def test_an_id_cannot_end_in_a_newline():
    data = _mini()
    data["meetings"][0]["id"] = "2021-utrecht\n"
    data["topics"][0]["id"] = data["topics"][0]["id"] + "\n"
    _, problems = validate(data)
    where = {p for p, _ in problems}
    assert ("meetings", 0, "id") in where and ("topics", 0, "id") in where


def test_blank_text_is_empty_text():
    data = _mini()
    data["meetings"][0]["title"] = "   "
    _, problems = validate(data)
    assert problems == [(("meetings", 0, "title"), "must not be empty")]


def test_a_lone_english_date_note_is_refused():
    data = _mini()
    data["meetings"][0].pop("date_note", None)
    data["meetings"][0]["date_note_en"] = "Stated: the Thursday."
    _, problems = validate(data)
    assert problems == [
        (
            ("meetings", 0, "date_note"),
            "missing while date_note_en is set: the note goes in date_note",
        )
    ]
    data["meetings"][0]["date_note"] = "Vermeld: de donderdag."
    assert validate(data)[1] == []


def test_english_notes_translate_the_notes_item_for_item():
    data = _mini()
    data["meetings"][0]["notes"] = ["Eén.", "Twee."]
    data["meetings"][0]["notes_en"] = ["One."]
    _, problems = validate(data)
    assert problems == [(("meetings", 0, "notes_en"), "has 1 items but notes has 2")]
    data["meetings"][0]["notes_en"] = ["One.", "Two."]
    assert validate(data)[1] == []
    data["meetings"][1]["notes_en"] = ["English without a note."]
    assert [p for p, _ in validate(data)[1]] == [("meetings", 1, "notes_en")]
