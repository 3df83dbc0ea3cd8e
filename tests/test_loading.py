"""Broken and hostile data files: one clear message, exit 1, no traceback, nothing run."""

from __future__ import annotations

import time
import tracemalloc

import pytest

from ngs_cli import dataset
from ngs_cli.errors import DataError

from .conftest import write


def load_error(path) -> str:
    with pytest.raises(DataError) as e:
        dataset.load(path, use_cache=False)
    return str(e.value)


def test_yaml_syntax_error_names_file_line_and_column(tmp_path):
    path = write(tmp_path / "bad.yaml", "schema_version: 1\nmeetings: [\n  {id: a\n")
    message = load_error(path)
    assert str(path) in message
    assert "line 4, column 1" in message or "line 3" in message


def test_empty_file(tmp_path):
    assert "is empty" in load_error(write(tmp_path / "e.yaml", "\n  \n"))


def test_file_with_only_comments_is_empty(tmp_path):
    assert "is empty" in load_error(write(tmp_path / "c.yaml", "# nothing here\n"))


def test_missing_file(tmp_path):
    assert "no such file" in load_error(tmp_path / "nope.yaml")


def test_directory_instead_of_file(tmp_path):
    assert "is a directory" in load_error(tmp_path)


def test_not_utf8(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("title: Syriëgangers\n".encode("latin-1"))
    message = load_error(path)
    assert "not UTF-8" in message and "line 1" in message


def test_python_tag_is_refused_and_runs_nothing(tmp_path):
    marker = tmp_path / "ran"
    path = write(tmp_path / "evil.yaml", f"x: !!python/object/apply:os.system ['touch {marker}']\n")
    message = load_error(path)
    assert "not allowed" in message and "python/object/apply" in message
    assert not marker.exists()


def test_alias_bomb_is_refused_quickly_with_bounded_memory(tmp_path):
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 12):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    path = write(tmp_path / "bomb.yaml", "\n".join(lines) + "\n")
    tracemalloc.start()
    started = time.perf_counter()
    message = load_error(path)
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert "aliases" in message
    assert elapsed < 5 and peak < 50_000_000


def test_schema_problems_all_reported_naming_meeting_field_and_line(mini):
    text = mini.read_text(encoding="utf-8")
    text = text.replace("title: Corona en de jaarwisseling", "title: [not, a, string]")
    text = text.replace("  year: 2019\n", "  year: 2018\n")
    text = text.replace("- id: onbekend-jaar", "- id: 2021-utrecht")
    mini.write_text(text, encoding="utf-8")
    message = load_error(mini)
    assert "3 problems" in message
    assert "meeting '2021-utrecht' (#1), field title: expected a string" in message
    assert "meeting '2019-leeuwarden' (#3), field date: 2019-04-11 contradicts year 2018" in message
    assert "duplicate id '2021-utrecht'" in message
    assert "line 22: meeting '2021-utrecht' (#1), field title" in message


def test_top_level_must_be_a_mapping(tmp_path):
    assert "top level" in load_error(write(tmp_path / "l.yaml", "- a\n- b\n"))


def test_pure_python_parser_gives_the_same_data(mini):
    from ngs_cli import yamlio

    text = mini.read_text(encoding="utf-8")
    assert yamlio.parse(text, "x")[0] == yamlio.parse(text, "x", pure=True)[0]


# --- the cache ------------------------------------------------------------------------


def test_cache_is_used_and_never_stale(mini, monkeypatch):
    first = dataset.load(mini)
    assert first.meetings[0]["title"] == "Corona en de jaarwisseling"
    cached = sorted(p.suffix for p in dataset.cache_dir().iterdir())
    assert cached == [".body", ".lines", ".meta", ".search"]
    # Same size, same modification time, different content: still re-read.
    stat = mini.stat()
    text = mini.read_text(encoding="utf-8").replace(
        "Corona en de jaarwisseling", "Corona en de jaarwisselinG"
    )
    mini.write_text(text, encoding="utf-8")
    import os

    os.utime(mini, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert dataset.load(mini).meetings[0]["title"] == "Corona en de jaarwisselinG"


def test_cache_hit_skips_parsing(mini, monkeypatch):
    dataset.load(mini)
    monkeypatch.setattr(
        dataset, "parse_and_validate", lambda *a: pytest.fail("parsed although the cache was valid")
    )
    assert len(dataset.load(mini).meetings) == 4


def test_corrupt_cache_is_ignored_and_rebuilt(mini):
    dataset.load(mini)
    for cache in dataset.cache_dir().iterdir():
        cache.write_bytes(b"\x00garbage" * 10)
    ds = dataset.load(mini)
    assert len(ds.meetings) == 4 and ds.meetings[0]["sections"][1]["blocks"]
    for cache in dataset.cache_dir().iterdir():
        assert cache.read_bytes()[:8] != b"\x00garbage"


def test_damaged_body_cache_falls_back_to_the_file(mini):
    dataset.load(mini)
    (body,) = dataset.cache_dir().glob("*.body")
    body.write_bytes(b"junk")
    ds = dataset.load(mini, bodies=False)
    assert "blocks" not in ds.meetings[0]["sections"][0]
    assert ds.with_bodies().meetings[0]["sections"][0]["blocks"][0]["paragraph"].startswith("Op ")


def test_show_survives_a_damaged_body_cache(mini, ngs):
    dataset.load(mini)
    (body,) = dataset.cache_dir().glob("*.body")
    body.write_bytes(b"junk")
    r = ngs("show", "2019-leeuwarden", "--data", str(mini))
    assert r.exit_code == 0 and "Jongerenoverlast en veilig uitgaan" in r.stdout


def test_a_new_version_of_a_file_replaces_its_old_cache(mini):
    dataset.load(mini)
    mini.write_text(mini.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    dataset.load(mini)
    assert len(list(dataset.cache_dir().iterdir())) == 4


def test_no_cache_bypasses_it(mini):
    dataset.load(mini, use_cache=False)
    assert not dataset.cache_dir().exists() or not list(dataset.cache_dir().iterdir())


def test_unwritable_cache_folder_is_no_error(mini, monkeypatch, tmp_path):
    blocker = write(tmp_path / "file", "x")
    monkeypatch.setenv("NGS_CACHE_DIR", str(blocker / "sub"))
    assert len(dataset.load(mini).meetings) == 4
