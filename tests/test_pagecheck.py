"""Checking a saved copy of the page against the data, sentence by sentence, per meeting."""

from __future__ import annotations

import contextlib
import copy
import re

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from ngs_cli.curation import page as reading
from ngs_cli.curation.html_scan import PageTooDeep, scan_markup
from ngs_cli.curation.html_text import html_lines
from ngs_cli.curation.page import CHROME, FILES_MARKERS, clean_line, text_lines
from ngs_cli.curation.pagecheck import PageError, check_page
from ngs_cli.text import sentences
from ngs_cli.verslag import text_places

from .conftest import REPO, SOURCE, examples

BUNDLED = yaml.safe_load((REPO / "data" / "reports.yaml").read_text(encoding="utf-8"))


@pytest.fixture
def data() -> dict:
    return copy.deepcopy(BUNDLED)


@pytest.fixture(scope="module")
def page_lines() -> list[str]:
    return SOURCE.read_text(encoding="utf-8").splitlines()


def meeting(data: dict, meeting_id: str) -> dict:
    return next(m for m in data["meetings"] if m["id"] == meeting_id)


# --- the bundled data and the page ----------------------------------------------------


def test_the_bundled_data_agrees_with_the_page(data, page_lines):
    report = check_page("\n".join(page_lines), data)
    assert report.ok, report.format()
    assert (report.missing, report.gone, report.unassigned) == ([], [], [])
    assert list(report.spans) == [m["id"] for m in data["meetings"]]
    firsts = [first for first, _ in report.spans.values()]
    assert firsts == sorted(firsts)
    assert report.spans["2023-nijmegen"] == (9, 87)
    assert report.spans["2007-jeugd-en-veiligheid"] == (354, 362)
    assert report.format().startswith("The page and the data agree")


def test_a_paragraph_removed_from_the_data_is_named_with_its_page_line(data, page_lines):
    blocks = meeting(data, "2015-utrecht")["sections"][0]["blocks"]
    removed = blocks.pop()["paragraph"]
    report = check_page("\n".join(page_lines), data)
    assert not report.ok
    assert [(f.meeting, f.line) for f in report.missing] == [("2015-utrecht", 205)] * 5
    assert " ".join(f.sentence for f in report.missing) == removed
    assert report.gone == [] and report.unassigned == []
    text = report.format()
    assert "2015-utrecht (page lines 196-205):" in text
    assert 'line 205: not in the data: "De waarde van een plan ligt dan in het' in text


def test_a_bullet_removed_from_the_data_is_named(data, page_lines):
    bullets = meeting(data, "2023-nijmegen")["sections"][2]["blocks"][1]["bullets"]
    bullets.pop(2)
    report = check_page("\n".join(page_lines), data)
    assert [(f.meeting, f.line, f.sentence) for f in report.missing] == [
        ("2023-nijmegen", 31, "Meer investeren in het stille midden."),
        ("2023-nijmegen", 31, "Luister naar de meerderheid en ga doorlopend het gesprek aan."),
    ]


def test_a_paragraph_added_to_the_page_is_named_under_its_meeting(data, page_lines):
    added = "De deelnemers kregen een boek mee. Het was een goede dag."
    lines = [*page_lines[:205], "", added, *page_lines[205:]]
    report = check_page("\n".join(lines), data)
    assert not report.ok
    assert [(f.meeting, f.line, f.sentence) for f in report.missing] == [
        ("2015-utrecht", 207, "De deelnemers kregen een boek mee."),
        ("2015-utrecht", 207, "Het was een goede dag."),
    ]
    assert report.gone == [] and report.unassigned == []
    assert 'line 207: not in the data: "Het was een goede dag."' in report.format()


def test_a_new_verslag_at_the_top_belongs_to_no_meeting(data, page_lines):
    new = [
        "Het thema in 2024 was Jeugd en veiligheid.",
        "",
        "Op donderdag 14 maart kwamen we bijeen in Zwolle.",
        "",
        "Bestanden",
        "",
    ]
    report = check_page("\n".join([*page_lines[:8], *new, *page_lines[8:]]), data)
    assert not report.ok
    assert len(report.unassigned) == 1
    block = report.unassigned[0]
    assert (block.first_line, block.last_line) == (9, 11)
    assert block.sentences == (
        "Het thema in 2024 was Jeugd en veiligheid.",
        "Op donderdag 14 maart kwamen we bijeen in Zwolle.",
    )
    assert report.missing == [] and report.gone == []
    assert report.spans["2023-nijmegen"] == (15, 93)
    assert "no meeting (page lines 9-11)" in report.format()


def test_text_in_the_data_that_the_page_no_longer_has_is_named(data, page_lines):
    bullets = meeting(data, "2012-deventer")["sections"][0]["blocks"][2]["bullets"]
    bullets.append("Cameratoezicht")
    report = check_page("\n".join(page_lines), data)
    assert not report.ok and report.missing == []
    assert [(f.meeting, f.where, f.sentence) for f in report.gone] == [
        ("2012-deventer", "sections[0].blocks[2].bullets[3]", "Cameratoezicht")
    ]
    assert 'sections[0].blocks[2].bullets[3]: not on the page: "Cameratoezicht"' in report.format()


def test_a_word_changed_on_the_page_shows_on_both_sides(data, page_lines):
    lines = list(page_lines)
    assert lines[327] == "Er waren rond de veertig deelnemers uit achttien verschillende steden."
    lines[327] = "Er waren rond de vijftig deelnemers uit achttien verschillende steden."
    report = check_page("\n".join(lines), data)
    assert [(f.meeting, f.line) for f in report.missing] == [("2008-leiden", 328)]
    assert [f.meeting for f in report.gone] == ["2008-leiden"]
    assert "veertig" in report.gone[0].sentence


