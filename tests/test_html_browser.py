"""The HTML export in a real browser: the system's Chromium, driven by Playwright (never
its own downloaded browsers), with axe-core from the npm registry run in the page.

Where Chromium or axe-core is missing these tests skip, naming what is missing; CI
installs both (.ci/run) and fails on a skip. ``NGS_TEST_AXE`` names axe.min.js, else it
is looked for where .ci/run installs it (~/.cache/ngs-test-node).
"""

from __future__ import annotations

import io
import json
import os
import pwd
import re
import shutil
import unicodedata
from pathlib import Path

import pytest

from ngs_cli.text import fold

from .conftest import MINI, REPO, Run
from .test_data import missing_sentences
from .test_html import FIXTURES, HOSTILE

pytestmark = pytest.mark.browser

FOLDING = FIXTURES / "folding-html.yaml"

CHROMIUM = next(filter(None, map(shutil.which, ("chromium", "chromium-browser"))), None)
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Where .ci/run puts axe-core: the user's own cache (the tests' HOME is a temporary one).
AXE_HOME = Path(pwd.getpwuid(os.getuid()).pw_dir) / ".cache" / "ngs-test-node"


def axe_source() -> Path | None:
    named = os.environ.get("NGS_TEST_AXE")
    path = Path(named) if named else AXE_HOME / "node_modules" / "axe-core" / "axe.min.js"
    return path if path.is_file() else None


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        pytest.skip("no Chromium: install Debian's chromium (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install '.[test]'")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def bundled_page(tmp_path_factory) -> Path:
    """The bundled dataset's page, written once for the module."""
    folder = tmp_path_factory.mktemp("page")
    target = folder / "verslagen.html"
    env = {"NGS_DATA": str(REPO / "data" / "reports.yaml"), "NGS_CACHE_DIR": str(folder)}
    r = Run()("export", "-o", str(target), env=env)
    assert r.exit_code == 0, r.stderr
    return target


@pytest.fixture(scope="module")
def records(tmp_path_factory) -> list[dict]:
    """The bundled meetings as JSON, each with the folded text a reader could search."""
    import json

    from ngs_cli.formats.text import verslag_text

    folder = tmp_path_factory.mktemp("records")
    env = {"NGS_DATA": str(REPO / "data" / "reports.yaml"), "NGS_CACHE_DIR": str(folder)}
    r = Run()("export", "--format", "json", env=env)
    assert r.exit_code == 0, r.stderr
    meetings = json.loads(r.stdout)
    for m in meetings:
        m["folded"] = fold(" ".join([m["title"], verslag_text(m)]))
    return meetings


class Page:
    """A page open in Chromium, with everything it asked for and everything it said."""

    def __init__(self, browser, url: str, **context):
        self.context = browser.new_context(**context)
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

        def dialog(d):
            self.dialogs.append(d.message)
            d.dismiss()

        self.page.on("dialog", dialog)
        self.page.goto(url)
        self.page.wait_for_load_state("load")

    def shown(self) -> list[str]:
        """The ids of the meetings shown (on screen), in order."""
        return self.page.eval_on_selector_all(
            "article.verslag",
            "els => els.filter(e => getComputedStyle(e).display !== 'none')"
            ".map(e => e.id.slice(2))",
        )

    def contents(self) -> list[str]:
        return self.page.eval_on_selector_all(
            "#inhoud li",
            "els => els.filter(e => getComputedStyle(e).display !== 'none')"
            ".map(e => e.dataset.id.slice(2))",
        )

    def type(self, text: str) -> None:
        box = self.page.locator("#zoek")
        box.fill("")
        box.press_sequentially(text)

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def open_page(browser):
    opened: list[Page] = []

    def open_(path: Path, fragment: str = "", **context) -> Page:
        page = Page(browser, path.as_uri() + fragment, **context)
        opened.append(page)
        return page

    yield open_
    for page in opened:
        page.close()


