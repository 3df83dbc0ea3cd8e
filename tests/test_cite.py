"""BibTeX read back by a BibTeX parser: every field of every entry says what the data says."""

from __future__ import annotations

import copy
import os
import shutil
import subprocess

import bibtexparser
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

from ngs_cli import cite, query, store

from .conftest import FIXTURES, REPO, examples, write

MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
# What LaTeX prints for the text commands of the escaping (pylatexenc drops the braces
# and prints a modifier letter for the circumflex).
LATEX_TEXT = get_default_latex_context_db()
LATEX_TEXT.add_context_category(
    "ngs",
    prepend=True,
    macros=[
        MacroTextSpec("textbraceleft", "{"),
        MacroTextSpec("textbraceright", "}"),
        MacroTextSpec("textasciicircum", "^"),
    ],
)


def as_text(value: str) -> str:
    """A field's value as the typeset text: LaTeX decoded, its grouping braces gone."""
    text = LatexNodes2Text(latex_context=LATEX_TEXT, math_mode="verbatim").latex_to_text(value)
    return " ".join(text.split())


def parse(entry: str):
    """The one entry of ``entry``, parsed; its fields by name."""
    library = bibtexparser.parse_string(entry)
    assert not library.failed_blocks, entry
    (parsed,) = library.entries
    return parsed, {f.key: f for f in parsed.fields}


def expected_note(m) -> str | None:
    notes = []
    if m["date_inferred"] and m["year"] is not None:
        notes.append("Year inferred, not stated in the source")
    if m["year"] is None:
        notes.append("Year unknown")
    if m["date_precision"] == "season" and m["season"]:
        notes.append(f"Held in the {m['season']} of {m['year']}")
    return "; ".join(notes) or None


def bundled_meetings():
    return query.find_meetings(store.open_store(REPO / "data" / "reports.yaml", use_cache=False))


@pytest.mark.parametrize("meeting", bundled_meetings(), ids=lambda m: m["id"])
def test_every_bundled_entry_reads_back_as_the_data_says(ngs, bundled, meeting):
    entry = ngs("cite", meeting["id"], "--style", "bibtex").stdout
    parsed, fields = parse(entry)
    assert parsed.entry_type == "misc" and parsed.key == meeting["id"]
    assert as_text(fields["title"].value) == " ".join(meeting["title"].split())
    if meeting["year"] is None:
        assert "year" not in fields
    else:
        assert fields["year"].value == str(meeting["year"])
    if meeting["date"]:
        # The macro, not a string: BibTeX styles print the month in their language.
        assert fields["month"].enclosing == "no-enclosing"
        assert fields["month"].value == MONTHS[int(meeting["date"][5:7]) - 1]
    else:
        assert "month" not in fields
    if meeting["city"]:
        assert as_text(fields["address"].value) == meeting["city"]
        assert as_text(fields["howpublished"].value).endswith(", " + meeting["city"])
    else:
        assert "address" not in fields
    note = expected_note(meeting)
    assert (as_text(fields["note"].value) if "note" in fields else None) == note


HOSTILE = r"{Jeugd} & 100% \veilig\ #1 ~ 2^3 { $x_y$ }} \n"


def test_hostile_characters_in_a_title_read_back_as_they_are(ngs, mini):
    text = mini.read_text(encoding="utf-8")
    text = text.replace("title: Jeugd en veiligheid", f"title: '{HOSTILE}'")
    mini.write_text(text, encoding="utf-8")
    entry = ngs("cite", "2019", "--style", "bibtex", "--data", str(mini)).stdout
    assert r"\textbackslash{}veilig" in entry  # escaped once, not \textbackslash\{\}
    parsed, fields = parse(entry)
    assert as_text(fields["title"].value) == " ".join(HOSTILE.split())
    assert as_text(fields["address"].value) == "Leeuwarden"
    assert fields["month"].value == "apr"


# --- nothing lost -----------------------------------------------------------------------


def record(title: str, city: str | None = "Utrecht", **changes):
    meeting = {"id": "x", "title": title, "city": city, "year": 2020, "date": None,
               "end_date": None, "date_inferred": False, "date_precision": "year",
               "season": None}  # fmt: skip
    return meeting | changes


def test_apa_without_an_author_starts_with_the_title():
    collection = {"title": "Verslagen", "publisher": None, "source_url": "https://e.org/v"}
    for language, date in (("en", "(2020)."), ("nl", "(2020).")):
        reference = cite.apa(record("Jeugd en veiligheid"), collection, language=language)
        assert reference.startswith(
            f"Jeugd en veiligheid [Verslag netwerkdag Netwerk Grote Steden, Utrecht]. {date} "
        ), reference
    with_author = cite.apa(record("Jeugd"), collection | {"publisher": "CCV"})
    assert with_author.startswith("CCV. (2020). Jeugd [")


def pybtex_fields(entry: str) -> dict[str, str]:
    from pybtex.database import parse_string

    (parsed,) = parse_string(entry, "bibtex").entries.values()
    return dict(parsed.fields)