# --- small pages, everywhere ----------------------------------------------------------

MINI_DATA = {
    "collection": {"title": "Verslagen", "introduction": ["Hier staan de verslagen."]},
    "meetings": [
        {
            "id": "b",
            "sections": [
                {"blocks": [{"paragraph": "Het thema was B. Het was in Zwolle."}]},
                {"heading": "Sprekers", "blocks": [{"bullets": ["Jan de Vries", "Anna Bakker"]}]},
            ],
        },
        {"id": "a", "sections": [{"blocks": [{"paragraph": "Het thema was A."}]}]},
    ],
}
MINI_PAGE = """\
Ga naar de inhoud

Verslagen

Hier staan de verslagen.

Het thema was B. Het was in Zwolle.

Sprekers

 • Jan de Vries
 • Anna Bakker

Bestanden

Het thema was A.

Bestand
"""


@pytest.mark.parametrize(
    ("old", "new", "missing"),
    [
        ("Hier staan de verslagen.", "Hier staan de verslagen. Een zin erbij.", "Een zin erbij."),
        ("Verslagen\n", "Verslagen van het netwerk\n", "Verslagen van het netwerk"),
    ],
)
def test_a_sentence_of_the_introduction_changed_is_the_collection_s(old, new, missing):
    # Not a new verslag: the line's other sentences are the collection's, and so is what
    # stands above its lines.
    page = MINI_PAGE.replace("Hier staan de verslagen.", "Hier staan de verslagen. Ook hier.")
    data = copy.deepcopy(MINI_DATA)
    data["collection"]["introduction"] = ["Hier staan de verslagen. Ook hier."]
    report = check_page(page.replace(old, new), data)
    assert not report.unassigned
    assert [(f.meeting, f.sentence) for f in report.missing] == [(None, missing)]
    assert "collection (page lines 3-5):" in report.format()


def test_a_small_page_agrees_with_its_data_without_defaults():
    report = check_page(MINI_PAGE, MINI_DATA)
    assert report.ok, report.format()
    assert report.spans == {"b": (7, 12), "a": (16, 16)}


def test_a_block_after_a_files_heading_belongs_to_no_meeting():
    page = MINI_PAGE.replace("Bestanden\n", "Bestanden\n\nEen nieuw verslag.\n")
    report = check_page(page, MINI_DATA)
    assert [(b.first_line, b.sentences) for b in report.unassigned] == [
        (16, ("Een nieuw verslag.",))
    ]
    assert report.missing == []


def test_a_saved_pages_list_markers_are_not_its_sentences():
    page = (
        "<html><body><ol><li>Een verslag.</li><li>2. Twee.</li></ol><ul><li>Drie</li></ul>"
        "<p>• Vier.</p><p>•Vijf</p><p>• </p><p>12.</p><p>7. Zes</p><p>Ⅻ zeven</p>"
        "<p>٣ acht</p><p>(negen)</p>"
    )
    report = check_page(page, MINI_DATA)
    # One marker is taken off a line ("2. 2. Twee." keeps one); a numeral that is no
    # digit, or a digit with no period, is no marker.
    expected = ("Een verslag.", "2.", "Twee.", "Drie", "Vier.", "•Vijf", "Zes", "Ⅻ zeven")
    assert [b.sentences for b in report.unassigned] == [(*expected, "٣ acht", "(negen)")]


def test_a_run_of_no_meeting_is_cut_at_a_files_line_between_its_lines():
    page = (
        "<html><body><p>Nieuw een.</p>\n<p>Nieuw twee.</p>\n<p>Bestanden</p>\n"
        "<p>Nieuw drie.</p>\n<p>Nieuw vier.</p><p>Bestanden</p><p>Nieuw vijf.</p>\n"
        "<p>Nieuw zes.</p>\n"
    )
    report = check_page(page, MINI_DATA)
    # A "Bestanden" line on the page line of the blocks around it: the line numbers
    # cannot tell which side they stand on, and the run is not cut there.
    assert [(b.first_line, b.last_line, b.sentences) for b in report.unassigned] == [
        (1, 2, ("Nieuw een.", "Nieuw twee.")),
        (4, 6, ("Nieuw drie.", "Nieuw vier.", "Nieuw vijf.", "Nieuw zes.")),
    ]


def test_a_sentence_within_a_meeting_is_missing_from_that_meeting():
    page = MINI_PAGE.replace(" • Anna Bakker\n", " • Anna Bakker\n • Piet Smit\n")
    report = check_page(page, MINI_DATA)
    assert [(f.meeting, f.line, f.sentence) for f in report.missing] == [("b", 13, "Piet Smit")]
    assert report.unassigned == []


def test_a_sentence_that_only_another_meeting_holds_is_missing_from_its_own():
    data = copy.deepcopy(MINI_DATA)
    data["meetings"][1]["sections"][0]["blocks"].append({"paragraph": "Het was in Zwolle."})
    page = MINI_PAGE.replace("Het thema was A.\n", "Het thema was A.\n\nHet was in Zwolle.\n")
    assert check_page(page, data).ok
    data["meetings"][1]["sections"][0]["blocks"].pop()
    report = check_page(page, data)
    assert [(f.meeting, f.line, f.sentence) for f in report.missing] == [
        ("a", 18, "Het was in Zwolle.")
    ]


def test_the_collection_introduction_is_checked_too():
    data = copy.deepcopy(MINI_DATA)
    data["collection"]["introduction"] = ["Hier staan andere verslagen."]
    report = check_page(MINI_PAGE, data)
    assert [(f.meeting, f.where) for f in report.gone] == [(None, "collection.introduction[0]")]
    # Above the first verslag, a sentence no part of the data holds may start a new one.
    assert [(b.first_line, b.sentences) for b in report.unassigned] == [
        (5, ("Hier staan de verslagen.",))
    ]


