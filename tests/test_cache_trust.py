"""The cache trusts nothing it finds: it deletes only its own temporary files, uses a
database only when this user's ngs made it for this very data, and finds its folder per
the XDG spec, or a private one, whatever the environment lacks."""

from __future__ import annotations

import os
import sqlite3
import stat
import time
from pathlib import Path

import pytest

from ngs_cli import query, store
from ngs_cli.cli import settings as edge

from .conftest import write
from .process import posix

HOUR = 3600


def titles(s: store.Store) -> list[str]:
    return [m["title"] for m in query.find_meetings(s)]


def the_database(folder: Path) -> Path:
    (db,) = folder.glob("*.sqlite")
    return db


def aged(path: Path, seconds: float) -> Path:
    then = time.time() - seconds
    os.utime(path, (then, then), follow_symlinks=False)
    return path


@pytest.fixture
def compiled(mini):
    """The mini dataset compiled once into the cache; its titles."""
    return titles(store.open_store(mini))


# --- family 1: only ngs's own files are ngs's ----------------------------------------


def test_clean_up_removes_only_its_own_old_temporary_files(mini):
    folder = edge.store_settings(os.environ).cache_dir
    folder.mkdir(parents=True, exist_ok=True)
    others = [
        write(folder / ".tmp-999999999-abc.db", "someone's"),  # a dead pid, not ngs's name
        write(folder / ".tmp-notes", "someone's"),
        aged(write(folder / ".tmp-1-x", "someone's"), 2 * HOUR),
        aged(write(folder / ".ngs-tmp-notours.txt", "someone's"), 2 * HOUR),
    ]
    young = write(folder / ".ngs-tmp-k3j9x_2a.db", "a compile still running")
    stale = aged(write(folder / ".ngs-tmp-q8w2e4r6.db", "half"), 2 * HOUR)
    stale_key = aged(write(folder / ".ngs-tmp-z1x2c3v4", "half"), 2 * HOUR)
    store.open_store(mini)
    assert all(p.read_text() == "someone's" for p in others)
    assert young.exists()  # may be another ngs's compile, under way
    assert not stale.exists() and not stale_key.exists()


@posix
def test_a_killed_compile_s_file_goes_at_the_next_run_one_under_way_stays(mini):
    import fcntl

    folder = edge.store_settings(os.environ).cache_dir
    folder.mkdir(parents=True, exist_ok=True)
    # A compile under way holds its file locked, however long it takes; one that was
    # killed held it until it died.
    running = aged(write(folder / ".ngs-tmp-r7u5n1n9.db", "being written"), 600)
    killed = aged(write(folder / ".ngs-tmp-k1l2e3d4.db", "half"), 5)
    key = aged(write(folder / ".ngs-tmp-z1x2c3v4", "a key being written"), 5)
    with open(running, "rb") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        store.open_store(mini)
        assert running.exists() and key.exists()
        assert not killed.exists()


