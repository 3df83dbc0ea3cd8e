"""Loading and compiling a data file: broken and hostile files give one clear message and
run nothing; the cache is used only while it is the file's own; validate says what is wrong."""

from __future__ import annotations

import os
import time
import tracemalloc
from pathlib import Path

import pytest

from ngs_cli import query, store
from ngs_cli.errors import BadValue, DataError
from ngs_cli.store import open_store as library_open_store  # before conftest's own

from .conftest import cache_folder, write
from .process import needs_ngs, run, user_env


def load_error(path) -> str:
    with pytest.raises(DataError) as e:
        store.open_store(path, use_cache=False)
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
    assert yamlio.parse(text, "x") == yamlio.parse(text, "x", pure=True)


def test_a_key_given_twice_is_an_error_naming_both_lines(tmp_path):
    text = "schema_version: 1\ncollection: {title: x}\nmeetings: []\nmeetings: []\n"
    message = load_error(write(tmp_path / "twice.yaml", text))
    assert "the key 'meetings' is given twice" in message and "line 4" in message
    assert "first at line 3" in message


def test_a_field_given_twice_in_a_meeting_is_an_error(mini):
    text = mini.read_text(encoding="utf-8").replace(
        "  city: Utrecht\n", "  city: Utrecht\n  city: Amsterdam\n", 1
    )
    mini.write_text(text, encoding="utf-8")
    assert "the key 'city' is given twice" in load_error(mini)


def test_a_fifo_is_refused_at_once(tmp_path):
    fifo = tmp_path / "data.fifo"
    os.mkfifo(fifo)
    started = time.perf_counter()
    assert "not a regular file" in load_error(fifo)
    assert time.perf_counter() - started < 5


def test_a_device_is_refused_before_reading(tmp_path):
    assert "not a regular file" in load_error(Path("/dev/zero"))


def test_a_file_above_the_size_limit_is_refused_and_the_limit_can_be_raised(
    mini, monkeypatch, tmp_path, ngs
):
    monkeypatch.setenv("NGS_MAX_DATA_SIZE", "1K")
    message = load_error(mini)  # to a program: its settings raise the limit
    assert "more than the limit" in message and "max_size in store.Settings" in message
    said = ngs("list", "--data", str(mini)).stderr  # to a person: the variable
    assert "more than the limit" in said and "set NGS_MAX_DATA_SIZE (e.g." in said
    size = mini.stat().st_size
    monkeypatch.setenv("NGS_MAX_DATA_SIZE", str(size - 1))  # just over: the sizes differ
    assert f"is {size} bytes, more than the limit of {size - 1} bytes" in load_error(mini)
    monkeypatch.delenv("NGS_MAX_DATA_SIZE")
    big = tmp_path / "big.yaml"
    with open(big, "wb") as f:
        f.truncate(256 * 1024 * 1024 + 1)  # sparse: refused by its size before it is read
    with pytest.raises(DataError, match="is 268435457 bytes, more than the limit of 268435456"):
        store.open_store(big)  # not "is 256 MB, more than the limit of 256 MB"
    monkeypatch.setenv("NGS_MAX_DATA_SIZE", "1M")
    assert store.open_store(mini, use_cache=False).rows("SELECT count(*) FROM meetings")[0][0] == 4


def test_a_bad_size_limit_is_a_clear_error(mini, monkeypatch):
    monkeypatch.setenv("NGS_MAX_DATA_SIZE", "lots")
    assert "'lots' is not a size" in load_error(mini)


# --- the cache ------------------------------------------------------------------------


def cached(folder: Path, pattern: str = "*.sqlite") -> list[Path]:
    return sorted(folder.glob(pattern))


def titles(s: store.Store) -> list[str]:
    return [m["title"] for m in query.find_meetings(s)]


def test_the_cache_is_one_database_and_a_key(mini):
    store.open_store(mini)
    assert len(cached(cache_folder())) == 1
    assert len(cached(cache_folder(), "*.key")) == 1
    assert not cached(cache_folder(), ".tmp-*")


def test_a_warm_call_reads_neither_the_file_nor_the_yaml(mini, monkeypatch):
    store.open_store(mini)
    monkeypatch.setattr(store.DataSource, "scan", lambda *a: pytest.fail("read the data file"))
    monkeypatch.setattr(store.cache, "parse_and_validate", lambda *a: pytest.fail("parsed it"))
    assert len(titles(store.open_store(mini))) == 4