def test_the_collection_may_stand_anywhere_on_the_page():
    # Its title within a meeting's lines, its introduction in a block of no meeting
    # (after a "Bestanden" line): both are on the page.
    page = MINI_PAGE.replace("Verslagen\n\nHier staan de verslagen.\n\n", "")
    page = page.replace(" • Anna Bakker\n", " • Anna Bakker\n • Verslagen\n")
    page = page.replace("Bestand\n", "Bestand\n\nHier staan de verslagen. Een nieuw verslag.\n")
    report = check_page(page, MINI_DATA)
    assert report.gone == []
    assert [(f.meeting, f.sentence) for f in report.missing] == [("b", "Verslagen")]
    assert [b.sentences for b in report.unassigned] == [
        ("Hier staan de verslagen.", "Een nieuw verslag.")
    ]


def test_meetings_listed_out_of_the_pages_order_are_still_found():
    data = copy.deepcopy(MINI_DATA)
    data["meetings"].reverse()
    report = check_page(MINI_PAGE, data)
    assert report.ok, report.format()
    assert report.spans == {"b": (7, 12), "a": (16, 16)}


def test_a_saved_html_page_is_read_as_text():
    html = (
        "<!DOCTYPE html><html><head><title>x</title><style>p{}</style></head><body>"
        "<p>Ga naar de inhoud</p><h1>Verslagen</h1><p>Hier staan de verslagen.</p>"
        "<p>Het thema was B. Het was in&nbsp;Zwolle.</p><h4>Sprekers</h4>"
        "<ul><li>Jan de Vries</li><li>Anna Bakker</li></ul><h4>Bestanden</h4>"
        "<p>Het thema was A.</p></body></html>"
    )
    report = check_page(html, MINI_DATA)
    assert report.ok, report.format()


# A saved page with everything a browser does not show as text, and blocks it shows apart.
BROWSER_PAGE = """<!DOCTYPE html>
<html><head><title>Niet getoond.</title>
<script>var s = "<p>Geen tekst.</p>";</script><style>p::before { content: "Ook niet." }</style>
</head><body>
<!-- <p>Een commentaar.</p> -->
<template><p>Een sjabloon.</p></template>
<h1>Verslagen</h1><p>Hier staan de verslagen.</p>
<p hidden>Verborgen tekst.</p><div aria-hidden="true"><p>Voor hulpmiddelen verborgen.</p></div>
<p style="color: red; DISPLAY : none">Onzichtbaar.</p>
<noscript></noscript><p>Het thema was B. Het was
in&nbsp;Zwolle.</p>
<h4>Sprekers</h4>
<table><tr><td>Jan de Vries</td><td>Anna Bakker</td></tr></table>
<h4>Bestanden</h4>
<ul><li>Het thema was A.</li><li>&amp;lt;Geen tag&amp;gt; maar tekst.</li></ul>
<p>Bestand</p>
</body></html>
"""


def test_a_page_is_read_as_a_browser_shows_it():
    report = check_page(BROWSER_PAGE, MINI_DATA)
    # Only the one sentence the data lacks, with its entity decoded once, on its own line.
    assert [(f.sentence, f.line) for f in report.missing] == [("&lt;Geen tag&gt; maar tekst.", 15)]
    assert not report.gone and not report.unassigned, report.format()
    # Line numbers are the saved file's, where each block starts.
    assert report.spans == {"b": (10, 13), "a": (15, 15)}


def test_hidden_blocks_end_where_the_element_ends():
    page = BROWSER_PAGE.replace(
        "<p>Hier staan", "<div hidden><div><p>Weg.</p></div><img hidden></div><p>Hier staan"
    )
    report = check_page(page, MINI_DATA)
    assert [f.sentence for f in report.missing] == ["&lt;Geen tag&gt; maar tekst."]
    assert not report.gone and not report.unassigned, report.format()


@pytest.mark.parametrize(("page", "message"), [("", "empty"), ("  \n", "empty"), ("a\x00b", "NUL")])
def test_a_page_that_is_no_text_is_refused(page, message):
    with pytest.raises(PageError, match=message):
        check_page(page, MINI_DATA)


@pytest.mark.slow
@settings(max_examples=examples(100), deadline=None)
@given(st.text(st.characters(blacklist_characters="\x00")))
def test_any_text_added_to_the_page_is_reported_unless_the_data_holds_it(added):
    report = check_page(f"{MINI_PAGE}\n{added}\n", MINI_DATA)
    held = " " + " ".join(t for m in MINI_DATA["meetings"] for _, t in text_places(m)) + " "
    lines = [clean_line(line) for line in text_lines(added)]
    new = [
        s
        for line in lines
        if line not in CHROME | FILES_MARKERS
        for s in sentences(line)
        if f" {s} " not in held
    ]
    if new:
        assert not report.ok
        assert all(f'"{s}"' in report.format() for s in new)


def test_line_numbers_count_the_line_breaks_an_editor_counts():
    page = MINI_PAGE.replace("\n", "\r\n").replace(" • Anna Bakker", " • Anna\x0cBakker\u2028x")
    report = check_page(page, MINI_DATA)
    assert [(f.line, f.sentence) for f in report.missing] == [(12, "Anna Bakker x")]