TEX_TEXT = (
    st.lists(st.sampled_from(list("{}\\%&$#_~^@\"'`,.-?!<>=()[] aZé") + ["\\n"]), min_size=1)
    .map("".join)
    .filter(str.strip)
)


@settings(max_examples=examples(300), deadline=None)
@given(title=TEX_TEXT, city=TEX_TEXT)
def test_every_title_and_city_reads_back_exactly_in_both_parsers(title, city):
    entry = cite.bibtex(record(title, city), {"title": "V", "publisher": "P", "source_url": None})
    _parsed, fields = parse(entry)
    by_pybtex = pybtex_fields(entry)
    for name, want in (("title", title), ("address", city)):
        want = " ".join(want.split())
        assert as_text(fields[name].value) == want, entry
        assert as_text(by_pybtex[name]) == want, entry


def test_a_control_character_is_shown_as_its_escape_never_as_a_tex_command():
    from ngs_cli.text import printable

    title = "Jeugd \u202e en \x01 veiligheid"
    entry = cite.bibtex(record(title), {"title": "V"})
    _parsed, fields = parse(entry)
    # As every output shows it (\u202e, visible), and its backslash escaped like any
    # other: no \u or \x command for TeX to read.
    assert as_text(fields["title"].value) == printable(title) == "Jeugd \\u202e en \\x01 veiligheid"
    assert "\\u202e" not in entry.replace("\\textbackslash{}", "")


def test_tex_ligatures_stay_the_characters_they_are():
    entry = cite.bibtex(record("''Jeugd'' -- en ``veilig'' ?`"), {"title": "V"})
    _parsed, fields = parse(entry)
    assert as_text(fields["title"].value) == "''Jeugd'' -- en ``veilig'' ?`"


def test_twins_are_each_other_s_best_related_hit(tmp_path):
    import yaml

    from ngs_cli.search import related_meetings

    data = yaml.safe_load((REPO / "tests" / "fixtures" / "mini.yaml").read_text("utf-8"))
    (one,) = [m for m in data["meetings"] if m["id"] == "2019-leeuwarden"]
    one["topics"], one["people"] = [], []
    twin = copy.deepcopy(one) | {"id": "2019-tweeling"}
    other = next(m for m in data["meetings"] if m["id"] == "2021-online")
    for meetings in ([one, twin], [one, twin, other]):
        data["meetings"] = copy.deepcopy(meetings)
        path = tmp_path / "twins.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        compiled = store.open_store(path, use_cache=False)
        for meeting, expected in (("2019-leeuwarden", "2019-tweeling"),
                                  ("2019-tweeling", "2019-leeuwarden")):  # fmt: skip
            record_ = next(m for m in query.find_meetings(compiled) if m["id"] == meeting)
            hits = related_meetings(compiled, record_)
            assert hits and hits[0].meeting["id"] == expected, (len(meetings), hits)


# --- BibTeX itself ----------------------------------------------------------------------

BIBTEX = shutil.which("bibtex")
needs_bibtex = pytest.mark.skipif(
    BIBTEX is None, reason="no bibtex program (Debian: apt-get install texlive-binaries)"
)


def bibtex_program_fields(entry: str, folder) -> dict[str, str]:
    """The fields of ``entry`` as the bibtex program reads them (tests/fixtures/bibtex/
    fields.bst writes them out), white space runs as one space; fails on any complaint."""
    shutil.copy(FIXTURES / "bibtex" / "fields.bst", folder / "fields.bst")
    (folder / "refs.bib").write_text(entry, encoding="utf-8")
    (folder / "refs.aux").write_text("\\citation{*}\n\\bibstyle{fields}\n\\bibdata{refs}\n")
    env = {**os.environ, "BSTINPUTS": str(folder), "BIBINPUTS": str(folder)}
    r = subprocess.run(
        [BIBTEX, "-terse", "refs"], cwd=folder, capture_output=True, text=True, env=env
    )
    log = (folder / "refs.blg").read_text(encoding="utf-8", errors="replace")
    assert r.returncode == 0 and "Warning" not in log, (entry, r.stdout, log)
    fields = {}
    for chunk in (folder / "refs.bbl").read_text(encoding="utf-8").split("\n%%\n"):
        name, _, value = " ".join(chunk.split()).partition("=")
        if name:
            fields[name] = value
    return fields


def braced_value(entry: str, name: str) -> str:
    """What ``entry`` writes between the braces of its field ``name``."""
    line = next(line for line in entry.splitlines() if line.startswith(f"  {name} = "))
    return line.split(" = ", 1)[1].rstrip(",")[1:-1]