def test_a_changed_file_is_compiled_again_even_with_its_old_mtime(mini):
    store.open_store(mini)
    before = mini.stat()
    text = mini.read_text(encoding="utf-8")
    mini.write_text(text.replace("Corona en de jaarwisseling", "Corona en de jaarwisselinG"))
    os.utime(mini, ns=(before.st_atime_ns, before.st_mtime_ns))  # like touch -r
    assert "Corona en de jaarwisselinG" in titles(store.open_store(mini))


def test_a_touched_but_unchanged_file_reuses_its_database(mini, monkeypatch):
    store.open_store(mini)
    os.utime(mini)
    monkeypatch.setattr(store.cache, "parse_and_validate", lambda *a: pytest.fail("compiled again"))
    assert len(titles(store.open_store(mini))) == 4


def test_a_file_rewritten_while_it_is_compiled_is_not_cached_as_what_was_hashed(mini, monkeypatch):
    from ngs_cli import yamlio

    text = mini.read_text(encoding="utf-8")
    parse = yamlio.parse

    def rewritten_then_parsed(stream, *args, **kwargs):
        # In place and at the same size, after the pass that checked and hashed it.
        with open(mini, "r+", encoding="utf-8") as f:
            f.write(text.replace("Corona en de jaarwisseling", "Corona en de jaarwisselinG"))
        return parse(stream, *args, **kwargs)

    monkeypatch.setattr(yamlio, "parse", rewritten_then_parsed)
    with pytest.raises(DataError, match="changed while it was being read"):
        store.open_store(mini)
    assert not cached(cache_folder())
    monkeypatch.setattr(yamlio, "parse", parse)  # not undo(): that would undo conftest's too
    assert "Corona en de jaarwisselinG" in titles(store.open_store(mini))

    # Grown past the size limit after the check: not read to its end.
    monkeypatch.setenv("NGS_MAX_DATA_SIZE", str(mini.stat().st_size + 10))

    def grown_then_parsed(stream, *args, **kwargs):
        with open(mini, "a", encoding="utf-8") as f:
            f.write("# " + "x" * 10_000 + "\n")
        return parse(stream, *args, **kwargs)

    mini.write_text(text, encoding="utf-8")
    monkeypatch.setattr(yamlio, "parse", grown_then_parsed)
    with pytest.raises(DataError, match="changed while it was being read"):
        store.open_store(mini)


def test_a_key_file_can_name_no_file_but_a_database_of_its_folder(mini, tmp_path):
    import json

    store.open_store(mini)
    (key,) = cached(cache_folder(), "*.key")
    victim = write(tmp_path / "precious.txt", "mine")
    identity = json.loads(key.read_text(encoding="utf-8"))["identity"]
    for database in (str(victim), "../precious.txt", "precious.txt"):
        key.write_text(json.dumps({"identity": identity, "database": database}))
        assert len(titles(store.open_store(mini))) == 4  # compiled again, as for no key
        assert victim.read_text() == "mine"
    for content in ("[]", "null", '"s"', "123", "{}", "{nope"):
        key.write_text(content)
        assert len(titles(store.open_store(mini))) == 4


def test_a_damaged_database_is_compiled_again(mini):
    store.open_store(mini)
    (db,) = cached(cache_folder())
    db.write_bytes(b"\x00garbage" * 100)
    assert len(titles(store.open_store(mini))) == 4
    (db,) = cached(cache_folder())
    assert db.read_bytes()[:6] == b"SQLite"


def test_a_missing_database_is_compiled_again(mini):
    store.open_store(mini)
    for db in cached(cache_folder()):
        db.unlink()
    assert len(titles(store.open_store(mini))) == 4


def test_an_interrupted_compile_leaves_no_temporary_file_and_heals(mini, monkeypatch):
    def interrupted(*args):
        raise KeyboardInterrupt

    compile_into = store.compile_into
    monkeypatch.setattr(store.cache, "compile_into", interrupted)
    with pytest.raises(KeyboardInterrupt):
        store.open_store(mini)
    assert not list(cache_folder().glob(".tmp-*"))
    monkeypatch.setattr(store.cache, "compile_into", compile_into)  # not undo(): conftest's too
    assert len(titles(store.open_store(mini))) == 4