def test_the_walk_over_a_verslag_gives_each_text_with_its_place_in_order():
    meeting = {
        "sections": [
            {"heading": "Kop", "blocks": [{"paragraph": "Alinea."}]},
            {"blocks": [
                {"bullets": ["Een.", {"text": "Twee.", "numbered": ["a.", "b."]}]},
                {"numbered": ["Drie."]},
                "geen blok",
            ]},
            "geen sectie",
        ]
    }  # fmt: skip
    assert list(text_places(meeting)) == [
        ("sections[0].heading", "Kop"),
        ("sections[0].blocks[0].paragraph", "Alinea."),
        ("sections[1].blocks[0].bullets[0]", "Een."),
        ("sections[1].blocks[0].bullets[1].text", "Twee."),
        ("sections[1].blocks[0].bullets[1].numbered[0]", "a."),
        ("sections[1].blocks[0].bullets[1].numbered[1]", "b."),
        ("sections[1].blocks[1].numbered[0]", "Drie."),
    ]

    def strings(value, key=None):  # every text under the sections, but names and levels
        if isinstance(value, str):
            return [] if key == "speakers" else [value]
        if isinstance(value, list):
            return [s for v in value for s in strings(v, key)]
        if isinstance(value, dict):
            return [s for k, v in value.items() for s in strings(v, k)]
        return []

    for m in BUNDLED["meetings"]:
        assert [text for _, text in text_places(m)] == strings(m["sections"]), m["id"]


# --- the validate --source command ----------------------------------------------------


def test_validate_source_passes_on_the_bundled_data(ngs, bundled):
    r = ngs("validate", "--source", str(SOURCE))
    assert r.exit_code == 0 and "every sentence of the page is in the data" in r.stdout


def test_validate_source_names_a_sentence_removed_from_the_data(ngs, tmp_path):
    data = (REPO / "data" / "reports.yaml").read_text(encoding="utf-8")
    sentence = "Van de gehele dag is onderstaand verslag gemaakt."
    assert sentence in data
    changed = tmp_path / "changed.yaml"
    changed.write_text(data.replace(sentence, "Iets anders."), encoding="utf-8")
    r = ngs("validate", str(changed), "--source", str(SOURCE))
    assert r.exit_code == 1 and sentence in r.stderr


MARKUP = st.sampled_from(
    ["<", ">", "<!", "<![", "<![CDATA[", "]]>", "<?", "</", "<!--", "-->", "<p hidden>",
     "</p>", "<li>", "<ol>", "</ul>", "<script>", "</script>", "&#", "&#99999999;", "&amp;",
     "a. ", "\n", "<body>", "<!doctype", "<div aria-hidden=true>", "</div>", "<td>", "<a b='"]
)  # fmt: skip


@pytest.mark.slow
@settings(max_examples=examples(300), deadline=None)
@given(st.lists(MARKUP, max_size=30).map("".join))
def test_any_saved_page_is_read_or_refused_never_a_crash(markup):
    with contextlib.suppress(PageError):
        check_page("<html>" + markup, MINI_DATA)


def test_a_declaration_is_a_comment_as_a_browser_reads_it():
    # "<![" outside SVG or MathML starts a bogus comment that runs to the next ">".
    assert html_lines("<html><body><p>Tekst.</p><![<![CDATA[x") == [(1, "Tekst.")]
    assert html_lines("<body><p>Een.</p><![if x]><p>Twee.</p>") == [
        (1, "Een."),
        (1, ""),
        (1, "Twee."),
    ]


# --- a saved page as a browser builds it: lines, depth, what --source names ------------


@pytest.mark.parametrize(
    ("markup", "lines"),
    [
        ("<div>Een<br><p>Twee.</p>Drie</div>", ["Een", "", "Twee.", "", "Drie"]),
        (
            "<ul><li>Een</li><li><p>Twee.</p></li></ul><p>Drie.</p>",
            ["• Een", "", "• Twee.", "", "Drie."],
        ),
        ("<p>Een.</p><p> </p><p>\xa0</p><p>Twee.</p>", ["Een.", "", "Twee."]),
        (
            "<p>Een.</p>\n<p style='visibility: hidden'>Verborgen.</p>\n<p>Twee.</p>",
            ["Een.", "", "Twee."],
        ),
        # Blocks as a browser's own style sheet makes them; a bar's fallback text not shown.
        (
            "Een<center>Midden</center>Twee<hgroup>Kop</hgroup>Drie<search>Zoek</search>Vier"
            "<listing>Lijst</listing><xmp>X</xmp><select><option>A</option><optgroup label=g>"
            "<option>B</option></optgroup></select><meter>5</meter><progress>9%</progress>"
            "Vijf<plaintext>Rest",
            [
                "Een",
                "",
                "Midden",
                "",
                "Twee",
                "",
                "Kop",
                "",
                "Drie",
                "",
                "Zoek",
                "",
                "Vier",
                "",
                "Lijst",
                "",
                "X",
                "",
                "A",
                "",
                "B",
                "",
                "Vijf",
                "",
                "Rest",
            ],
        ),  # fmt: skip
    ],
)
def test_blocks_are_lines_with_a_blank_line_between_them(markup, lines):
    # A block with one text alone in it is read at once (most of a page): after a line
    # that a line break or a list item ended, it still starts after a blank line.
    assert [text for _, text in html_lines("<html><body>" + markup)] == lines


def test_each_block_of_a_page_gets_the_line_it_starts_on():
    # The same first word block after block, a first word written with an entity, and
    # one in letters beyond ASCII: each block its own line, in order.
    blocks = [f"<p>Tekst {c}.</p>" for c in "ABCDEFGHIJKL"]
    blocks += ["<p>Co&ouml;rdinatie van de dag.</p>", "<p>&eacute;&eacute;n twee.</p>"]
    blocks += ["<p>Überall tekst.</p>", "<p>Tekst Z.</p>"]
    page = "<html><body>\n" + "\n".join(blocks)
    lines = [n for n, text in html_lines(page) if text]
    assert lines == list(range(2, 2 + len(blocks)))


