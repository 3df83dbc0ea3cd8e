"""Each meeting's link lands on its own verslag: a text fragment that matches exactly one
place of the saved source page, inside that verslag, as a browser matches it."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest
import yaml

from ngs_cli import store
from ngs_cli.curation.pagecheck import check_page
from ngs_cli.links import directive, verslag_urls
from ngs_cli.query import find_meetings

from .conftest import REPO

SOURCE = REPO / "tests" / "fixtures" / "source" / "verslagen-netwerk-grote-steden.txt"
PAGE = SOURCE.read_text(encoding="utf-8")
DATA = yaml.safe_load((REPO / "data" / "reports.yaml").read_text(encoding="utf-8"))


def page_matches(start: str) -> list[int]:
    """The page's lines (1-based) where a text directive of ``start`` matches, by the
    Text Fragments rules: each line a block, white space as one space, case ignored, the
    match starting and ending on a word boundary."""
    wanted = re.compile(r"(?<!\w)" + re.escape(" ".join(start.split()).casefold()) + r"(?!\w)")
    found = []
    for number, line in enumerate(PAGE.splitlines(), start=1):
        block = " ".join(line.replace("\xa0", " ").split()).casefold()
        found += [number] * len(wanted.findall(block))
    return found


def test_every_link_matches_one_place_of_the_page_inside_its_verslag():
    spans = check_page(PAGE, DATA).spans
    urls = verslag_urls(DATA)
    source = DATA["collection"]["source_url"]
    assert set(urls) == {m["id"] for m in DATA["meetings"]}
    for meeting_id, url in urls.items():
        assert url is not None and url.startswith(source + "#:~:text="), meeting_id
        start = unquote(url.split("#:~:text=", 1)[1])
        (line,) = page_matches(start)  # exactly one place
        first, last = spans[meeting_id]
        assert first <= line <= last, (meeting_id, start, line, spans[meeting_id])


def test_the_link_is_in_the_records_that_list_show_and_cite_give(ngs):
    import json

    data = ("--data", str(REPO / "data" / "reports.yaml"))
    listed = json.loads(ngs("list", *data, "--format", "json", "--fields", "id,url").stdout)
    assert {r["id"]: r["url"] for r in listed} == verslag_urls(DATA)
    url = verslag_urls(DATA)["2023-nijmegen"]
    assert f"Link:         {url}" in ngs("show", "2023", *data).stdout
    cited = json.loads(ngs("cite", "2023", *data, "--style", "csl-json").stdout)
    assert cited[0]["URL"] == url
    assert ngs("cite", "2023", *data).stdout.rstrip().endswith(url)


def test_a_directive_encodes_what_would_end_it():
    text = "Jeugd-, zorg- & veiligheid, 100% ‘samen’"
    encoded = directive(text)
    assert not set(encoded) & set("-&,%# ") - {"%"}
    assert unquote(encoded) == text


@pytest.mark.parametrize(
    ("paragraphs", "expected"),
    [
        # The first words of the first paragraph, when they stand nowhere else.
        ([["Op 9 april vond de netwerkdag plaats."], ["Op 9 mei vond de dag plaats."]],
         ["Op 9 april vond", "Op 9 mei vond"]),
        # As many words as it takes to be the only one.
        ([["De netwerkdag in Zwolle was druk."], ["De netwerkdag in Zwolle was stil."]],
         ["De netwerkdag in Zwolle was druk.", "De netwerkdag in Zwolle was stil."]),
        # A first paragraph that another verslag has too: the next one.
        ([["Programma", "De dag in Zwolle begon vroeg."], ["Programma", "Een dag in Assen."]],
         ["De dag in Zwolle", "Een dag in Assen."]),
    ],
)  # fmt: skip
def test_the_fragment_is_the_fewest_words_that_stand_once(paragraphs, expected):
    data = {
        "collection": {"title": "Verslagen", "source_url": "https://example.org/v"},
        "meetings": [
            {"id": f"m{i}", "sections": [{"blocks": [{"paragraph": p} for p in texts]}]}
            for i, texts in enumerate(paragraphs)
        ],
    }
    urls = verslag_urls(data)
    assert [unquote(urls[f"m{i}"].split("#:~:text=")[1]) for i in range(len(paragraphs))] == (
        expected
    )


def test_no_source_page_no_link_and_no_unique_start_the_page_alone():
    same = {"sections": [{"blocks": [{"paragraph": "Dezelfde tekst staat twee keer."}]}]}
    data = {
        "collection": {"title": "V", "source_url": "https://example.org/v#oud"},
        "meetings": [{"id": "a", **same}, {"id": "b", **same}],
    }
    assert verslag_urls(data) == {"a": "https://example.org/v", "b": "https://example.org/v"}
    del data["collection"]["source_url"]
    assert verslag_urls(data) == {"a": None, "b": None}


def test_the_store_keeps_the_link_of_each_meeting():
    opened = store.open_store(REPO / "data" / "reports.yaml", use_cache=False)
    try:
        stored = {m["id"]: m["url"] for m in find_meetings(opened, None)}
    finally:
        opened.close()
    assert stored == verslag_urls(DATA)


def test_whole_records_give_the_link_when_fields_ask_for_it(ngs):
    import json

    data = ("--data", str(REPO / "data" / "reports.yaml"))
    lines = ngs("export", *data, "-f", "ndjson", "--fields", "id,url").stdout.splitlines()
    assert {r["id"]: r["url"] for r in map(json.loads, lines)} == verslag_urls(DATA)
    whole = json.loads(ngs("export", *data, "-f", "json").stdout)
    assert "url" not in whole[0]  # a whole record is the data file's: the link is asked for