def all_ids(records) -> list[str]:
    return [m["id"] for m in records]


def test_the_page_loads_from_its_file_alone_without_an_error(open_page, bundled_page, records):
    p = open_page(bundled_page)
    assert p.requests == [bundled_page.as_uri()]
    assert p.errors == []
    # The text in the page's document (innerText leaves out the verslagen off screen,
    # which the page leaves unrendered until they scroll near: printing shows them all).
    missing = missing_sentences(p.page.text_content("body"))
    assert not missing, f"{len(missing)} sentences missing, e.g. {missing[:5]}"
    titles = p.page.locator("article.verslag h2").all_text_contents()
    assert titles == [m["title"] for m in records] and len(titles) == 18
    assert p.shown() == all_ids(records) == p.contents()
    assert p.page.locator("#aantal").inner_text() == "18 van de 18 bijeenkomsten"
    # Filtering and searching ask for nothing either.
    p.type("carbid")
    p.page.select_option("#stad", "Utrecht")
    assert p.requests == [bundled_page.as_uri()] and p.errors == []


@pytest.mark.parametrize("word", ["carbid", "Syriëgangers", "syriegangers", "SYRIËGANGERS"])
def test_search_narrows_to_the_meetings_that_hold_a_word_and_clearing_restores_all(
    open_page, bundled_page, records, word
):
    p = open_page(bundled_page)
    expected = [m["id"] for m in records if fold(word) in m["folded"]]
    assert 0 < len(expected) < 18
    p.type(word)
    assert p.shown() == expected == p.contents()
    n = len(expected)
    assert p.page.locator("#aantal").inner_text() == f"{n} van de 18 bijeenkomsten"
    p.type("")
    assert p.shown() == all_ids(records)
    p.type(word)
    p.page.click("button[type=reset]")
    p.page.wait_for_function("() => document.querySelectorAll('article.uit').length === 0")
    assert p.shown() == all_ids(records) and p.page.input_value("#zoek") == ""


def test_every_word_must_be_there_and_nothing_found_says_so(open_page, bundled_page, records):
    p = open_page(bundled_page)
    expected = [m["id"] for m in records if "carbid" in m["folded"] and "vuurwerk" in m["folded"]]
    p.type("vuurwerk carbid")
    assert p.shown() == expected
    assert not p.page.is_visible("#niets")
    p.type("carbid zzyzx")
    assert p.shown() == [] == p.contents()
    assert p.page.is_visible("#niets")


def test_filters_by_topic_city_and_year(open_page, bundled_page, records):
    p = open_page(bundled_page)
    p.page.select_option("#stad", "Utrecht")
    utrecht = [m["id"] for m in records if m["city"] == "Utrecht"]
    assert p.shown() == utrecht and len(utrecht) == 3
    p.page.select_option("#jaar", "2015")
    assert p.shown() == [m["id"] for m in records if m["city"] == "Utrecht" and m["year"] == 2015]
    p.page.select_option("#stad", "")
    p.page.select_option("#jaar", "")
    p.page.select_option("#onderwerp", "radicalisering")
    radical = [m["id"] for m in records if "radicalisering" in m["topics"]]
    assert p.shown() == radical and len(radical) > 1
    p.page.select_option("#onderwerp", "")
    p.page.select_option("#stad", "?")
    p.page.select_option("#jaar", "?")
    assert p.shown() == [m["id"] for m in records if m["city"] is None and m["year"] is None]