@pytest.mark.slow
@posix
def test_sigkill_during_a_first_compile_leaves_nothing_for_long(tmp_path):
    import signal
    import subprocess

    from .process import NGS, user_env

    if NGS is None:
        pytest.skip("the ngs console script is not installed (run `pip install '.[test]'`)")
    big = tmp_path / "groot.yaml"
    big.write_text(many_meetings(3_000), encoding="utf-8")
    cache = tmp_path / "cache"
    env = user_env(tmp_path, NGS_CACHE_DIR=str(cache), NGS_DATA=str(big))
    proc = subprocess.Popen([NGS, "list", "--limit", "1"], env=env, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not list(cache.glob("**/.ngs-tmp-*.db")) and time.monotonic() < deadline:
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert list(cache.glob("**/.ngs-tmp-*.db")), "the compile had not begun writing"
    time.sleep(1.1)  # past the second a new file is given before its writer locks it
    r = subprocess.run([NGS, "list", "--limit", "1"], env=env, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert not list(cache.glob("**/.ngs-tmp-*")), list(cache.glob("**/*"))


def many_meetings(count: int) -> str:
    """A data file of ``count`` meetings with some text each, in the data file's form."""
    lines = ["schema_version: 1", "collection: {title: Groot}", "meetings:"]
    for n in range(count):
        lines += [
            f"- id: m-{n}",
            f"  title: Bijeenkomst {n}",
            "  year: 2020",
            "  date_precision: year",
            "  sections:",
            "  - blocks:",
            f"    - paragraph: '{'Het ging over veiligheid en woninginbraak. ' * 40}'",
        ]
    return "\n".join(lines) + "\n"


@posix
def test_a_shared_cache_folder_keeps_everyone_else_s_files(mini, tmp_path, monkeypatch):
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)  # as /tmp is
    monkeypatch.setenv("NGS_CACHE_DIR", str(shared))
    theirs = [
        aged(write(shared / ".tmp-999999999-abc.db", "someone's"), 2 * HOUR),
        aged(write(shared / ".ngs-tmp-q8w2e4r6.db", "someone's"), 2 * HOUR),
        aged(write(shared / "1234abcd.key", "someone's"), 2 * HOUR),
    ]
    assert len(titles(store.open_store(mini))) == 4
    assert all(p.read_text() == "someone's" for p in theirs)
    # ngs's own files are in a private folder of its own, not among everyone's.
    assert not list(shared.glob("*.sqlite"))
    (private,) = [p for p in shared.iterdir() if p.is_dir()]
    assert private.stat().st_uid == os.geteuid()
    assert stat.S_IMODE(private.stat().st_mode) == 0o700
    assert len(list(private.glob("*.sqlite"))) == 1


# --- family 2: the cache is a convenience, never an authority ------------------------


def planted(db: Path, sql: str) -> None:
    """Change a compiled database in place, as someone with a copy of SQLite could."""
    db.chmod(0o600)
    conn = sqlite3.connect(db)
    conn.executescript(sql)
    conn.commit()
    conn.close()


PLANTS = {
    "an edited title": "UPDATE meetings SET title = 'PLANTED' WHERE position = 0",
    "rows with invalid JSON": "UPDATE meetings SET themes = '{nope', speakers = '[';",
    "a meta table that names other columns": (
        "UPDATE meta SET value = '[[\"x\", \"json\"]]' WHERE key = 'record_columns'"
    ),
    "an endless recursive view": (
        "DROP TABLE collection; CREATE VIEW collection AS WITH RECURSIVE r(n) AS "
        "(SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT 't' AS title, NULL AS source_url, "
        "NULL AS publisher, '[]' AS introduction FROM r WHERE n < 0;"
    ),
}


@pytest.mark.parametrize("change", PLANTS, ids=list(PLANTS))
def test_an_edited_database_is_never_shown_and_is_rebuilt_at_once(mini, compiled, change):
    db = the_database(edge.store_settings(os.environ).cache_dir)
    planted(db, PLANTS[change])
    s = store.open_store(mini)
    assert titles(s) == compiled
    assert s.collection()["title"]
    assert "PLANTED" not in titles(store.open_store(mini))


@pytest.mark.parametrize("how", ["truncated", "a damaged page", "emptied", "a directory"])
def test_a_damaged_database_is_rebuilt_on_the_same_run(mini, compiled, how):
    db = the_database(edge.store_settings(os.environ).cache_dir)
    size = db.stat().st_size
    if how == "truncated":
        os.truncate(db, size // 2)
    elif how == "a damaged page":
        with open(db, "r+b") as f:
            f.seek(size // 2)
            f.write(b"\xff" * 4096)
    elif how == "emptied":
        os.truncate(db, 0)
    else:
        db.unlink()
        db.mkdir()
    assert titles(store.open_store(mini)) == compiled


def test_a_database_planted_under_the_right_name_is_not_used(mini, compiled, tmp_path):
    # Another user's (or an old) cache folder copied in whole: its key and database name
    # the data file exactly, but they were made with another secret.
    folder = edge.store_settings(os.environ).cache_dir
    db = the_database(folder)
    planted(db, PLANTS["an edited title"])
    for secret in folder.glob(".ngs-secret*"):
        secret.unlink()
    assert titles(store.open_store(mini)) == compiled


@posix
@pytest.mark.parametrize("where", ["key", "secret"])
@pytest.mark.parametrize("what", ["a FIFO", "a link to /dev/zero", "a link elsewhere"])
def test_a_key_file_that_is_no_regular_file_is_replaced_without_hanging(
    mini, compiled, tmp_path, where, what
):
    folder = edge.store_settings(os.environ).cache_dir
    (path,) = folder.glob("*.key") if where == "key" else folder.glob(".ngs-secret*")
    path.unlink()
    if what == "a FIFO":
        os.mkfifo(path)
    elif what == "a link to /dev/zero":
        path.symlink_to("/dev/zero")
    else:
        path.symlink_to(write(tmp_path / "elsewhere", "{}"))
    assert titles(store.open_store(mini)) == compiled
    assert (tmp_path / "elsewhere").read_text() == "{}" if what == "a link elsewhere" else True


@posix
def test_a_folder_others_may_write_is_not_trusted(mini, compiled):
    folder = edge.store_settings(os.environ).cache_dir
    planted(the_database(folder), PLANTS["an edited title"])
    folder.chmod(0o777)
    assert titles(store.open_store(mini)) == compiled


@posix
def test_a_folder_of_another_user_is_not_trusted(mini, compiled, monkeypatch):
    planted(the_database(edge.store_settings(os.environ).cache_dir), PLANTS["an edited title"])
    someone_else = os.geteuid() + 1
    monkeypatch.setattr(os, "geteuid", lambda: someone_else)
    assert titles(store.open_store(mini)) == compiled


@posix
def test_a_database_that_is_a_link_is_not_followed(mini, compiled, tmp_path):
    db = the_database(edge.store_settings(os.environ).cache_dir)
    elsewhere = tmp_path / "elsewhere.sqlite"
    db.rename(elsewhere)
    planted(elsewhere, PLANTS["an edited title"])
    db.symlink_to(elsewhere)
    assert titles(store.open_store(mini)) == compiled


def test_nothing_in_the_cache_folder_is_an_internal_error(ngs, mini, compiled):
    # NGS_DEBUG=1 (conftest): an unexpected exception would reach the test.
    folder = edge.store_settings(os.environ).cache_dir
    for key in folder.glob("*.key"):
        write(key, '{"identity": 1, "database": []}')
    planted(the_database(folder), PLANTS["rows with invalid JSON"])
    r = ngs("list", "--data", str(mini), "--format", "json")
    assert r.exit_code == 0 and "PLANTED" not in r.stdout and r.stderr == ""


def test_a_file_of_the_user_s_in_a_cache_folder_they_named_is_left_alone(
    mini, tmp_path, monkeypatch
):
    # NGS_CACHE_DIR may name a folder of the user's own, with their files in it: ngs
    # writes only names of its own there, and removes none of theirs.
    folder = tmp_path / "mine"
    folder.mkdir(mode=0o700)
    theirs = {name: write(folder / name, f"the user's {name}") for name in
              ("secret", "notes.key", "a.sqlite", "key", ".tmp-x")}  # fmt: skip
    monkeypatch.setenv("NGS_CACHE_DIR", str(folder))
    store.open_store(mini)
    store.open_store(mini)
    assert all(path.read_text() == f"the user's {name}" for name, path in theirs.items())
    assert (folder / ".ngs-secret").is_file()


def test_a_key_edited_to_name_another_database_is_not_believed(mini, tmp_path, compiled):
    # Two data files compiled; the first one's key is given the second one's database
    # and check (each genuine): the key's own seal no longer holds, and the first file's
    # meetings are shown, compiled again.
    other = write(tmp_path / "other.yaml", mini.read_text("utf-8").replace(
        "title: Jeugd en veiligheid", "title: Van een ander bestand"))  # fmt: skip
    store.open_store(other)
    import json

    folder = edge.store_settings(os.environ).cache_dir
    keys = {json.loads(p.read_text())["identity"][0]: p for p in folder.glob("*.key")}
    mine, theirs = keys[str(mini.resolve())], keys[str(other.resolve())]
    key, donor = json.loads(mine.read_text()), json.loads(theirs.read_text())
    key["database"], key["check"] = donor["database"], donor["check"]
    mine.write_text(json.dumps(key))
    assert titles(store.open_store(mini)) == compiled
    assert "Van een ander bestand" not in titles(store.open_store(mini))


@posix
def test_a_private_folder_is_not_made_inside_another_user_s_open_folder(
    mini, tmp_path, monkeypatch
):
    # /tmp/ngs-UID made by someone else, writable by all and without the sticky bit:
    # what ngs made in it could be renamed or swapped, so nothing is cached there.
    shared = tmp_path / "open"
    shared.mkdir()
    shared.chmod(0o777)
    owner = os.geteuid()
    if owner == 0:  # root's folders count as safe: give it to an ordinary user
        owner = 4242
        os.chown(shared, owner, owner)
    someone_else = owner + 1
    monkeypatch.setattr(os, "geteuid", lambda: someone_else)  # shared is not "ours"
    monkeypatch.setenv("NGS_CACHE_DIR", str(shared))
    from ngs_cli.store.cache import _shared_safely, private_folder

    assert private_folder(shared) is None and not (shared / f"ngs-{someone_else}").exists()
    shared.chmod(0o777 | stat.S_ISVTX)  # sticky, but its owner may still rename anything
    assert not _shared_safely(shared)


@posix
@pytest.mark.parametrize(
    ("mode", "safe"),
    [(0o755, True), (0o777 | stat.S_ISVTX, True), (0o777, False), (0o775, False)],
    ids=["private", "sticky like /tmp", "open to all", "open to the group"],
)
def test_a_folder_of_one_s_own_is_a_safe_parent_only_if_closed_or_sticky(tmp_path, mode, safe):
    from ngs_cli.store.cache import _shared_safely

    folder = tmp_path / "parent"
    folder.mkdir()
    folder.chmod(mode)
    assert _shared_safely(folder) is safe


def test_a_database_of_an_older_key_is_removed_when_replaced(mini, compiled):
    # A key written by an older ngs (no check, no seal) still names the database it
    # compiled to: once the file is compiled again, that database goes.
    import json

    folder = edge.store_settings(os.environ).cache_dir
    (key,) = folder.glob("*.key")
    old = folder / ("0" * 32 + "-s1-f5-v0.3.0.sqlite")
    old.write_text("an older ngs's database")
    key.write_text(json.dumps({"identity": [str(mini)], "database": old.name}))
    assert titles(store.open_store(mini)) == compiled
    assert not old.exists()


@pytest.mark.parametrize("stray", [False, True], ids=["its own key", "a stray key"])
def test_a_key_nested_too_deep_for_json_is_ignored(mini, compiled, stray):
    # "[[[[..." parses into a RecursionError, not a ValueError: still no key, the data
    # is compiled again, and the next run is well too.
    folder = edge.store_settings(os.environ).cache_dir
    (key,) = folder.glob("*.key")
    target = folder / "zz-other.key" if stray else key
    target.write_text("[" * 5000 + "]" * 5000)
    if stray:  # any key is read in looking for a database of identical content
        key.unlink()
    assert titles(store.open_store(mini)) == compiled
    assert titles(store.open_store(mini)) == compiled


ROOT_ONLY = pytest.mark.skipif(
    os.name != "posix" or os.geteuid() != 0,
    reason="needs root: only root may write in / or give a file to another user",
)


@ROOT_ONLY
def test_no_cache_at_the_root_of_the_file_system(mini, compiled, monkeypatch):
    from ngs_cli.store.cache import private_folder

    for root in ("/", "//", "/tmp/..", "/."):
        assert private_folder(Path(root)) is None, root


@ROOT_ONLY
def test_a_link_someone_else_planted_is_not_followed(mini, tmp_path, monkeypatch):
    # /tmp/ngs-UID as a link, planted by another user, to a folder of the user's own:
    # ngs would write its files wherever that points.
    from ngs_cli.store.cache import private_folder

    mine = tmp_path / "mine"
    mine.mkdir(mode=0o700)
    link = tmp_path / "ngs-link"
    link.symlink_to(mine)
    os.lchown(link, 4242, 4242)  # a link of another user's
    assert private_folder(link) is None
    assert not any(mine.iterdir())
    os.lchown(link, 0, 0)  # the user's own link, to a folder they named: followed
    assert private_folder(link) == link


def test_the_secret_is_the_user_s_alone(mini, compiled):
    (secret,) = edge.store_settings(os.environ).cache_dir.glob(".ngs-secret")
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600


# --- family 3: where the cache goes ---------------------------------------------------


@pytest.fixture
def no_cache_dir(monkeypatch, tmp_path):
    monkeypatch.delenv("NGS_CACHE_DIR")
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path / "systemp"))
    (tmp_path / "systemp").mkdir()
    return tmp_path


def test_a_relative_xdg_cache_home_is_ignored(no_cache_dir, monkeypatch):
    home = no_cache_dir / "home"
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")
    assert edge.store_settings(os.environ).cache_dir == home / ".cache" / "ngs"
    monkeypatch.setenv("XDG_CACHE_HOME", str(no_cache_dir / "xdg"))
    assert edge.store_settings(os.environ).cache_dir == no_cache_dir / "xdg" / "ngs"


@posix
@pytest.mark.parametrize("home", [None, "", "/", "relative"])
def test_without_a_home_the_cache_is_a_private_folder_in_the_temporary_one(
    no_cache_dir, monkeypatch, mini, home
):
    import pwd

    if home is None:
        monkeypatch.delenv("HOME")
    else:
        monkeypatch.setenv("HOME", home)

    def no_entry(uid):
        raise KeyError(f"getpwuid(): uid not found: {uid}")

    monkeypatch.setattr(pwd, "getpwuid", no_entry)
    folder = edge.store_settings(os.environ).cache_dir
    assert folder.parent == no_cache_dir / "systemp"
    assert str(os.geteuid()) in folder.name
    assert len(titles(store.open_store(mini))) == 4
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert len(list(folder.glob("*.sqlite"))) == 1


def test_without_a_home_the_cli_works(ngs, no_cache_dir, monkeypatch):
    import pwd

    monkeypatch.delenv("HOME")
    monkeypatch.setattr(pwd, "getpwuid", lambda uid: (_ for _ in ()).throw(KeyError(uid)))
    r = ngs("list", "--format", "csv")
    assert r.exit_code == 0 and r.stdout.startswith("id,")


@posix
def test_a_planted_private_temporary_folder_is_not_used(no_cache_dir, monkeypatch, mini):
    import pwd

    monkeypatch.delenv("HOME")
    monkeypatch.setattr(pwd, "getpwuid", lambda uid: (_ for _ in ()).throw(KeyError(uid)))
    folder = edge.store_settings(os.environ).cache_dir
    folder.mkdir()
    folder.chmod(0o777)  # made by someone else before this user's first run, say
    assert len(titles(store.open_store(mini))) == 4
    assert not list(folder.glob("*.sqlite"))  # not among what others may have put there


@posix
def test_a_folder_named_inside_a_folder_open_to_all_is_not_used(tmp_path):
    # NGS_CACHE_DIR=/tmp/open/sub, where /tmp/open is writable by all and not sticky:
    # anyone could rename sub and put another in its place.
    from ngs_cli.store.cache import private_folder

    open_ = tmp_path / "open"
    open_.mkdir()
    open_.chmod(0o777)
    assert private_folder(open_ / "sub") is None
    assert not (open_ / "sub").exists()
    open_.chmod(0o777 | stat.S_ISVTX)  # sticky, as /tmp: the user's own folder in it stays
    assert private_folder(open_ / "sub") == open_ / "sub"


@posix
def test_a_cache_path_through_dot_dot_makes_no_folder_on_the_way(tmp_path):
    from ngs_cli.store.cache import private_folder

    (tmp_path / "cache").mkdir(mode=0o700)
    assert private_folder(tmp_path / "nowhere" / ".." / "cache") == tmp_path / "cache"
    assert not (tmp_path / "nowhere").exists()