# Pieces of a block's text, as written and as shown: the same few words over and over,
# as they are, beside references, in markup, around line breaks.
LINE_PIECES = st.sampled_from(
    [("De", "De"), ("de", "de"), ("in", "in"), ("Vries", "Vries"), (" ", " "), ("\n", " "),
     ("&amp;", "&"), ("&eacute;", "é"), ("é", "é"), ("’s", "’s"),
     ("<b>De</b>", "De"), ("<i>in</i>", "in"), ("<span>", ""), ("<span></span>", "")]
)  # fmt: skip


@pytest.mark.slow
@settings(max_examples=examples(300), deadline=None)
@given(st.lists(st.lists(LINE_PIECES, max_size=12), min_size=1, max_size=12), st.booleans())
def test_a_block_gets_the_line_of_its_first_word(blocks, windows):
    # Each block the line where its first word (ASCII letters, written as they are)
    # stands in the document, however often the blocks before it have that word too;
    # after a reference ("&amp;" is one character of text, five of the document) at
    # worst an earlier line, never a later one. Line breaks "\n", or "\r\n" (``windows``).
    page, expected = "<html><body>\n<p>", []
    for pieces in blocks:
        first = None  # the line of the first piece shown with a letter of ASCII
        for written, shown in pieces:
            if first is None and re.search("[A-Za-z]", shown):
                first = 1 + page.count("\n")
            page += written
        if "".join(shown for _, shown in pieces).strip():
            expected.append(first)  # a block shown: a line, None where it has no word
        page += "</p>\n<p>"
    got = [n for n, text in html_lines(page.replace("\n", "\r\n") if windows else page) if text]
    assert len(got) == len(expected)
    pairs = [(n, want) for n, want in zip(got, expected) if want]
    if "&" in page:
        assert all(n <= want for n, want in pairs)
    else:
        assert [n for n, _ in pairs] == [want for _, want in pairs]


@pytest.mark.parametrize(
    ("blocks", "lines"),
    [
        # A first word that the block before has too, as a word of its own.
        (["<p>Op de dag sprak De Vries over alles.</p>", "<p>De gemeente deed mee.</p>",
          "<p>Vries was er ook.</p>", "<p>over een week.</p>"], [2, 3, 4, 5]),
        # ... after markup, a reference and a line break within the block before.
        (["<p>Een <b>dag</b> met De Vries &amp; De Jong\n in de zaal.</p>",
          "<p>De zaal was vol.</p>", "<li>in de middag</li>", "<h2>zaal</h2>"], [2, 4, 5, 6]),
        # ... where the block's first text has no word, and the word is in markup after it.
        (["<p>De dag.</p>", "<p>“<i>De</i> zaal”</p>"], [2, 3]),
    ],
)  # fmt: skip
def test_a_block_s_first_word_in_the_block_before_it_does_not_take_that_line(blocks, lines):
    page = "<html><body>\n" + "\n".join(blocks)
    assert [n for n, text in html_lines(page) if text] == lines


@pytest.mark.parametrize(
    "before",
    [
        "<!-- Het oude stuk -->",
        "<script>var Het = 1;</script>",
        '<script type="application/ld+json">{"text": "Het is een nieuwe zin."}</script>',
        '<meta name="description" content="Het is een nieuwe zin.">',
        '<img alt="Het is een nieuwe zin." src="x.png">',
        "<title>Het is een nieuwe zin.</title>",
        "<style>p::before { content: 'Het' }</style>",
        "<p hidden>Het is verborgen.</p>",  # not shown, but in the document
        '<div aria-hidden="true"><span>Het</span> icoon</div>',
        "<p style='visibility: hidden'>Het is onzichtbaar.</p>",
        "<div><span style='visibility: hidden'>Het</span></div>",
    ],
)
def test_a_block_s_line_is_not_taken_from_a_tag_a_comment_or_a_script(before):
    page = f"<html><head>{before}</head><body>\n<p>Inleiding.</p>\n{before}\n"
    page += "<p>Het is een nieuwe zin.</p>"
    assert [n for n, text in html_lines(page) if text] == [2, 4]


def test_text_the_tree_moves_takes_its_own_line_and_leaves_the_rest_theirs():
    # Text in a table outside its cells goes before the table, found behind the search.
    tables = "".join(f"<table><tr><td>Cel{n}</td></tr>\nLos{n}</table>\n" for n in range(40))
    rest = "".join(f"<p>Tekst nummer {n}.</p>\n" for n in range(5000))
    lines = html_lines("<html><body>\n" + tables + rest)
    numbers = {text: n for n, text in lines if text}
    assert [numbers[f"Cel{n}"] for n in range(40)] == list(range(2, 82, 2))
    assert [numbers[f"Los{n}"] for n in range(40)] == list(range(3, 83, 2))
    assert [numbers[f"Tekst nummer {n}."] for n in range(5000)] == list(range(82, 5082))


@pytest.mark.parametrize(
    ("first", "between", "then"),
    [
        ("Jaarverslag 2020", '<img src="data:image/png;base64,' + "A" * 5000 + '">', "<p>Ja</p>"),
        ("Delen van de tekst", "<li><svg>" + "<path d='M0 0'/>" * 400 + "</svg>", "Delen</li>"),
        ("Lees meer over de dag", "<svg>" + "<g></g>" * 800 + "</svg>", "<p>Lees meer</p>"),
    ],
    ids=["an image's data", "an icon", "a picture"],
)
def test_a_block_after_much_markup_is_not_taken_for_the_text_before(first, between, then):
    # More than 4 KB of markup between the two: the search looks behind, but not into the
    # text it found last, nor at the middle of a word.
    page = f"<html><body>\n<p>{first}</p>\n{between}\n{then}"
    assert [n for n, text in html_lines(page) if text] == [2, 4]


def test_on_a_page_saved_on_windows_too():
    # "\r\n" is one character of the text, two of the page.
    page = "<html><body>\r\n<p>Zij\r\nwaren\r\nin</p>\r\n<p>in de zaal</p>"
    assert [n for n, text in html_lines(page) if text] == [2, 5]


