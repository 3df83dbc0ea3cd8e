"""The Atom feed of a selection or a search, read back by a feed reader's parser
(feedparser) and checked against RFC 4287's required elements."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import feedparser
import pytest
import yaml

from .conftest import REPO, write

BUNDLED = ("--data", str(REPO / "data" / "reports.yaml"))
DATA = yaml.safe_load((REPO / "data" / "reports.yaml").read_text(encoding="utf-8"))
NS = "{http://www.w3.org/2005/Atom}"


def read(text: str):
    feed = feedparser.parse(text)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


def assert_rfc4287(text: str) -> None:
    """The elements RFC 4287 requires: a feed's id, title, updated and an author (its own
    or each entry's); an entry's id, title, updated; dates in RFC 3339."""
    root = ET.fromstring(text.encode("utf-8"))
    assert root.tag == f"{NS}feed"
    for tag in ("id", "title", "updated"):
        assert len(root.findall(f"{NS}{tag}")) == 1, tag
    feed_author = root.find(f"{NS}author/{NS}name") is not None
    for entry in root.findall(f"{NS}entry"):
        for tag in ("id", "title", "updated"):
            assert len(entry.findall(f"{NS}{tag}")) == 1, tag
        assert feed_author or entry.find(f"{NS}author/{NS}name") is not None
        assert entry.findtext(f"{NS}updated").endswith("T00:00:00Z")


def test_the_feed_of_the_whole_collection(ngs):
    text = ngs("export", *BUNDLED, "--format", "atom").stdout
    assert_rfc4287(text)
    feed = read(text)
    assert feed.feed.title == DATA["collection"]["title"]
    ids = [e.id for e in feed.entries]
    assert len(ids) == len(set(ids)) == len(DATA["meetings"]) == 18
    assert sorted(e.title for e in feed.entries) == sorted(m["title"] for m in DATA["meetings"])
    again = read(ngs("export", *BUNDLED, "-f", "atom").stdout)
    assert [e.id for e in again.entries] == ids  # stable: a reader never shows one twice
    (nijmegen,) = [e for e in feed.entries if e.id.endswith("/2023-nijmegen")]
    assert nijmegen.link.endswith("#:~:text=Het%20thema%20in%202023")
    assert nijmegen.updated.startswith("2023-03-16")
    assert "16 maart 2023, Nijmegen." in nijmegen.summary


def test_a_meeting_without_its_day_states_it_and_its_updated_never_moves(ngs, tmp_path):
    feed = read(ngs("export", *BUNDLED, "--city", "Emmen", "--format", "atom").stdout)
    (emmen,) = feed.entries
    assert emmen.updated.startswith("2017-01-01")  # its year: not the day the page was read
    assert emmen.summary.startswith("2017, Emmen.") and "niet in het verslag" in emmen.summary
    # The data refreshed (the page read again): no entry's id or updated changes.
    text = (REPO / "data" / "reports.yaml").read_text(encoding="utf-8")
    later = write(
        tmp_path / "later.yaml", text.replace("retrieved: '2026-11-28'", "retrieved: '2027-06-01'")
    )
    again = read(ngs("export", "--data", str(later), "--format", "atom").stdout)
    before = read(ngs("export", *BUNDLED, "--format", "atom").stdout)
    undated = {m["id"] for m in DATA["meetings"] if m.get("year") is None}

    def dated(feed):  # a meeting of no known year takes the day the page was read
        return [(e.id, e.updated) for e in feed.entries if e.id.rsplit("/", 1)[1] not in undated]

    assert [e.id for e in again.entries] == [e.id for e in before.entries]
    assert dated(again) == dated(before) and len(dated(before)) == 17


def test_an_address_xml_cannot_hold_stays_out_of_the_feed(ngs, tmp_path, mini):
    text = mini.read_text(encoding="utf-8").replace(
        "source_url: https://example.org/verslagen", 'source_url: "https://example.org/p\\x01ag"'
    )
    data = write(tmp_path / "control.yaml", text)
    feed = read(ngs("export", "--data", str(data), "--format", "atom").stdout)  # no bozo
    assert feed.feed.link == "https://example.org/p\ufffdag"
    js = write(tmp_path / "js.yaml", text.replace("https://example.org/p", "javascript:x//"))
    r = ngs("validate", str(js))
    assert r.exit_code == 1 and "source_url" in r.stderr  # an address is http(s)


def test_the_feed_of_a_filter_and_of_a_search(ngs, tmp_path):
    utrecht = read(ngs("list", *BUNDLED, "--city", "Utrecht", "--format", "atom").stdout)
    assert {e.id.rsplit("/", 1)[1] for e in utrecht.entries} == {
        m["id"] for m in DATA["meetings"] if m.get("city") == "Utrecht"
    }
    found = ngs("search", *BUNDLED, "radicalisering", "--format", "atom").stdout
    assert_rfc4287(found)
    hits = ngs("search", *BUNDLED, "radicalisering", "--format", "plain").stdout.splitlines()
    assert [e.id.rsplit("/", 1)[1] for e in read(found).entries] == [h.split("\t")[0] for h in hits]
    path = tmp_path / "verslagen.atom"
    assert ngs("export", *BUNDLED, "-o", str(path)).exit_code == 0
    assert len(read(path.read_text(encoding="utf-8")).entries) == 18


def test_a_hostile_title_stays_text(ngs, tmp_path, mini):
    text = mini.read_text(encoding="utf-8").replace(
        "title: Jeugd en veiligheid", "title: '<script>alert(1)</script> & <b>vet</b> ]]>'"
    )
    data = write(tmp_path / "hostile.yaml", text)
    out = ngs("export", "--data", str(data), "--format", "atom").stdout
    assert "<script>" not in out and "&lt;script&gt;" in out
    (entry,) = [e for e in read(out).entries if e.id.endswith("2019-leeuwarden")]
    assert entry.title == "<script>alert(1)</script> & <b>vet</b> ]]>"


def test_fields_do_not_go_with_a_feed(ngs):
    r = ngs("list", *BUNDLED, "--format", "atom", "--fields", "id")
    assert r.exit_code == 2 and "--fields" in r.stderr


@pytest.mark.parametrize("language", ["C.UTF-8", "nl_NL.UTF-8"])
def test_the_feed_is_the_same_in_every_language(ngs, monkeypatch, language):
    monkeypatch.setenv("LANG", language)
    out = ngs("export", *BUNDLED, "--format", "atom").stdout
    monkeypatch.setenv("LANG", "C.UTF-8")
    assert out == ngs("export", *BUNDLED, "--format", "atom").stdout


def test_with_base_url_entries_link_to_the_published_page_and_the_page_says_where(ngs, tmp_path):
    base = "https://intranet.example/ngs/verslagen.html"
    feed = read(ngs("export", *BUNDLED, "-f", "atom", "--base-url", base).stdout)
    assert feed.feed.link == base
    for entry in feed.entries:
        meeting = entry.id.rsplit("/", 1)[1]
        links = {link.rel: link.href for link in entry.links}
        assert links["alternate"] == f"{base}#m-{meeting}"
        assert links["related"].startswith(DATA["collection"]["source_url"] + "#:~:text=")
    beside = tmp_path / "verslagen.atom"
    assert ngs("export", *BUNDLED, "-o", str(beside), "--base-url", base).exit_code == 0
    published = read(beside.read_text(encoding="utf-8"))
    links = {link.rel: link.href for link in published.feed.links}
    assert links["self"] == "https://intranet.example/ngs/verslagen.atom"  # beside the page
    page = ngs("export", *BUNDLED, "-f", "html", "--base-url", base).stdout
    assert f'<link rel="canonical" href="{base}">' in page
    assert f'<a href="{base}#m-2023-nijmegen">' in page and 'id="m-2023-nijmegen"' in page
    for bad in (("-f", "csv", "--base-url", base), ("-f", "html", "--base-url", "javascript:x")):
        r = ngs("export", *BUNDLED, *bad)
        assert r.exit_code == 2 and "--base-url" in r.stderr


@pytest.mark.parametrize("command", ["people", "topics", "cities", "timeline"])
def test_an_index_is_no_feed(ngs, command):
    r = ngs(command, "--format", "atom")
    assert r.exit_code == 2 and "'atom' is not one of" in r.stderr and not r.stdout
