"""The Markdown export read by pandoc as GitHub and as pandoc read it: every contents
link lands on its verslag, in HTML and in Word, and a standalone document is titled."""

from __future__ import annotations

import html
import re
import subprocess
import zipfile

import pytest

from .conftest import write

pytestmark = pytest.mark.skipif(
    subprocess.run(["which", "pandoc"], capture_output=True).returncode != 0,
    reason="pandoc is not installed (apt-get install pandoc)",
)
READERS = ("gfm", "markdown")


def pandoc(source, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["pandoc", "--wrap=none", str(source), *args], capture_output=True, text=True, check=True
    )


def contents_links(page: str) -> list[tuple[str, str]]:
    """(target, text) of each link in the contents (the list after its heading) of an
    HTML page."""
    contents = page.split(">Contents</h2>", 1)[1].split("<h2", 1)[0]
    return [(t, html.unescape(x)) for t, x in re.findall(r'<a href="#([^"]*)">(.*?)</a>', contents)]


def headings(page: str) -> dict[str, str]:
    return {i: html.unescape(t) for i, t in re.findall(r'<h2 id="([^"]*)">(.*?)</h2>', page)}


def export(ngs, tmp_path, *args: str):
    target = tmp_path / "verslagen.md"
    r = ngs("export", "-o", str(target), *args)
    assert r.exit_code == 0, r.stderr
    text = target.read_text(encoding="utf-8")
    assert "<a id" not in text  # raw anchors leave empty paragraphs in Word
    return target


# Two meetings of one title, and one named as the sections of another are.
REPEATED = {"title: Radicalisering online": "title: Corona en de jaarwisseling",
            "title: Jeugd en veiligheid": "title: Verslag"}  # fmt: skip


@pytest.fixture(params=["mini", "bundled", "repeated"])
def data(request, mini, monkeypatch):
    if request.param == "bundled":
        monkeypatch.delenv("NGS_DATA")
        return 18
    if request.param == "repeated":
        text = mini.read_text(encoding="utf-8")
        for old, new in REPEATED.items():
            text = text.replace(old, new)
        monkeypatch.setenv("NGS_DATA", str(write(mini, text)))
    return 4


@pytest.mark.parametrize("reader", READERS)
def test_every_contents_link_lands_on_its_verslag_in_html(ngs, tmp_path, data, reader):
    page = pandoc(export(ngs, tmp_path), "-f", reader, "-t", "html").stdout
    links, targets = contents_links(page), headings(page)
    assert len(links) == data and len({t for t, _ in links}) == data
    for target, title in links:
        assert targets.get(target) == title, (target, title)


@pytest.mark.parametrize("reader", READERS)
def test_every_contents_link_has_its_bookmark_in_word(ngs, tmp_path, data, reader):
    docx = tmp_path / "verslagen.docx"
    pandoc(export(ngs, tmp_path), "-f", reader, "-o", str(docx))
    with zipfile.ZipFile(docx) as z:
        document = z.read("word/document.xml").decode("utf-8")
    anchors = re.findall(r'w:anchor="([^"]*)"', document)
    bookmarks = set(re.findall(r'<w:bookmarkStart [^>]*w:name="([^"]*)"', document))
    assert len(anchors) == data
    assert set(anchors) <= bookmarks, set(anchors) - bookmarks


@pytest.mark.parametrize("reader", READERS)
def test_a_standalone_document_is_titled_in_dutch_without_a_warning(ngs, tmp_path, reader):
    r = pandoc(export(ngs, tmp_path), "-s", "-f", reader, "-t", "html")
    assert r.stderr == ""
    assert "<title>Testverslagen</title>" in r.stdout and 'lang="nl"' in r.stdout
    assert r.stdout.count("<h1") == 1  # the document's own heading, no title block again