@pytest.mark.parametrize(
    "markup",
    [
        "<a name=x>punt " * 600,  # links never closed: each closes the one before
        "<h2>Kop<p>tekst" * 600,  # a heading closes the paragraph and heading before
        "<svg>" + '<path d="M0 0"/>' * 600 + "</svg><p>Tekst.",  # closed as they open, in SVG
        "<ul><li>punt" * 3 + "<li>punt" * 600,
        "<table><tr><td>cel" * 100,
        "<h3>Kop</h4><p>tekst</p>" * 600,  # any heading's end tag closes a heading
        "<form><p>x" * 600,  # a form in a form is left out
        "<table><caption>x" * 600,  # a table in a table, not in a cell, ends it
        "<nobr>x" * 600,
        "<svg><![CDATA[x" * 600 + "<p>Tekst.",  # a bogus comment, to the next ">"
        "<b id=1><p>x " * 600,  # a browser keeps three alike to reopen, no more
        "<body><p>x" * 600,  # a second <body> is left out
        "<b><i>x</b>y</i>" * 600,  # the formatting opened again is closed
        "<b><p>x</b></p>" * 600,  # the block stays, the formatting in it ends
        "<p><b>x</p>y</b>" * 600,
        "<tr><td>x</td></tr>" * 600,  # rows and cells out of a table are left out
        "<b><i>x</b>y</i><span>z</span>" * 600,  # opened again late, closed by the next
        "".join(f'<li><a href="/v/{n}">Verslag {n}</li>' for n in range(3000)),  # unclosed
        "".join(f'<p><a name="_Toc{n}">Kop {n}</p>' for n in range(3000)),  # links
    ],
    ids=[
        "links",
        "headings",
        "svg",
        "items",
        "tables",
        "other heading",
        "forms",
        "captions",
        "nobr",
        "cdata",
        "alike",
        "bodies",
        "reopened and closed",
        "block in formatting",
        "formatting in a paragraph",
        "rows out of a table",
        "reopened, closed, then inline",
        "links in items never closed",
        "anchors in paragraphs never closed",
    ],
)
def test_a_page_that_closes_its_elements_as_html_does_is_read(markup):
    assert html_lines("<html><body>" + markup)


@pytest.mark.parametrize(
    "markup",
    ["<div>" * 600, "<b>x" * 600, "<svg><div/>" * 600, "<ul><li>x" * 600,
     "".join(f"<b id={n}><p>x " for n in range(600)), "<b><i>x</b>" * 600,
     "<font color=red><i><u>x</font>" * 600, "<b>x<div>y</b>" * 600,
     "<b></span><u><ul><li><a href=x><ul><li></u>" * 600, "<ul><li></u><h2><tr>x" * 600],
    ids=["div", "b", "svg+div", "lists in items", "formatting reopened", "misnested",
         "misnested three", "a block in formatting", "a link in a link", "rows out of a table"],
)  # fmt: skip
def test_a_page_nested_deeper_than_a_browser_nests_is_refused(ngs, tmp_path, markup):
    page = tmp_path / "diep.html"
    page.write_text("<html><body>\n" + markup, encoding="utf-8")
    r = ngs("validate", "--source", str(page))
    assert r.exit_code == 1 and "every sentence" not in r.stdout, r.stdout
    assert "nests its elements more than 512 deep (at line 2)" in r.stderr, r.stderr
    r = ngs("draft", str(page))
    assert r.exit_code == 1 and "more than 512 deep" in r.stderr, r.stderr
    r = ngs("validate", "--source", str(page), env={"LANGUAGE": "nl"})
    assert "meer dan 512 niveaus diep genest" in r.stderr, r.stderr


def test_a_page_with_more_text_in_a_table_outside_its_cells_than_a_page_has_is_refused(
    ngs, tmp_path
):
    # A browser moves such text before the table, each piece joined to those before it:
    # lexbor copies them whole each time (20,000 pieces: 0.9 s and 760 MB; 40,000: 3 GB).
    page = tmp_path / "tabel.html"
    stray = "<tr><td>cel</td></tr>losse tekst\n"
    for each in (stray, "<tr><td>cel</td></tr><!--c-->losse tekst\n"):
        page.write_text("<html><body>\n<table>" + each * 40_000, encoding="utf-8")
        r = ngs("validate", "--source", str(page))
        assert r.exit_code == 1 and "text in a table outside its cells" in r.stderr, r.stderr
        assert "(at line " in r.stderr
    r = ngs("validate", "--source", str(page), env={"LANGUAGE": "nl"})
    assert "buiten de cellen van een tabel" in r.stderr, r.stderr
    # A few pieces, in many tables each, are read; a space after each of 12,000 rows; and a
    # table of many rows after one piece.
    assert html_lines("<html><body>" + ("<table>" + stray * 3 + "</table>") * 5_000)
    assert html_lines("<html><body><table>" + "<tr><td>x</td></tr>&nbsp;\n" * 12_000)
    assert html_lines("<html><body><table>" + "x" * 5_000 + "<tr><td>cel</td></tr>" * 50_000)


