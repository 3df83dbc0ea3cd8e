"""The documentation's console examples are real, and its links lead somewhere.

Every ```console block of README.md and of docs/*.md is run, also one indented inside a
list item. An example line "..." stands for lines left out, and a line ending in " ..."
for the rest of that line; everything else must match, in order. Each example runs in a
folder of its own that holds the files the examples name: bad.yaml (a file with three
problems), own.yaml and data/reports.yaml (copies of the bundled data) and nieuw.txt
(the verslag text of docs/curating.md).

Every relative link names a file of the repository (and a heading of it, after "#");
no link or path in backticks leads out of the repository.
"""

from __future__ import annotations

import re
import shlex
import textwrap
from pathlib import Path

import pytest

from .conftest import REPO

DOCS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]

BAD_YAML = (
    "schema_version: 1\ncollection: {title: x}\nmeetings:\n- id: Bad Id\n  title: t\n"
    '  year: "2019"\n  date_precision: day\n  sections: []\n'
)

# The text docs/curating.md drafts a record from.
NIEUW_TXT = """\
Het thema in 2024 was Jeugd en veiligheid.

Op donderdag 14 maart kwamen ruim 40 ambtenaren openbare orde en veiligheid in Zwolle bijeen.

Programma

 • Opening door Jan de Vries, directeur van het CCV
 • Inleiding Anna Bakker, burgemeester van Zwolle
 • Gezamenlijk diner.

Bestanden
"""

CONSOLE = re.compile(r"^( *)```console\n(.*?)^\1```", re.DOTALL | re.MULTILINE)


def examples() -> list[tuple[str, str, list[str]]]:
    found = []
    for doc in DOCS:
        name = doc.relative_to(REPO).as_posix()
        text = doc.read_text(encoding="utf-8")
        for indent, block in CONSOLE.findall(text):
            command, expected = None, []
            for line in block.splitlines():
                line = line.removeprefix(indent)
                if line.startswith("$ "):
                    if command:
                        found.append((name, command, expected))
                    command, expected = line[2:], []
                else:
                    expected.append(line)
            if command:
                found.append((name, command, expected))
    return found


def matches(expected: list[str], actual: list[str]) -> bool:
    i = 0
    skipping = False
    for want in expected:
        if want == "...":
            skipping = True
            continue
        while i < len(actual):
            got = actual[i]
            i += 1
            ok = got.startswith(want[:-4]) if want.endswith(" ...") else got == want
            if ok:
                break
            if not skipping:
                return False
        else:
            return False
        skipping = False
    return skipping or i == len(actual)


EXAMPLES = examples()


def test_the_user_documents_have_examples():
    documents = {doc for doc, _, _ in EXAMPLES}
    assert {"README.md", "docs/commands.md", "docs/curating.md"} <= documents


def test_the_curating_guide_drafts_from_the_text_it_shows():
    guide = (REPO / "docs" / "curating.md").read_text(encoding="utf-8")
    assert textwrap.indent(NIEUW_TXT, "   ") in guide


@pytest.mark.parametrize(
    "doc, command, expected", EXAMPLES, ids=[f"{doc}: {command}" for doc, command, _ in EXAMPLES]
)
def test_console_example(ngs, bundled, tmp_path, monkeypatch, doc, command, expected):
    args = shlex.split(command.split("#")[0])
    # A variable set for the command (LANGUAGE=nl ngs ...) is set for it here too.
    while args and re.fullmatch(r"[A-Z_]+=\S*", args[0]):
        name, value = args.pop(0).split("=", 1)
        monkeypatch.setenv(name, value)
    assert args[0] == "ngs", f"{doc}: an example runs ngs alone: {command}"
    data = (REPO / "data" / "reports.yaml").read_bytes()
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "reports.yaml").write_bytes(data)
    (tmp_path / "own.yaml").write_bytes(data)
    (tmp_path / "bad.yaml").write_text(BAD_YAML, encoding="utf-8")
    (tmp_path / "nieuw.txt").write_text(NIEUW_TXT, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    r = ngs(*args[1:])
    actual = (r.stdout + r.stderr).splitlines()
    if not expected:
        assert r.exit_code == 0
        return
    assert matches(expected, actual), "\n".join(actual[:40])


# --- links -------------------------------------------------------------------------------

FENCE = re.compile(r"^ *```.*?^ *```", re.DOTALL | re.MULTILINE)
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
RELATIVE_PATH = re.compile(r"`(\.\.?/[^`\s]+)`")


def anchors(doc: Path) -> set[str]:
    """The anchors GitHub makes of a document's headings."""
    seen: dict[str, int] = {}
    out = set()
    for heading in re.findall(r"^#{1,6} +(.+?) *$", FENCE.sub("", doc.read_text("utf-8")), re.M):
        slug = re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
        n = seen.get(slug, 0)
        seen[slug] = n + 1
        out.add(slug if n == 0 else f"{slug}-{n}")
    return out


@pytest.mark.parametrize("doc", DOCS, ids=lambda d: d.relative_to(REPO).as_posix())
def test_links_resolve_inside_the_repository(doc):
    text = FENCE.sub("", doc.read_text(encoding="utf-8"))
    for target in LINK.findall(text):
        if re.match(r"[a-z]+:", target):
            continue
        path, _, anchor = target.partition("#")
        file = (doc.parent / path).resolve() if path else doc
        assert file.is_relative_to(REPO), f"{target}: outside the repository"
        assert file.exists(), f"{target}: no such file"
        if anchor:
            assert anchor in anchors(file), f"{target}: no such heading"
    for path in RELATIVE_PATH.findall(text):
        file = (doc.parent / path).resolve()
        assert file.is_relative_to(REPO), f"{path}: outside the repository"
