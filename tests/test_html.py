"""The HTML export without a browser: valid HTML5, a CSP that matches its inline code, data
only ever as text, no address but the source page's. The page in Chromium is
tests/test_html_browser.py."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path

import html5lib
import pytest

from ngs_cli.formats import html as page

from .conftest import FIXTURES, MINI, write
from .process import imported_modules
from .test_data import missing_sentences

HOSTILE = FIXTURES / "hostile-html.yaml"
NS = "{http://www.w3.org/1999/xhtml}"
SVG = "{http://www.w3.org/2000/svg}"


def export(ngs, tmp_path: Path, *args: str, name: str = "verslagen.html") -> str:
    target = tmp_path / name
    r = ngs("export", "-o", str(target), *args)
    assert r.exit_code == 0, r.stderr
    assert r.stdout == "" and r.stderr == ""
    return target.read_text(encoding="utf-8")


def parse(text: str):
    """The document as an HTML5 parser reads it; any parse error fails the test."""
    return html5lib.HTMLParser(strict=True).parse(text)


def elements(tree, tag: str, ns: str = NS) -> list:
    return list(tree.iter(ns + tag))


def text_of(element) -> str:
    return "".join(element.itertext())


def policy(tree) -> dict[str, list[str]]:
    (meta,) = [
        m for m in elements(tree, "meta") if m.get("http-equiv") == "Content-Security-Policy"
    ]
    directives = {}
    for part in meta.get("content").split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


def sha256(code: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(code.encode()).digest()).decode() + "'"


@pytest.fixture
def bundled_page(ngs, bundled, tmp_path) -> str:
    return export(ngs, tmp_path)


def test_the_page_is_valid_html5_in_dutch_with_one_h1_and_headings_in_order(bundled_page):
    assert bundled_page.startswith("<!DOCTYPE html>\n")
    tree = parse(bundled_page)
    assert tree.get("lang") == "nl"
    assert [m.get("charset") for m in elements(tree, "meta") if m.get("charset")] == ["utf-8"]
    levels = [
        int(e.tag[-1]) for e in tree.iter() if re.fullmatch(re.escape(NS) + "h[1-6]", str(e.tag))
    ]
    assert levels.count(1) == 1 and levels[0] == 1
    for before, after in zip(levels, levels[1:]):
        assert after <= before + 1, levels
    assert len(elements(tree, "article")) == 18
    assert len(elements(tree, "main")) == 1 and elements(tree, "nav")
    assert len(elements(tree, "header")) == 1 and len(elements(tree, "footer")) == 1
    # Every control has its label.
    ids = {label.get("for") for label in elements(tree, "label")}
    controls = elements(tree, "input") + elements(tree, "select")
    assert controls and all(c.get("id") in ids for c in controls)


def test_the_csp_allows_exactly_the_pages_own_style_and_script(bundled_page):
    tree = parse(bundled_page)
    directives = policy(tree)
    assert directives["default-src"] == ["'none'"]
    (style,) = elements(tree, "style")
    (script,) = elements(tree, "script")
    assert script.get("src") is None
    assert directives["style-src"] == [sha256(style.text)]
    assert directives["script-src"] == [sha256(script.text)]
    assert directives["base-uri"] == ["'none'"] and directives["form-action"] == ["'none'"]
    # No other way for code or style in: no handler or style attribute anywhere.
    for e in tree.iter():
        for name in e.attrib:
            assert not name.lower().startswith("on") and name.lower() != "style", (e.tag, name)


def test_no_address_but_the_source_page(bundled_page):
    tree = parse(bundled_page)
    source = "https://hetccv.nl/themas/integraal-veiligheidsbeleid/grote-steden/verslagen-netwerk-grote-steden/"
    outside = []
    for e in tree.iter():
        for name in ("href", "src", "action", "xlink:href", "srcset", "data", "poster"):
            value = e.get(name)
            if value is not None and not value.startswith("#"):
                outside.append(value)
    # The source page, and each verslag on it (a text fragment of the same page).
    assert outside[0] == source
    assert all(v.startswith(source + "#:~:text=") for v in outside[1:]) and len(outside) == 19
    (style,) = elements(tree, "style")
    assert "url(" not in style.text and "@import" not in style.text
    assert not re.search(r"https?://", text_of(elements(tree, "script")[0]))


def test_every_sentence_of_the_source_page_and_every_title(bundled_page, ngs, bundled):
    tree = parse(bundled_page)
    main = elements(tree, "main")[0]
    header = elements(tree, "header")[0]
    missing = missing_sentences(text_of(header) + " \n " + text_of(main))
    assert not missing, f"{len(missing)} sentences missing, e.g. {missing[:5]}"
    titles = [text_of(a.find(NS + "h2")) for a in elements(tree, "article")]
    r = ngs("list", "--fields", "title")
    assert titles == r.stdout.splitlines()
    contents = elements(tree, "nav")[0]
    assert [text_of(a) for a in elements(contents, "a")] == titles


def test_the_date_says_how_certain_it_is(ngs, tmp_path):
    tree = parse(export(ngs, tmp_path))
    facts = {
        a.get("id"): {
            text_of(d.find(NS + "dt")): text_of(d.find(NS + "dd"))
            for d in a.iter(NS + "div")
            if d.find(NS + "dt") is not None
        }
        for a in elements(tree, "article")
    }
    utrecht = facts["m-2021-utrecht"]
    assert utrecht["Datum"] == "18–19 november 2021"
    assert utrecht["Nauwkeurigheid datum"] == "de dag is bekend"
    online = facts["m-2021-online"]
    assert online["Datum"] == "2021"
    assert online["Nauwkeurigheid datum"] == (
        "alleen het jaar is bekend en dat is afgeleid (zie ‘Over de datum’)"
    )
    assert online["Over de datum"] == "Inferred from its place on the page."
    assert facts["m-onbekend-jaar"]["Datum"] == "onbekend"
    assert facts["m-onbekend-jaar"]["Stad"] == "onbekend (niet vermeld in de bron)"


def test_the_chart_has_topics_against_years_and_says_so_in_words(ngs, tmp_path):
    tree = parse(export(ngs, tmp_path))
    (svg,) = elements(tree, "svg", SVG)
    title, desc = svg.find(SVG + "title"), svg.find(SVG + "desc")
    assert text_of(title) == "Onderwerpen per jaar, 2019–2021"
    assert set(svg.get("aria-labelledby").split()) == {title.get("id"), desc.get("id")}
    assert "tabel" in text_of(desc)
    dots = {a.get("href"): text_of(a.find(SVG + "title")) for a in svg.iter(SVG + "a")}
    assert dots == {
        "#onderwerp=corona&jaar=2021": "Corona, 2021: 1 bijeenkomst",
        "#onderwerp=radicalisering&jaar=2021": "Radicalisering, 2021: 1 bijeenkomst",
        "#onderwerp=jeugd&jaar=2019": "Jeugd en jongeren, 2019: 1 bijeenkomst",
    }
    rows = {
        text_of(tr.find(NS + "th")): text_of(tr.find(NS + "td"))
        for tr in elements(elements(tree, "tbody")[0], "tr")
    }
    assert rows == {"Jeugd en jongeren": "2019", "Corona": "2021", "Radicalisering": "2021"}
    assert "1 bijeenkomst zonder bekend jaar" not in text_of(elements(tree, "details")[0])


def test_the_chart_counts_meetings_per_topic_and_year():
    meetings = [
        {"year": 2015, "topics": ["a", "b"]},
        {"year": 2015, "topics": ["a"]},
        {"year": 2017, "topics": ["b"]},
        {"year": None, "topics": ["a"]},
    ]
    c = page.chart(meetings, {"a": "Alfa", "b": "Bèta"})  # type: ignore[arg-type]
    assert [y["year"] for y in c["years"]] == [2015, 2016, 2017]
    assert [(r["label"], [(d["year"], d["n"]) for d in r["dots"]]) for r in c["rows"]] == [
        ("Alfa", [(2015, 2)]),
        ("Bèta", [(2015, 1), (2017, 1)]),
    ]
    assert c["undated"] == 1
    assert c["rows"][0]["dots"][0]["r"] > c["rows"][1]["dots"][0]["r"]
    assert page.chart([{"year": None, "topics": ["a"]}], {}) is None  # type: ignore[list-item]


def test_hostile_data_is_text_and_never_markup_script_or_link(ngs, tmp_path):
    text = export(ngs, tmp_path, "--data", str(HOSTILE))
    tree = parse(text)
    assert len(elements(tree, "script")) == 1 and len(elements(tree, "style")) == 1
    # The page's own h1 and details (the chart's table), nothing of the data's.
    for tag, n in {"img": 0, "iframe": 0, "b": 0, "details": 1, "h1": 1}.items():
        assert len(elements(tree, tag)) == n, tag
    assert len(list(tree.iter(SVG + "svg"))) == 1  # the chart, and no svg of the data
    hrefs = [e.get("href") for e in tree.iter() if e.get("href") is not None]
    assert all(h.startswith("#") for h in hrefs), hrefs  # not the javascript: source either
    for e in tree.iter():
        for name in e.attrib:
            assert not name.lower().startswith("on"), (e.tag, name)
    shown = text_of(tree)
    for payload in (
        "</title><script>window.pwned=1</script> {{ 7*7 }}",
        '<img src=x onerror="window.pwned=1"> {% raw %} {{ config }} &amp; &lt;',
        'https://example.org/"onmouseover="window.pwned=1//https://example.org/',
        '"><svg onload=window.pwned=1> <script>alert(1)</script>',
        "</script><script>window.pwned=1</script>",
        '<iframe srcdoc="<script>parent.pwned=1</script>"></iframe>',
        "{{ self.__init__.__globals__ }}",
        "<!-- --><script>window.pwned=1</script>",
        "\\x1b]0;x\\x07 org",  # a control character shown, as on a terminal
    ):
        assert payload in shown, payload
    assert "49" not in shown
    assert "\x1b" not in text and "\x07" not in text
    (article,) = elements(tree, "article")
    assert article.get("data-stad") == '" onmouseover="window.pwned=1'


def test_an_address_that_is_not_http_is_refused_or_text(ngs, tmp_path):
    data = MINI.read_text(encoding="utf-8").replace(
        "https://example.org/verslagen", "'file:///etc/passwd'"
    )
    r = ngs("validate", str(write(tmp_path / "d.yaml", data)))
    assert r.exit_code == 1 and "source_url" in r.stderr  # the data must name http(s)
    data = MINI.read_text(encoding="utf-8").replace(
        "https://example.org/verslagen", "'https://example.org/\"x'"
    )
    tree = parse(export(ngs, tmp_path, "--data", str(write(tmp_path / "q.yaml", data))))
    assert not [a for a in elements(tree, "a") if not a.get("href").startswith("#")]
    assert 'Bron: Testbureau, https://example.org/"x' in text_of(elements(tree, "header")[0])
    assert page.safe_url("https://example.org/a?b=c") == "https://example.org/a?b=c"
    for bad in ("javascript:alert(1)", "https://x.org/\u202e", 'https://x.org/"x', "ftp://x"):
        assert page.safe_url(bad) is None, bad


def test_the_page_is_the_same_dutch_page_in_either_interface_language(ngs, tmp_path):
    english = export(ngs, tmp_path, name="en.html")
    dutch = tmp_path / "nl.html"
    r = ngs("export", "-o", str(dutch), env={"LANG": "nl_NL.UTF-8"})
    assert r.exit_code == 0, r.stderr
    assert dutch.read_text(encoding="utf-8") == english
    assert "Inhoud" in english and "Contents" not in english


def test_extensions_choose_the_page_and_filters_choose_its_meetings(ngs, tmp_path):
    for name in ("a.html", "b.HTM"):
        assert "<!DOCTYPE html>" in export(ngs, tmp_path, name=name)
    tree = parse(export(ngs, tmp_path, "--city", "Utrecht", name="c.html"))
    assert [a.get("id") for a in elements(tree, "article")] == ["m-2021-utrecht"]
    r = ngs("export", "--format", "html")
    assert r.exit_code == 0 and r.stdout.startswith("<!DOCTYPE html>")
    r = ngs("show", "2021-utrecht", "--format", "html")
    assert r.exit_code == 2 and "html" in r.stderr


def test_section_headings_never_skip_a_level():
    meeting = {
        "sections": [
            {"heading": None, "blocks": []},
            {"heading": "Sub", "level": 3, "blocks": []},
            {"heading": "Section", "level": 2, "blocks": []},
            {"heading": "Sub", "level": 3, "blocks": []},
        ]
    }
    assert [s["h"] for s in page._sections(meeting)] == [None, 4, 4, 5]  # type: ignore[arg-type]


@pytest.mark.parametrize("command", [["list"], ["export", "--format", "markdown"]])
def test_start_up_does_not_import_jinja2(tmp_path, command):
    imported = imported_modules(command, tmp_path)
    assert "jinja2" not in imported and "markupsafe" not in imported


def _palettes() -> dict[str, dict[str, str]]:
    """The page's colours, light and dark, as its stylesheet declares them."""
    from importlib.resources import files

    css = files("ngs_cli").joinpath("templates", "page.css").read_text(encoding="utf-8")
    light = css[: css.index("@media (prefers-color-scheme: dark)")]
    dark = css[css.index("@media (prefers-color-scheme: dark)") : css.index("* {")]
    found = {}
    for name, part in (("light", light), ("dark", dark)):
        found[name] = dict(re.findall(r"--([a-z]+):\s*(#[0-9a-f]{6})", part))
    return found