def test_stray_temporary_files_of_compiles_long_gone_are_removed(mini):
    folder = cache_folder()
    folder.mkdir(parents=True, exist_ok=True)
    stray = folder / ".ngs-tmp-abc12345.db"
    stray.write_bytes(b"half")
    an_hour_ago = time.time() - 3700
    os.utime(stray, (an_hour_ago, an_hour_ago))
    store.open_store(mini)
    assert not stray.exists()


def test_a_new_version_of_a_file_replaces_its_old_database(mini):
    store.open_store(mini)
    mini.write_text(mini.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    store.open_store(mini)
    assert len(cached(cache_folder())) == 1


def test_the_database_is_keyed_by_the_format_and_ngs_version(mini):
    from ngs_cli import __version__

    store.open_store(mini)
    (db,) = cached(cache_folder())
    assert f"v{__version__}" in db.name and f"f{store.DB_FORMAT}" in db.name


def test_no_cache_writes_nothing(mini):
    store.open_store(mini, use_cache=False)
    assert not cache_folder().exists() or not list(cache_folder().iterdir())


def test_an_unwritable_cache_folder_is_no_error(mini, monkeypatch, tmp_path):
    blocker = write(tmp_path / "file", "x")
    monkeypatch.setenv("NGS_CACHE_DIR", str(blocker / "sub"))
    assert len(titles(store.open_store(mini))) == 4


def test_standard_input_is_read_and_never_cached(mini, monkeypatch):
    import io

    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(mini.read_bytes())))
    assert len(titles(store.open_store("-"))) == 4
    assert not cache_folder().exists() or not list(cache_folder().iterdir())


@pytest.mark.skipif(not Path("/proc/self/mem").exists(), reason="needs Linux's /proc/self/mem")
def test_a_file_that_fails_to_read_is_named_as_such():
    # A regular file whose reading fails (EIO): a read error of that file, not a write error.
    assert "/proc/self/mem: cannot be read" in load_error(Path("/proc/self/mem"))


# --- the validate command -------------------------------------------------------------


def test_validate(ngs, mini):
    r = ngs("validate", str(mini))
    assert r.exit_code == 0 and "valid (4 meetings, 3 topics)" in r.stdout
    mini.write_text(mini.read_text().replace("year: 2019", "year: '2019'"))
    r = ngs("validate", str(mini))
    assert r.exit_code == 1 and "field year: expected an integer" in r.stderr
    assert "line " in r.stderr


def test_the_library_reads_no_environment(monkeypatch, tmp_path, mini):
    # NGS_DATA, NGS_MAX_DATA_SIZE and NGS_CACHE_DIR are the command line's to read: the
    # library opens what its settings say, by default the bundled data.
    monkeypatch.setenv("NGS_DATA", str(mini))
    monkeypatch.setenv("NGS_MAX_DATA_SIZE", "not a size")
    opened = library_open_store(use_cache=False)
    assert opened.data_path == store.bundled_path()
    assert len(titles(opened)) > 4
    own = store.Settings(data=str(mini), cache_dir=tmp_path / "cache")
    assert len(titles(library_open_store(settings=own))) == 4
    assert list((tmp_path / "cache").glob("*.sqlite"))  # its cache, not $NGS_CACHE_DIR
    assert not list(cache_folder().glob("*.sqlite"))
    with pytest.raises(DataError, match="more than the limit"):
        library_open_store(settings=store.Settings(data=str(mini), max_size=100))
    with pytest.raises(BadValue, match="is not a size"):
        store.Settings(max_size="1K")  # type: ignore[arg-type]


@needs_ngs
def test_a_limit_of_many_gigabytes_is_not_asked_of_the_memory(mini, tmp_path):
    # Standard input (a pipe) is read up to one byte past the limit: a piece at a time,
    # never a buffer of the limit's size at once.
    env = user_env(tmp_path, NGS_MAX_DATA_SIZE="100G", NGS_DATA="-")
    data = mini.read_text(encoding="utf-8")
    r = run("list", "--format", "plain", env=env, input=data)
    assert r.returncode == 0 and len(r.stdout.splitlines()) == 4, r.stderr
    r = run("list", env={**env, "NGS_MAX_DATA_SIZE": "9" * 23}, input=data)
    assert r.returncode == 1 and "is not a size" in r.stderr
