"""BibTeX read back by a BibTeX parser: every field of every entry says what the data says."""

from __future__ import annotations

import bibtexparser
import pytest
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

from ngs_cli import query, store

from .conftest import REPO

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
