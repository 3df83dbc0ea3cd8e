"""The bundled dataset's compiled form, shipped beside its YAML: opened read-only where
the package lies and never cached; not used when it is not of that YAML or of this ngs;
and a package imported from a zip archive compiles its data into the cache once."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import ngs_cli
from ngs_cli import query, store
from ngs_cli.store import bundled, source

from .conftest import MINI, REPO, cache_folder
from .process import user_env


@pytest.fixture
def package(tmp_path, monkeypatch) -> Path:
    """A package folder as a wheel installs it: data/reports.yaml (the mini dataset here)
    and the database the wheel's build compiles beside it; the bundled data in use."""
    folder = tmp_path / "package"
    (folder / "data").mkdir(parents=True)
    shutil.copy(MINI, folder / "data" / "reports.yaml")
    bundled.build_shipped(folder / "data" / "reports.yaml", folder / "data" / "reports.sqlite")
    monkeypatch.setattr(source, "_PACKAGE", folder)
    monkeypatch.delenv("NGS_DATA")
    return folder / "data"


def ids(s: store.Store) -> list[str]:
    return [m["id"] for m in query.iter_meetings(s)]


def cached(cache: Path) -> list[str]:
    return sorted(p.name for p in cache.iterdir()) if cache.exists() else []


def test_the_shipped_database_is_opened_read_only_and_nothing_is_cached(package):
    before = {p.name: p.stat().st_mtime_ns for p in package.iterdir()}
    s = store.open_store()
    assert ids(s) == ids(store.open_store(package / "reports.yaml", use_cache=False))
    assert s.data_path == package / "reports.yaml" and s.db_path is None
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        s.conn.execute("CREATE TABLE written (x)")
    assert cached(cache_folder()) == []
    # Nothing written beside it either (no journal, no lock file): a read-only folder or
    # several users at once are the same to it.
    assert {p.name: p.stat().st_mtime_ns for p in package.iterdir()} == before


def test_a_changed_bundled_yaml_is_compiled_into_the_cache_instead(package):
    text = (package / "reports.yaml").read_text(encoding="utf-8")
    first = ids(store.open_store())[0]
    changed = text.replace(f"id: {first}\n", "id: edited-in-place\n", 1)
    assert changed != text
    (package / "reports.yaml").write_text(changed, encoding="utf-8")
    s = store.open_store()
    assert "edited-in-place" in ids(s) and first not in ids(s)
    assert s.db_path is not None and s.db_path.parent == cache_folder()


def test_a_shipped_database_of_another_ngs_is_not_used(package, monkeypatch):
    monkeypatch.setattr(bundled, "format_tag", lambda: "s1-f0-v0.0.0")
    s = store.open_store()
    assert s.db_path is not None and s.db_path.parent == cache_folder()


def test_a_damaged_shipped_database_is_no_error_and_is_left_alone(package):
    (package / "reports.sqlite").write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    s = store.open_store()
    assert ids(s) == ids(store.open_store(package / "reports.yaml", use_cache=False))
    assert (package / "reports.sqlite").exists()
    assert s.db_path is not None and s.db_path.parent == cache_folder()


def test_a_shipped_database_is_only_for_the_bundled_file(package, tmp_path):
    mine = tmp_path / "mine" / "reports.yaml"
    mine.parent.mkdir()
    shutil.copy(package / "reports.yaml", mine)
    shutil.copy(package / "reports.sqlite", mine.parent / "reports.sqlite")
    s = store.open_store(mine)
    assert s.db_path is not None and s.db_path.parent == cache_folder()


def _zipped_package(target: Path) -> Path:
    """ngs_cli as a zip archive (a zipapp, a zipped site-packages), with its data."""
    root = Path(ngs_cli.__file__).parent
    with zipfile.ZipFile(target, "w") as archive:
        for path in sorted(root.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                archive.write(path, f"ngs_cli/{path.relative_to(root).as_posix()}")
        if not (root / "data" / "reports.yaml").is_file():  # a source checkout
            archive.write(REPO / "data" / "reports.yaml", "ngs_cli/data/reports.yaml")
    return target


def test_a_package_imported_from_a_zip_compiles_its_data_into_the_cache_once(tmp_path, ngs):
    archive = _zipped_package(tmp_path / "ngs.zip")
    env = user_env(tmp_path)
    program = (
        "import sys; sys.path.insert(0, sys.argv.pop(1)); import ngs_cli; "
        "assert '.zip' in ngs_cli.__file__, ngs_cli.__file__; "
        "sys.argv[0] = 'ngs'; from ngs_cli.__main__ import main; main()"
    )
    argv = [sys.executable, "-c", program, str(archive), "list", "--format", "csv"]
    first = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=120)
    assert first.returncode == 0, first.stderr
    cache = Path(env["NGS_CACHE_DIR"])
    databases = sorted(cache.glob("*.sqlite"))
    assert len(databases) == 1
    written = databases[0].stat().st_mtime_ns
    again = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=120)
    assert again.returncode == 0 and again.stdout == first.stdout
    assert sorted(cache.glob("*.sqlite")) == databases
    assert databases[0].stat().st_mtime_ns == written  # found again, not compiled again
    expected = store.open_store(REPO / "data" / "reports.yaml", use_cache=False)
    assert first.stdout.count("\n") == 1 + len(ids(expected))