def _contrast(a: str, b: str) -> float:
    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_colour_of_text_has_contrast_on_every_background(scheme):
    colours = _palettes()[scheme]
    assert {"tekst", "zacht", "accent", "achter", "vlak", "stip"} <= colours.keys()
    for text in ("tekst", "zacht", "accent"):
        for background in ("achter", "vlak"):
            ratio = _contrast(colours[text], colours[background])
            assert ratio >= 4.5, (scheme, text, background, round(ratio, 2))
    # The chart's dots are graphics: 3 to 1 (WCAG 1.4.11).
    assert _contrast(colours["stip"], colours["achter"]) >= 3


def test_zotero_finds_every_verslag_as_coins_with_the_fields_of_csl_json(bundled_page, ngs):
    from urllib.parse import parse_qs

    tree = parse(bundled_page)
    spans = [s for s in elements(tree, "span") if s.get("class") == "Z3988"]
    ids = [a.get("id")[2:] for a in elements(tree, "article")]
    assert len(spans) == len(ids) == 18
    for meeting_id, span in zip(ids, spans):
        kev = {k: v[0] for k, v in parse_qs(span.get("title"), strict_parsing=True).items()}
        (item,) = json.loads(ngs("cite", meeting_id, "--style", "csl-json").stdout)
        assert kev["ctx_ver"] == "Z39.88-2004" and kev["rft.genre"] == "report"
        assert kev["rft.btitle"] == item["title"]
        assert kev["rft.aucorp"] == item["author"][0]["literal"] == kev["rft.pub"]
        assert kev["rft_id"] == item["URL"]
        assert kev.get("rft.place") == item.get("event-place")
        assert kev["rft.series"] == item["collection-title"]
        issued = item.get("issued", {}).get("date-parts", [[None]])[0]
        expected = "-".join(f"{p:02d}" if i else str(p) for i, p in enumerate(issued))
        assert kev.get("rft.date") == (expected if issued[0] else None)
    head = elements(tree, "head")[0]
    meta = {m.get("name"): m.get("content") for m in elements(head, "meta") if m.get("name")}
    assert meta["citation_title"] == meta["DC.title"] == "Verslagen Netwerk Grote Steden"
    assert meta["DC.source"].startswith("https://hetccv.nl/") and meta["DC.language"] == "nl"
