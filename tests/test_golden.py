"""Every text format of the bundled data, in both languages, byte for byte as it was
recorded: a change to how ngs writes (a refactor of the writers, the language, the
calendar) cannot change what a reader gets without this test saying which output moved.

The outputs are kept as SHA-256 digests (tests/fixtures/golden.json); after a change
that is meant to change an output, record them again and say why in the commit:

    python -m tests.test_golden --write
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import sqlite3
import sys
import tempfile
import zipfile
from pathlib import Path

from .conftest import FIXTURES

GOLDEN = FIXTURES / "golden.json"
LANGUAGES = ("en", "nl")
COMMANDS = [
    *(["export", "--format", fmt] for fmt in ("csv", "json", "ndjson", "markdown", "text",
                                                "html", "atom")),
    ["export", "--format", "csv", "--excel"],
    ["export", "--format", "json", "--fields", "id,text,url"],
    ["list", "--format", "plain"],
    ["list", "--format", "csv", "--fields", "id,date,city,title"],
    *(["show", "2014-utrecht", "--format", fmt] for fmt in ("text", "markdown", "json")),
    *(["cite", "2013-eindhoven", "--style", style, "--accessed", "2026-11-30"]
      for style in ("apa", "bibtex", "csl-json", "ris")),
    ["cite", "2016-amersfoort", "--accessed", "2026-11-30"],
    ["people", "--format", "plain"],
    ["topics", "--format", "json"],
    ["timeline", "--format", "plain"],
]  # fmt: skip
# The binary formats, written to a file: their content, without what differs run by run
# (the workbook's time of creation in docProps/core.xml).
FILES = [["export", "--format", "xlsx"], ["export", "--format", "sqlite"]]
# Not here: search and related, whose scores come from SQLite's FTS5 (its version is the
# system's); tests/test_search.py checks what they find.


def name(args: list[str], language: str) -> str:
    return f"{' '.join(args)} [{language}]"


def outputs() -> dict[str, str]:
    """The digest of each command's output over the bundled data, in each language."""
    from ngs_cli import i18n

    from .conftest import Run

    ngs = Run()
    found = {}
    for language in LANGUAGES:
        for args in COMMANDS:
            i18n.use(None)  # as a new process starts: the run reads its language
            r = ngs(*args, env={"LANGUAGE": language})
            assert r.exit_code == 0, (args, r.stderr)
            found[name(args, language)] = hashlib.sha256(r.stdout_bytes).hexdigest()
        for args in FILES:
            i18n.use(None)
            with tempfile.TemporaryDirectory() as folder:
                path = Path(folder) / f"out.{args[-1]}"
                r = ngs(*args, "--output", str(path), env={"LANGUAGE": language})
                assert r.exit_code == 0, (args, r.stderr)
                found[name(args, language)] = hashlib.sha256(_content(path)).hexdigest()
    i18n.use(None)
    return found


def _content(path: Path) -> bytes:
    """A written file's content: a workbook's parts but its time of creation; a database's
    SQL dump but the wheel's fingerprint."""
    if path.suffix == ".xlsx":
        with zipfile.ZipFile(path) as book:
            return b"".join(
                name.encode() + book.read(name)
                for name in sorted(book.namelist())
                if name != "docProps/core.xml"
            )
    with contextlib.closing(sqlite3.connect(path)) as db:
        # But for the fingerprint of the data file a wheel's database was built from,
        # which an installed package's has and a source checkout's compile has not.
        lines = (line for line in db.iterdump() if "'content_crc32'" not in line)
        return "\n".join(lines).encode()


def test_every_output_is_as_recorded(bundled):
    recorded = json.loads(GOLDEN.read_text(encoding="utf-8"))
    now = outputs()
    moved = [key for key in now if recorded.get(key) != now[key]]
    assert set(recorded) == set(now), "record them again: python -m tests.test_golden --write"
    assert not moved, f"these outputs changed: {moved}"


def test_the_record_tells_a_changed_output(bundled):
    # One digest planted wrong must be found, and named.
    recorded = json.loads(GOLDEN.read_text(encoding="utf-8"))
    key = name(COMMANDS[0], "nl")
    recorded[key] = "0" * 64
    now = outputs()
    assert [k for k in now if recorded.get(k) != now[k]] == [key]


if __name__ == "__main__" and "--write" in sys.argv:
    import os

    from . import conftest

    conftest.pytest_configure(None)
    os.environ["NGS_CACHE_DIR"] = tempfile.mkdtemp(prefix="ngs-golden-")
    os.environ["COLUMNS"] = "100"
    GOLDEN.write_text(json.dumps(outputs(), indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(f"recorded {GOLDEN}")