def test_an_element_read_whole_counts_in_the_depth():
    # "<p>x</p>" is read as one token, opened and closed at once. As the 512th element
    # open it is one too many all the same. Where it closes an open paragraph, or ends
    # SVG, it is read a tag at a time: each <span> stays open, and SVG's <g>s are closed.
    deep = "<html><body>" + "<div>" * 510
    with pytest.raises(PageTooDeep):
        scan_markup(deep + "<p>x</p>")
    scan_markup(deep[: -len("<div>")] + "<p>x</p>")
    with pytest.raises(PageTooDeep):
        scan_markup("<html><body>" + "<p>x<p>y</p><span>" * 600)
    scan_markup("<html><body><svg>" + "<g>" * 300 + "<p>x</p>" + "<section>" * 300)
    # A tag name's case is folded as HTML folds it, ASCII only: "</dİv>" ends no <div>.
    with pytest.raises(PageTooDeep):
        scan_markup("<html><body>" + "<div>x</dİv>" * 600)
    # Such elements one after another are one token too, read a tag at a time from the
    # first that changes something: the 512th element is the run's first, on line 2.
    with pytest.raises(PageTooDeep) as raised:
        scan_markup(deep + "\n<p>x</p>\n<p>y</p>\n<p>z</p>")
    assert raised.value.params["line"] == 2
    scan_markup(deep[: -len("<div>")] + "<p>x</p>\n" * 5000)
    with pytest.raises(PageTooDeep):
        scan_markup("<html><body>" + ("<p>x" + "<p>y</p>\n" * 3 + "<span>") * 600)


def test_source_speaks_of_the_page_it_names(ngs, tmp_path):
    r = ngs("validate", "--source", str(tmp_path))
    assert r.exit_code == 2 and "--source" in r.stderr and "a folder, not a file" in r.stderr
    assert "data file" not in r.stderr and r.stdout == ""
    r = ngs("validate", "--source", "/dev/null")
    assert r.exit_code == 2 and "save the page to a file" in r.stderr, r.stderr
    assert "--data -" not in r.stderr
    latin1 = tmp_path / "pagina.txt"
    latin1.write_bytes("Één verslag.".encode("latin-1"))
    r = ngs("validate", "--source", str(latin1))
    assert r.exit_code == 2 and "not UTF-8 (byte 0xc9 at line 1)" in r.stderr, r.stderr
    assert "the page is not UTF-8" in r.stderr
    broken = tmp_path / "utf16.txt"
    broken.write_bytes("Een.\nTwee.".encode("utf-16") + b"\x00\xd8")  # half a character
    r = ngs("validate", "--source", str(broken))
    assert r.exit_code == 2 and "the page is not UTF-16 (byte 0x00 at line 2)" in r.stderr


@pytest.mark.parametrize(
    ("content", "said"),
    [(b"", "the page is empty"), (b" \n\n", "the page is empty"),
     (b"<p>Een\x00</p>", "the page is not a text file (it contains NUL bytes)")],
)  # fmt: skip
def test_a_page_with_nothing_to_compare_is_refused_before_the_data_is_read(
    ngs, tmp_path, content, said
):
    page = tmp_path / "pagina.html"
    page.write_bytes(content)
    r = ngs("validate", "--source", str(page))
    assert r.exit_code == 2 and f"{page}: {said}." in r.stderr, r.stderr
    assert r.stdout == ""  # no verdict on the data
    r = ngs("check", "--source", "-", input=content.decode())
    assert r.exit_code == 2 and f"standard input: {said}." in r.stderr, r.stderr


def test_a_page_saved_as_utf_16_with_its_byte_order_mark_is_read(ngs, tmp_path):
    page = tmp_path / "pagina.txt"
    page.write_bytes(SOURCE.read_text(encoding="utf-8").encode("utf-16"))  # with a BOM
    r = ngs("validate", "--source", str(page), "--data", str(REPO / "data" / "reports.yaml"))
    assert r.exit_code == 0 and "every sentence of the page is in the data" in r.stdout, r.stderr


def test_source_reads_the_page_from_standard_input(ngs):
    page = SOURCE.read_text(encoding="utf-8")
    r = ngs("validate", "--source", "-", "--data", str(REPO / "data" / "reports.yaml"), input=page)
    assert r.exit_code == 0, r.stderr
    assert "-: every sentence of the page is in the data" in r.stdout
    r = ngs("validate", "--source", "-", "--data", "-", input=page)
    assert r.exit_code == 2 and "both come from standard input" in r.stderr


# --- the page reader against html5lib, the reference of HTML's parsing -----------------

HTML = "{http://www.w3.org/1999/xhtml}"
# Markup of every kind the reader meets, but <select> and <template>, whose parsing the
# HTML standard changed after html5lib's last release (lexbor follows the change).
TREE_MARKUP = st.sampled_from(
    ["<", ">", "<!", "<![", "]]>", "<?", "</", "<!--", "-->", "<p hidden>", "</p>", "<li>",
     "<ol>", "</ul>", "<script>", "</script>", "&#", "&#99999999;", "&amp;", "a. ", "\n",
     "<body>", "<div aria-hidden=true>", "</div>", "<td>", "tekst ", "<br>", "<span hidden>",
     "</span>", "<ul>", "<table>", "<tr>", "<b>", "</b>", "<p>", "<div>", " x ", "<style>",
     "<pre>", "<h2>", "</h2>", "<a>", "</a>", "<head>", "<title>t</title>", "<dl><dt>",
     "<dd>", "<em>", "</em>", "<li hidden>", "<noscript>", "</noscript>"]
)  # fmt: skip


def html5lib_blocks(document: str) -> list[str]:
    """The blocks a browser shows, by the reader's rules, of the tree html5lib builds."""
    import html5lib

    from ngs_cli.curation import html_text as reader
    from ngs_cli.text import normalise_space

    body = html5lib.parse(document).find(f"{HTML}body")
    out: list[str] = []
    parts: list[str] = []
    lists: list[int | None] = []
    marker = [""]

    def flush() -> None:
        text = normalise_space("".join(parts))
        parts.clear()
        if text:
            out.append(marker[0] + text)
            marker[0] = ""

    def walk(element) -> None:
        tag = element.tag.removeprefix(HTML) if isinstance(element.tag, str) else None
        if tag is not None and not (
            tag in reader._NOT_SHOWN or reader._shown(tag, dict(element.attrib)) is False
        ):
            if tag in reader.BLOCKS or tag == "br":
                flush()
            if tag in reader._LISTS:
                lists.append(1 if tag == "ol" else None)
            if tag == "li":
                number = lists[-1] if lists else None
                marker[0] = "• " if number is None else f"{number}. "
                if number is not None:
                    lists[-1] = number + 1
            parts.append(element.text or "")
            for child in element:
                walk(child)
            if tag in reader._LISTS and lists:
                lists.pop()
            if tag in reader.BLOCKS:
                flush()
        parts.append(element.tail or "")

    if body is not None:
        parts.append(body.text or "")
        for child in body:
            walk(child)
    flush()
    return out


