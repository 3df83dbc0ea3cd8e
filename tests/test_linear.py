"""No input makes text processing slow: the work grows with the input, not its square.

Each case is run at two sizes, eight times apart; linear work takes about eight times
as long, work that grows as the square sixty-four times. The factor allowed is generous
(see ``GROWTH``), and the smaller size is large enough that a square shows.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable

import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from ngs_cli import text
from ngs_cli.curation.draft import DraftError, draft_meeting
from ngs_cli.curation.pagecheck import PageError, check_page
from ngs_cli.search import marked_spans

from .conftest import REPO, examples

pytestmark = pytest.mark.slow

SMALL, LARGE = 12_500, 100_000  # characters: the large one is the 100 KB of hostile input
GROWTH = 24  # allowed growth from SMALL to LARGE: 8 if linear, 64 as the square
FLOOR = 0.003  # seconds: below this the clock's noise is larger than the work

TOPICS = yaml.safe_load((REPO / "data" / "reports.yaml").read_text(encoding="utf-8"))["topics"]
DATA = yaml.safe_load((REPO / "tests" / "fixtures" / "mini.yaml").read_text(encoding="utf-8"))


def draft(document: str) -> None:
    with contextlib.suppress(DraftError):
        draft_meeting(document, topics=TOPICS)


def page(document: str) -> None:
    with contextlib.suppress(PageError):
        check_page(document, DATA)


def cost(work: Callable[[str], object], document: str) -> float:
    """The least processor time of two runs."""
    best = float("inf")
    for _ in range(2):
        start = time.process_time()
        work(document)
        best = min(best, time.process_time() - start)
    return best


def assert_linear(work: Callable[[str], object], make: Callable[[int], str]) -> None:
    small, large = cost(work, make(SMALL)), cost(work, make(LARGE))
    assert large <= GROWTH * max(small, FLOOR), f"{small:.4f}s, then {large:.4f}s"


def repeated(phrase: str, size: int) -> str:
    return phrase * (size // len(phrase))


def sentence(phrase: str) -> Callable[[int], str]:
    """One sentence about the meeting that says the phrase over and over."""
    return lambda size: "De bijeenkomst " + repeated(phrase, size) + "."


def html(tail: str) -> Callable[[int], str]:
    """A saved page that goes on with the tail over and over."""
    return lambda size: "<!DOCTYPE html><html><body><p>Tekst.</p>" + repeated(tail, size)


HOSTILE = {
    "a line of <": lambda size: "<" * size,
    "stray tags never closed": lambda size: "Tekst " + repeated("<a ", size),
    "stond de ... (never centraal)": sentence("stond de veiligheid "),
    "door Name, (a programme of one)": lambda size: (
        "Programma:\n\n • " + repeated("door Jan Jansen, ", size)
    ),
    "in City in City": sentence("in De Balie in Utrecht "),
    "dates without a month": sentence("op donderdag 12 en "),
    "names and particles": sentence("Burgemeester Jan van der "),
    "people in running text": sentence("door onder meer Jan Jansen, lid van het COA en "),
    "a description never ended": sentence("door Jan Jansen, lid door Piet Pietersen "),
    "mayors of cities": sentence("burgemeester Crone van Leeuwarden en "),
    "years of other things": sentence("het rapport uit 2019 en sinds 2015 "),
    "cities in passing": sentence("de rellen in Rotterdam en "),
    "20,000 unclosed <style>": html("<style>"),
    "unclosed comments": html("<!--"),
    "unclosed start tags": html("<a "),
    "unclosed hidden blocks": html("<div hidden>"),
    "blocks nested without end": html("<div>a"),
    "blocks nested 500 deep, over and over": html("<div>" * 500 + "a" + "</div>" * 500),
    "formatting a browser reopens in each block": lambda size: (
        "<body>" + "".join(f"<b id={n}><p>x " for n in range(size // 14))
    ),
    "lists in list items": html("<ul><li>x"),
    # HTML's adoption: the formatting in an element its end tag closes opens again.
    "formatting misnested": html("<font color=red><i><u>x</font>\n"),
    "a block in formatting ended": html("<b>x<div>y</b>\n"),
    "a link in a link, around lists": html("<b></span><u><ul><li><a href=x><ul><li></u>"),
    "rows out of a table": html("<ul><li></u><h2><tr>x"),
    "paragraphs around tables": html("<p><table><tr><td><div>x"),
    "unclosed comments after a tag": html("<><!--"),
    "paragraphs never closed": html("<p>a "),
    "entities": html("&amp;&#"),
    # The depth scan reads "<p>x</p>" as one token: pages where that try fails each time.
    "elements whose end tag never ends": html("<p>a</p"),
    "elements ended by another": html("<p>x</pre>"),
    "elements with text that never ends": html("<p title=x>aaaa aaaa "),
    "new verslagen between known ones": lambda size: repeated(
        "De nationale politie zet extra capaciteit in.\nEen zin die nergens staat.\nBestanden\n",
        size,
    ),
}


@pytest.mark.parametrize("make", HOSTILE.values(), ids=list(HOSTILE))
@pytest.mark.parametrize("work", [draft, page], ids=["draft", "validate --source"])
def test_hostile_text_takes_linear_time(work, make):
    assert_linear(work, make)


@pytest.mark.parametrize(
    "work",
    [text.sentences, text.md_text, text.fold, text.fold_for_index, text.one_line, marked_spans],
    ids=lambda f: f.__name__,
)
@pytest.mark.parametrize(
    "make",
    [HOSTILE["a line of <"], sentence("Dr. A. ‘x’ http://www. "), sentence("\ue000a\ue001 ß ı ")],
    ids=["<", "punctuation", "marks"],
)
def test_text_helpers_take_linear_time(work, make):
    assert_linear(work, make)


def wrapped(document: str) -> None:
    text.wrap(document, 80, "  • ", "    ")


@pytest.mark.parametrize(
    "make",
    [lambda size: "x" * size, lambda size: "begin " + "\u202e" * size, sentence("woord ")],
    ids=["one long word", "a word of bidi marks", "words"],
)
def test_wrapping_takes_linear_time(make):
    # show and the draft's comments wrap text: a word longer than a line is cut into
    # pieces, which the standard library does in time that grows as its square.
    assert_linear(wrapped, lambda size: make(size * 20))


# The pieces a hostile text is made of: markup, punctuation, and the words the readers
# look for (names, roles, places, dates, counts, themes).
PIECES = st.sampled_from(
    ["<", ">", "</", "<!--", "-->", "<p>", "<style>", "&amp;", "&", "(", ")", ", ", ". ", ":",
     "\n", "\n\n", " • ", "1. ", "door ", "Jan ", "van ", "de ", "Burgemeester ", "in ",
     "Utrecht ", "op ", "12 ", "maart ", "2019 ", "ruim ", "dertig ", "deelnemers ",
     "stond ", "centraal ", "thema ", "was ", "het ", "en ", "‘", "’", "bij ", "a"]
)  # fmt: skip


@settings(max_examples=examples(8), deadline=None)
@given(st.lists(PIECES, min_size=1, max_size=6).map("".join))
@example("<><!--")  # every unclosed comment made html.parser look to the page's end
def test_any_phrase_said_over_and_over_takes_linear_time(phrase):
    assert_linear(draft, lambda size: repeated(phrase, size))
    assert_linear(page, lambda size: "<html><body>" + repeated(phrase, size))
