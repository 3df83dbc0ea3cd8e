"""The exported SQLite database with the tools it is exported for: its SQL examples,
sqlite-utils' and Datasette's own search, and an index that stays true when edited."""

from __future__ import annotations

import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import REPO


@pytest.fixture
def exported(ngs, bundled, tmp_path) -> Path:
    target = tmp_path / "verslagen.db"
    r = ngs("export", "--format", "sqlite", "--output", str(target))
    assert r.exit_code == 0, r.stderr
    return target


def sql_examples() -> list[str]:
    text = (REPO / "docs" / "database.md").read_text(encoding="utf-8")
    return re.findall(r"```sql\n(.*?)```", text, re.DOTALL)


def test_the_docs_have_sql_examples():
    assert len(sql_examples()) >= 3


@pytest.mark.parametrize("sql", sql_examples(), ids=lambda s: s.split("\n")[0][:40])
def test_every_sql_example_of_the_docs_runs_and_finds_something(exported, sql):
    with sqlite3.connect(exported) as conn:
        rows = conn.execute(sql).fetchall()
    assert rows


def sqlite_utils(*args: str) -> subprocess.CompletedProcess[str]:
    tool = shutil.which("sqlite-utils", path=str(Path(sys.executable).parent))
    assert tool, "sqlite-utils is in the test extra: pip install '.[test]'"
    return subprocess.run([tool, *args], capture_output=True, text=True, check=True)


def test_sqlite_utils_search_works_on_the_meetings_table(exported):
    found = sqlite_utils("search", str(exported), "meetings", "carbid", "--csv", "-c", "id")
    assert found.stdout.splitlines() == ["id", "2020-corona-online"]
    # Datasette finds a table's index the way sqlite-utils does.
    from sqlite_utils import Database

    assert Database(exported)["meetings"].detect_fts() == "meetings_fts"


def test_an_edit_keeps_the_index_true(exported):
    with sqlite3.connect(exported) as conn:
        conn.execute("UPDATE meetings SET text = text || ' tulpenbollen' WHERE id = '2013-utrecht'")
        conn.execute("DELETE FROM meetings WHERE id = '2020-corona-online'")
    assert sqlite_utils("search", str(exported), "meetings", "tulpenbollen", "--csv",
                        "-c", "id").stdout.splitlines() == ["id", "2013-utrecht"]  # fmt: skip
    assert sqlite_utils("search", str(exported), "meetings", "carbid", "--csv",
                        "-c", "id").stdout.splitlines() == ["id"]  # fmt: skip


def test_sqlite_utils_maintenance_commands_work_on_the_export(exported):
    # fts5vocab tables were taken for indexes by optimize and rebuild-fts, and failed.
    sqlite_utils("optimize", str(exported))
    sqlite_utils("rebuild-fts", str(exported))
    found = sqlite_utils("search", str(exported), "meetings", "carbid", "--csv", "-c", "id")
    assert found.stdout.splitlines() == ["id", "2020-corona-online"]


@pytest.mark.parametrize("how", [["--no-cache"], ["--data", "-"]])
def test_a_dataset_compiled_in_memory_exports_as_a_database(tmp_path, how):
    # Its compile's transaction stays open: the backup once found it busy for ever.
    from .process import NGS, user_env

    target = tmp_path / "verslagen.db"
    data = (REPO / "data" / "reports.yaml").read_bytes()
    r = subprocess.run(
        [NGS, "export", *how, "-o", str(target)], input=data if "-" in how else None,
        env={**user_env(tmp_path), "NGS_DATA": str(REPO / "data" / "reports.yaml")},
        capture_output=True, timeout=60,
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    with sqlite3.connect(target) as conn:
        assert conn.execute("SELECT count(*) FROM meetings").fetchone()[0] == 18