@pytest.mark.slow
@settings(max_examples=examples(300), deadline=None)
@given(st.lists(TREE_MARKUP, max_size=30).map("".join))
def test_the_reader_shows_what_html5lib_s_tree_holds(markup):
    # The same blocks, each with the same text (a block's place beside a table may
    # differ: the standard leaves the order of text moved out of a table to the parser).
    document = "<!DOCTYPE html><html>" + markup
    shown = [text for _, text in html_lines(document) if text]
    assert sorted(shown) == sorted(html5lib_blocks(document))


@pytest.mark.parametrize(
    "start",
    ["<article>", " \n<p>", "<DIV class=x>", "<section\n>", "<!-- wp:paragraph -->\n",
     "<span>", "<meta charset=utf-8>"],
)  # fmt: skip
def test_a_part_of_a_page_copied_as_html_is_read_as_html(start):
    part = start + "<p>Jeugd &amp; Veiligheid, OOV&#8217;ers.</p><p>Een\n  zin.</p>\n"
    assert [text for _, text in reading.page_lines(part, PageError)[0] if text] == [
        "Jeugd & Veiligheid, OOV’ers.",
        "Een zin.",
    ]


@pytest.mark.parametrize(
    "text",
    ["Op 9 april.\n\n<p> is een tag.\n", "<p>Op 9 april.\nDe dag.\n",
     "<p>Ga naar de inhoud</p>\nVerslagen\n\nDe dag.\n"],
)  # fmt: skip
def test_text_that_names_or_starts_with_a_tag_is_not_html(text):
    # A part of a page ends with an end tag; a text pasted with a tag at its start does not.
    assert reading.page_lines(text, PageError) == (list(enumerate(text_lines(text), start=1)), True)


def test_markup_a_saved_page_shows_as_text_is_text():
    # "&lt;b&gt;" is "<b>" on the screen: a sentence of the verslag, not a stray tag.
    data = copy.deepcopy(MINI_DATA)
    data["meetings"][1]["sections"][0]["blocks"].append({"paragraph": "Zet <b> niet in een mail."})
    page = (
        "<html><body><p>Verslagen</p><p>Hier staan de verslagen.</p>"
        "<p>Het thema was B. Het was in Zwolle.</p><h2>Sprekers</h2>"
        "<ul><li>Jan de Vries</li><li>Anna Bakker</li></ul><p>Bestanden</p>"
        "<p>Het thema was A.</p><p>Zet &lt;b&gt; niet in een mail.</p>"
    )
    report = check_page(page, data)
    assert report.ok, report.format()
    from ngs_cli.curation.draft import draft_meeting

    draft = draft_meeting(
        "<html><body><p>Het thema was A.</p><p>Zet &lt;b&gt; niet in een mail.</p>", topics=[]
    )
    assert draft.record["sections"][0]["blocks"][1] == {"paragraph": "Zet <b> niet in een mail."}
    assert not any("fragment" in note for note in draft.record.get("notes", []))


@pytest.mark.parametrize(
    ("markup", "shown"),
    [
        ('<p style="display:none; display:block">Later.</p>', ["Later."]),
        ('<div style="visibility:hidden">No.<p style="visibility:visible">Yes.</p></div>',
         ["Yes."]),
        ('<p style="display:nonesuch">Invalid.</p>', ["Invalid."]),
        ('<p style="display:none; display:nonesuch">No.</p>', []),
        ("<p style=\"content:'display:none'\">Quoted.</p>", ["Quoted."]),
        ('<p style="visibility: collapse">No.</p>', []),
        ("<dialog>No.</dialog><dialog open>Open.</dialog>", ["Open."]),
        ("<details><summary>Kop.</summary>No.<p>No.</p></details>", ["Kop."]),
        ("<details open><summary>Kop.</summary>Open.</details>", ["Kop.", "Open."]),
        ("<iframe>No.</iframe><p>Yes.</p>", ["Yes."]),
        ('<p style="display:none !important;display:block">No.</p>', []),
        ('<p style="display:none;display:block none">No.</p>', []),
        ("<p style=\"font-family:'x\\';display:none;'\">Quoted.</p>", ["Quoted."]),
        ('<div style="visibility:hidden"><b style="visibility:initial">Yes.</b></div>', ["Yes."]),
        ('<p hidden style="display:block">Yes.</p>', ["Yes."]),
        ("<video>No.</video><canvas>No.</canvas><textarea>No.</textarea><p>Yes.</p>", ["Yes."]),
        ("<details><summary>Kop.</summary><summary>No.</summary></details>", ["Kop."]),
    ],
    ids=["last display wins", "visible in hidden", "invalid display", "invalid after none",
         "quoted", "collapse", "dialog", "details", "open details", "iframe", "important",
         "two keywords", "escaped quote", "initial", "display over hidden", "players",
         "second summary"],
)  # fmt: skip
def test_what_is_shown_is_what_css_and_html_show(markup, shown):
    assert [text for _, text in html_lines("<html><body>" + markup) if text] == shown


def test_a_hidden_document_shows_nothing():
    assert html_lines("<html hidden><body><p>Tekst.</p>") == []