def test_the_fragment_keeps_the_state_and_a_link_to_it_restores_it(
    open_page, bundled_page, records
):
    p = open_page(bundled_page)
    p.type("syriegangers")
    p.page.select_option("#jaar", "2015")
    fragment = p.page.evaluate("location.hash")
    assert fragment == "#zoek=syriegangers&jaar=2015"
    expected = p.shown()
    assert expected == [
        m["id"] for m in records if "syriegangers" in m["folded"] and m["year"] == 2015
    ]
    again = open_page(bundled_page, fragment)
    assert again.shown() == expected
    assert again.page.input_value("#zoek") == "syriegangers"
    assert again.page.input_value("#jaar") == "2015"
    # A link in the page to another state (a dot of the chart) applies it.
    again.page.click("svg a[href='#onderwerp=radicalisering&jaar=2016']")
    assert again.page.input_value("#onderwerp") == "radicalisering"
    assert again.shown() == [
        m["id"] for m in records if "radicalisering" in m["topics"] and m["year"] == 2016
    ]
    # Clearing everything leaves a plain address; an unknown value is ignored.
    again.page.click("button[type=reset]")
    again.page.wait_for_function("() => location.hash === ''")
    odd = open_page(bundled_page, "#stad=Atlantis&jaar=1066")
    assert odd.shown() == all_ids(records) and odd.page.input_value("#stad") == ""
    # The contents' anchors go to a verslag and leave the filters alone.
    odd.page.select_option("#stad", "Utrecht")
    odd.page.click("#inhoud a[href='#m-2015-utrecht']")
    assert odd.page.evaluate("location.hash") == "#m-2015-utrecht"
    # Its heading is at the top of the screen, and nothing covers it.
    assert odd.page.evaluate(
        "() => { const h = document.getElementById('t-2015-utrecht');"
        " const r = h.getBoundingClientRect();"
        " return r.top >= 0 && r.top < 50 &&"
        " h.contains(document.elementFromPoint(r.left + 5, r.top + r.height / 2)); }"
    )
    assert odd.page.input_value("#stad") == "Utrecht" and len(odd.shown()) == 3


def test_the_chart_is_an_svg_with_its_words_beside_it(open_page, bundled_page):
    p = open_page(bundled_page)
    svg = p.page.locator("svg")
    assert svg.count() == 1 and svg.is_visible()
    name = p.page.evaluate(
        "(() => { const s = document.querySelector('svg');"
        " return s.getAttribute('aria-labelledby').split(' ')"
        ".map(id => document.getElementById(id).textContent); })()"
    )
    assert name[0].startswith("Onderwerpen per jaar, 2007–2023") and "tabel" in name[1]
    assert p.page.locator("svg circle").count() == p.page.locator("svg a").count() > 20
    rows = p.page.locator(".grafiek tbody tr").count()
    assert rows == p.page.locator("svg text.label").count() > 10
    box = svg.bounding_box()
    assert box and box["height"] > 300 and box["width"] > 500


def test_printing_gives_every_meeting_and_the_contents_even_when_filtered(
    open_page, bundled_page, records, tmp_path
):
    from pypdf import PdfReader

    p = open_page(bundled_page)
    p.type("carbid")
    pdf = PdfReader(io.BytesIO(p.page.pdf(format="A4")))
    # The text as printed: its ligatures (ﬀ) read as letters, a line broken after a
    # hyphen (COT-|instituut), also across pages, joined again.
    printed = [unicodedata.normalize("NFKC", page.extract_text()) for page in pdf.pages]
    pages = [" ".join(page.split()) for page in printed]
    text = " ".join("\n".join(printed).replace("-\n", "-").split())
    assert len(pdf.pages) >= 19  # the title, chart and contents, then a page a meeting
    assert "Inhoud" in text and "Zoeken en filteren" not in text
    missing = missing_sentences(text)
    assert not missing, f"{len(missing)} sentences missing, e.g. {missing[:5]}"
    # Each meeting starts a page, and is in the contents.
    for m in records:
        title = " ".join(m["title"].split())
        assert any(page.startswith(title) for page in pages), m["id"]
        assert text.count(title) >= 2, m["id"]