@needs_bibtex
@settings(max_examples=examples(60), deadline=None)
@given(title=TEX_TEXT, city=TEX_TEXT, publisher=TEX_TEXT, source=TEX_TEXT, url=TEX_TEXT)
def test_the_bibtex_program_reads_every_field_as_written(
    tmp_path_factory, title, city, publisher, source, url
):
    collection = {"title": source, "publisher": publisher, "source_url": "https://e.org/" + url}
    meeting = record(title, city, date="2020-03-12", date_inferred=True)
    entry = cite.bibtex(meeting, collection, accessed=__import__("datetime").date(2024, 1, 2))
    fields = bibtex_program_fields(entry, tmp_path_factory.mktemp("bibtex"))
    assert fields.pop("@key") == "x"
    written = {
        name: braced_value(entry, name) for name in fields if name != "month"
    }  # month is a macro: BibTeX gives its expansion
    assert fields.pop("month") == "March"
    assert fields == written
    assert {"author", "title", "address", "publisher", "series", "url", "note"} <= set(fields)


# --- APA ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "start"),
    [
        ("Wat nu...", "Wat nu... [Verslag"),
        ("...", "... [Verslag"),
        ("Dr. Jansen en dr.", "Dr. Jansen en dr. [Verslag"),
        ("Veilig?", "Veilig? [Verslag"),
    ],
)
def test_apa_keeps_a_title_s_own_punctuation(title, start):
    reference = cite.apa(record(title), {"title": "Verslagen", "publisher": "CCV"})
    assert f"(2020). {start}" in reference, reference


@pytest.mark.parametrize("publisher", [None, "", "  ", "\n"])
def test_apa_without_a_publisher_starts_with_the_title_in_both_languages(publisher):
    collection = {"title": "Verslagen.", "publisher": publisher, "source_url": None}
    for language in ("en", "nl"):
        reference = cite.apa(record("Jeugd"), collection, language=language)
        assert reference == (
            "Jeugd [Verslag netwerkdag Netwerk Grote Steden, Utrecht]. (2020). In Verslagen."
        ), reference


def test_apa_in_dutch_writes_a_season_in_lower_case():
    meeting = record("Jeugd", date_precision="season", season="autumn", year=2013)
    collection = {"title": "V", "publisher": "CCV"}
    assert "(2013, najaar)." in cite.apa(meeting, collection, language="nl")
    assert "(2013, Autumn)." in cite.apa(meeting, collection, language="en")


def test_accessed_today_in_either_language(ngs, bundled):
    import datetime

    today = datetime.date.today()
    for word in ("today", "vandaag", "Vandaag"):
        r = ngs("cite", "2023", "--accessed", word, "--style", "csl-json")
        assert r.exit_code == 0, r.stderr
        assert f"[{today.year}, {today.month}, {today.day}]" in r.stdout.replace("\n", "")
    r = ngs("cite", "2023", "--accessed", "morgen", env={"LANGUAGE": "nl"})
    assert r.exit_code == 2 and "gebruik JJJJ-MM-DD of 'vandaag'" in r.stderr, r.stderr


def test_format_on_cite_points_to_style(ngs):
    r = ngs("cite", "2021", "--format", "bibtex")
    assert r.exit_code == 2 and "Did you mean --style?" in r.stderr, r.stderr
    r = ngs("list", "--style", "apa")
    assert r.exit_code == 2 and "Did you mean --format?" in r.stderr, r.stderr


# --- RIS --------------------------------------------------------------------------------


def test_ris_round_trips_through_a_ris_reader_for_every_meeting(ngs):
    import json

    import rispy

    data = ("--data", str(REPO / "data" / "reports.yaml"))
    records = json.loads(ngs("list", *data, "--format", "json").stdout)
    entries = [
        entry
        for r in records
        for entry in rispy.loads(
            ngs("cite", r["id"], *data, "--style", "ris", "--accessed", "2026-11-30").stdout
        )
    ]
    assert len(entries) == len(records) == 18
    publisher = "Centrum voor Criminaliteitspreventie en Veiligheid (CCV)"
    for record, entry in zip(records, entries):
        assert entry["type_of_reference"] == "RPRT"
        assert entry["id"] == record["id"]
        assert entry["title"] == record["title"]
        assert entry["authors"] == [publisher] and entry["publisher"] == publisher
        assert entry.get("year") == (str(record["year"]) if record["year"] else None)
        assert entry.get("date") == (record["date"].replace("-", "/") if record["date"] else None)
        assert entry.get("place_published") == record["city"]
        assert entry["language"] == "nl"
        assert entry["urls"] == [record["url"]]
        assert entry["tertiary_title"] == "Verslagen Netwerk Grote Steden"
        assert entry["access_date"] == "2026/11/30"


def test_ris_keeps_accents_and_a_value_on_one_line(ngs, mini, tmp_path):
    import rispy

    text = mini.read_text(encoding="utf-8").replace(
        "title: Jeugd en veiligheid", 'title: "Syriëgangers,\\nçà et là — ‘quote’ ER  - x"'
    )
    data = write(tmp_path / "accents.yaml", text)
    out = ngs("cite", "2019-leeuwarden", "--data", str(data), "--style", "ris").stdout
    (entry,) = rispy.loads(out)
    assert entry["title"] == "Syriëgangers, çà et là — ‘quote’ ER - x"
    assert out.count("\nER  - ") == 1