@pytest.mark.parametrize("reader", READERS)
def test_dashes_and_dots_stay_as_written_and_their_links_land(ngs, tmp_path, mini, reader):
    # pandoc's Markdown reader would set "--" as a dash and "..." as an ellipsis: another
    # text, and another identifier than the one the contents link to.
    # (A "." is one of the characters GitHub drops and pandoc keeps: the link follows
    # pandoc's there, see below, so "..." is tried with its reader only.)
    titles = {"Jeugd en veiligheid": "Veiligheid -- een verkenning",
              "Radicalisering online": "Jeugd en meer --- of minder"}  # fmt: skip
    if reader == "markdown":
        titles["Radicalisering online"] = "Jeugd... en meer --- of minder"
    text = mini.read_text(encoding="utf-8")
    for old, new in titles.items():
        text = text.replace(f"title: {old}", f"title: '{new}'")
    source = export(ngs, tmp_path, "--data", str(write(mini, text)))
    page = pandoc(source, "-f", reader, "-t", "html").stdout
    targets = headings(page)
    assert set(titles.values()) <= set(targets.values())
    for target, title in contents_links(page):
        assert targets.get(target) == title, (target, title)
    docx = tmp_path / "verslagen.docx"
    pandoc(source, "-f", reader, "-o", str(docx))
    with zipfile.ZipFile(docx) as z:
        document = z.read("word/document.xml").decode("utf-8")
    anchors = re.findall(r'w:anchor="([^"]*)"', document)
    bookmarks = set(re.findall(r'<w:bookmarkStart [^>]*w:name="([^"]*)"', document))
    assert anchors and set(anchors) <= bookmarks, set(anchors) - bookmarks
    assert "Veiligheid -- een verkenning" in document


def test_a_title_github_and_pandoc_read_apart_links_in_word(ngs, tmp_path, mini):
    # GitHub makes "jeugd--veiligheid-20" of this, pandoc's Markdown reader
    # "jeugd-veiligheid-2.0": the link follows pandoc's, for the Word document.
    text = mini.read_text(encoding="utf-8")
    write(mini, text.replace("title: Jeugd en veiligheid", "title: 'Jeugd & veiligheid 2.0'"))
    source = export(ngs, tmp_path, "--data", str(mini))
    page = pandoc(source, "-f", "markdown", "-t", "html").stdout
    targets = headings(page)
    for target, title in contents_links(page):
        assert targets.get(target) == title, (target, title)
    docx = tmp_path / "verslagen.docx"
    pandoc(source, "-o", str(docx))
    with zipfile.ZipFile(docx) as z:
        document = z.read("word/document.xml").decode("utf-8")
    assert 'w:anchor="jeugd-veiligheid-2.0"' in document
    assert 'w:name="jeugd-veiligheid-2.0"' in document


@pytest.mark.skipif(
    subprocess.run(["which", "soffice"], capture_output=True).returncode != 0
    or subprocess.run(["which", "pdftotext"], capture_output=True).returncode != 0,
    reason="LibreOffice or pdftotext is not installed (apt-get install libreoffice-writer "
    "poppler-utils)",
)
def test_the_contents_read_in_word_as_printed(ngs, bundled, tmp_path):
    """pandoc -> .docx -> LibreOffice -> PDF, read as a reader sees it: every contents
    entry on at most two lines, no date broken."""
    import json

    source = export(ngs, tmp_path)
    docx = tmp_path / "verslagen.docx"
    subprocess.run(["pandoc", str(source), "-o", str(docx)], check=True, capture_output=True)
    home = tmp_path / "lo-home"
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{home}", "--headless", "--convert-to",
         "pdf", "--outdir", str(tmp_path), str(docx)],
        check=True, capture_output=True, timeout=240,
    )  # fmt: skip
    lines = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "verslagen.pdf"), "-"],
        check=True, capture_output=True, text=True,
    ).stdout.splitlines()  # fmt: skip
    start = next(i for i, line in enumerate(lines) if line.strip() == "Contents")
    entries: list[list[str]] = []  # each contents entry: its printed lines
    for line in lines[start + 1 :]:
        if "•" in line:
            entries.append([line.split("•", 1)[1].strip()])
        elif line.strip() and entries and len(entries) < 18:
            entries[-1].append(line.strip())
        elif entries and not line.strip():
            break
    meetings = json.loads(ngs("list", "--format", "json").stdout)
    assert len(entries) == len(meetings)
    for m, entry in zip(meetings, entries):
        text = " ".join(entry)
        assert text.endswith(f": {m['title']}"), (m["id"], entry)
        assert len(entry) <= 2, (m["id"], entry)
        year = str(m["year"]) if m["year"] else "year unknown"
        assert entry[0].startswith(f"{year}: "), (m["id"], entry)  # never broken