def test_without_javascript_the_page_reads_whole(open_page, bundled_page, records):
    p = open_page(bundled_page, java_script_enabled=False)
    assert p.shown() == all_ids(records) == p.contents()
    assert not p.page.is_visible("#zoeken")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_at_320_pixels_nothing_runs_off_the_side_and_dark_is_dark(open_page, bundled_page, scheme):
    p = open_page(bundled_page, viewport={"width": 320, "height": 640}, color_scheme=scheme)
    width = p.page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320
    p.page.click("summary")  # the chart as a table, opened
    assert p.page.is_visible("figcaption table")
    assert p.page.evaluate("document.documentElement.scrollWidth") <= 320
    background = p.page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == ("rgb(255, 255, 255)" if scheme == "light" else "rgb(21, 24, 28)")


@pytest.mark.parametrize(
    "context",
    [{}, {"color_scheme": "dark"}, {"viewport": {"width": 320, "height": 640}}],
    ids=["light", "dark", "320px"],
)
def test_axe_core_finds_no_serious_or_critical_violation(open_page, bundled_page, context):
    axe = axe_source()
    if axe is None:
        pytest.skip(
            "no axe-core: npm install --prefix ~/.cache/ngs-test-node axe-core@4, "
            "or set NGS_TEST_AXE to its axe.min.js"
        )
    p = open_page(bundled_page, **context)
    # Every verslag rendered, not only those near the screen, so that axe can weigh the
    # contrast of each piece of text against what is behind it.
    p.page.evaluate(
        "() => { const s = document.styleSheets[0];"
        " s.insertRule('.verslag { content-visibility: visible !important }', s.cssRules.length); }"
    )
    # Injected by the browser, not by the page: the page's CSP would refuse an inline one.
    p.page.evaluate(axe.read_text(encoding="utf-8") + "\n;0")
    found = p.page.evaluate(
        "async () => { const r = await axe.run(document,"
        " {resultTypes: ['violations', 'incomplete']}); const brief = v => ({id: v.id,"
        " impact: v.impact, nodes: v.nodes.map(n => n.target.join(' '))});"
        " return {violations: r.violations.map(brief), incomplete: r.incomplete.map(brief)}; }"
    )
    serious = [v for v in found["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == []
    # What axe could not decide is only the chart's text (inside an SVG, which it does
    # not weigh); test_html checks the colours it uses.
    undecided = [n for v in found["incomplete"] for n in v["nodes"] if v["id"] == "color-contrast"]
    assert all(n.startswith("text[") for n in undecided), undecided
    assert p.errors == []


def test_hostile_data_runs_nothing(open_page, tmp_path):
    target = tmp_path / "hostile.html"
    r = Run()("export", "--data", str(HOSTILE), "-o", str(target))
    assert r.exit_code == 0, r.stderr
    p = open_page(target)
    p.page.hover("article h2")
    p.page.hover(".feiten")
    p.type("script")
    p.page.focus("#zoek")
    assert p.page.evaluate("typeof window.pwned") == "undefined"
    assert p.dialogs == []
    assert p.page.evaluate("document.scripts.length") == 1
    assert p.page.evaluate("document.querySelectorAll('img, iframe').length") == 0
    # The only links are the page's own anchors.
    hrefs = p.page.eval_on_selector_all("a", "els => els.map(e => e.getAttribute('href'))")
    assert hrefs and all(h.startswith("#") for h in hrefs), hrefs
    body = p.page.inner_text("body")
    assert "<script>window.pwned=1</script>" in body and "{{ 7*7 }}" in body
    assert p.page.title() == "</title><script>window.pwned=1</script> {{ 7*7 }}"
    assert p.requests == [target.as_uri()]
    # The search finds the payloads as text.
    assert p.shown() == ["2021-gevaar"]


@pytest.mark.parametrize(
    ("word", "found"),
    [("weiss", "2021-eerste"), ("GROSSSTADT", "2021-eerste"), ("YILDIZ", "2020-tweede"),
     ("yildiz", "2020-tweede"), ("fietsenstalling", "2020-tweede"), ("m2", "2020-tweede")],
)  # fmt: skip
def test_the_page_folds_as_ngs_search_does(open_page, tmp_path, word, found):
    # The same meeting as `ngs search` finds, by the same folding (text.fold).
    target = tmp_path / "vouwen.html"
    r = Run()("export", "--data", str(FOLDING), "-o", str(target))
    assert r.exit_code == 0, r.stderr
    searched = Run()("search", "--data", str(FOLDING), word, "--format", "plain")
    assert [line.split("\t")[0] for line in searched.stdout.splitlines()] == [found]
    p = open_page(target)
    p.type(word)
    assert p.shown() == [found]


def test_a_city_named_like_the_unknown_filter_is_its_own_choice(open_page, tmp_path):
    # "?" is the filter's value for "city unknown": a city that is called "?" (or "=?")
    # must not be taken for it, nor the unknown for it.
    data = MINI.read_text(encoding="utf-8")
    cities = re.findall(r"^  city: (.+)$", data, flags=re.M)
    assert len(cities) >= 2, cities
    data = data.replace(f"  city: {cities[0]}\n", "  city: '?'\n", 1)
    data = data.replace(f"  city: {cities[1]}\n", "  city: '=?'\n", 1)
    source = tmp_path / "vraagteken.yaml"
    source.write_text(data, encoding="utf-8")
    target = tmp_path / "vraagteken.html"
    r = Run()("export", "--data", str(source), "-o", str(target))
    assert r.exit_code == 0, r.stderr
    meetings = json.loads(Run()("list", "--data", str(source), "--format", "json").stdout)
    unknown = [m["id"] for m in meetings if not m["city"]]
    named = {m["city"]: m["id"] for m in meetings if m["city"] in ("?", "=?")}
    assert unknown and set(named) == {"?", "=?"}
    p = open_page(target)
    for city in ("?", "=?", "onbekend"):
        p.page.select_option("#stad", label=city)
        assert p.shown() == (unknown if city == "onbekend" else [named[city]]), city


@pytest.mark.parametrize("width", [320, 390])
def test_on_a_phone_the_chart_shows_every_topic_s_label_beside_its_years(
    open_page, bundled_page, tmp_path, width
):
    p = open_page(bundled_page, viewport={"width": width, "height": 800})
    assert not p.page.is_visible(".grafiek-vak svg")  # the drawing would lose its labels
    rows = p.page.evaluate(
        """() => [...document.querySelectorAll('.grafiek-smal li')].map(li => {
            const label = li.querySelector('.onderwerp').getBoundingClientRect();
            const marks = [...li.querySelectorAll('.merk')].map(a => a.getBoundingClientRect());
            return {label: li.querySelector('.onderwerp').textContent,
                    box: [label.left, label.right, label.bottom],
                    marks: marks.map(m => [m.left, m.right, m.top])};
        })"""
    )
    labels = p.page.evaluate(
        "() => [...document.querySelectorAll('figcaption tbody th')].map(t => t.textContent)"
    )
    assert [r["label"] for r in rows] == labels and len(rows) >= 20  # every topic
    for row in rows:
        left, right, bottom = row["box"]
        assert left >= 0 and right <= width, row
        assert row["marks"], row
        for m_left, m_right, m_top in row["marks"]:
            assert m_left >= 0 and m_right <= width, row  # in view, nothing to scroll to
            assert m_top >= bottom - 1, row  # under its own label
        assert row["marks"][0][2] - bottom < 30, row  # right beside it, not far below
    assert p.page.evaluate("document.documentElement.scrollWidth") <= width
    # The words above say what the list shows, not the dots of the drawing.
    assert p.page.is_visible(".uitleg-smal") and not p.page.is_visible(".uitleg-breed")
    p.page.screenshot(path=str(tmp_path / f"grafiek-{width}.png"), full_page=False)
    # Wide, the drawing is the chart and the list is not shown.
    wide = open_page(bundled_page, viewport={"width": 1280, "height": 800})
    assert wide.page.is_visible(".grafiek-vak svg") and not wide.page.is_visible(".grafiek-smal")
    assert wide.page.is_visible(".uitleg-breed") and not wide.page.is_visible(".uitleg-smal")


def search_cases() -> list[str]:
    import yaml

    cases = yaml.safe_load((FIXTURES / "search-cases.yaml").read_text(encoding="utf-8"))
    kinds = ("compounds", "forms", "not")
    return [c["query"] for kind in kinds for c in cases[kind]] + cases["language"]


def test_the_page_finds_what_ngs_search_finds_for_every_shared_case(
    open_page, bundled_page, records
):
    from ngs_cli import store
    from ngs_cli.search import search_meetings

    ds = store.open_store(REPO / "data" / "reports.yaml", use_cache=False)
    p = open_page(bundled_page)
    differ = {}
    for query in search_cases():
        expected = {h.meeting["id"] for h in search_meetings(ds, query)}
        p.type(query)
        shown = p.shown()
        if set(shown) != expected:
            differ[query] = (sorted(expected - set(shown)), sorted(set(shown) - expected))
        assert shown == [m["id"] for m in records if m["id"] in set(shown)]  # the page's order
    assert not differ, differ
    assert p.errors == []


def test_the_page_stems_every_word_as_snowball_s_dutch_stemmer_does(open_page, bundled_page):
    import random

    from ngs_cli import store
    from ngs_cli.text import dutch_stems

    ds = store.open_store(REPO / "data" / "reports.yaml", use_cache=False)
    words = [r["term"] for r in ds.rows("SELECT term FROM meeting_text_vocab")]
    rng = random.Random(7)  # and words no verslag has, of the letters Dutch writes
    words += ["".join(rng.choices("abcdefghijklmnoprstuvwyzj", k=rng.randint(2, 12)))
              for _ in range(5000)]  # fmt: skip
    p = open_page(bundled_page)
    stems = p.page.evaluate("words => words.map(NgsSearch.stem)", words)
    wrong = [(w, s, t) for w, s, t in zip(words, stems, dutch_stems(words)) if s != t]
    assert not wrong, wrong[:10]


def test_what_matched_is_highlighted_and_enter_goes_to_the_next_match(open_page, bundled_page):
    p = open_page(bundled_page)
    p.type("inbraak")
    # Typed a letter at a time: the marks are of the whole word once the last letter is
    # searched (on a loaded machine "i" may still be marked when the button shows).
    p.page.wait_for_function(
        "() => !document.getElementById('volgende').hidden && CSS.highlights.has('treffer')"
        " && [...CSS.highlights.get('treffer')].every(r => /inbra/i.test(r.toString()))"
    )
    marked = p.page.evaluate("() => [...CSS.highlights.get('treffer')].map(r => r.toString())")
    assert marked and {m.lower() for m in marked} <= {"woninginbraak", "woninginbraken"}, marked
    assert "Volgende treffer (" in p.page.inner_text("#volgende")
    p.page.locator("#zoek").press("Enter")
    current = p.page.evaluate("() => [...CSS.highlights.get('treffer-nu')][0].toString()")
    assert current.lower() == "woninginbraak"
    top = p.page.evaluate(
        "() => [...CSS.highlights.get('treffer-nu')][0].getBoundingClientRect().top"
    )
    assert 0 <= top <= p.page.viewport_size["height"]  # scrolled to it
    p.type("")
    p.page.wait_for_function("() => document.getElementById('volgende').hidden")
    assert p.errors == []


def test_a_query_ngs_search_refuses_says_so_and_filters_nothing(open_page, bundled_page):
    p = open_page(bundled_page)
    p.type("-corona")
    assert len(p.shown()) == 18
    assert "geef een woord om te vinden" in p.page.inner_text("#aantal")
    p.type("corona")
    assert "geef een woord" not in p.page.inner_text("#aantal")
