"""The cache: one compiled database per data file's content, and a key per data file.

A small key file per data file records the file's identity (device, inode, size,
modification and change time) and the database it compiled to: a warm call stats the
file, reads that key and opens the database, without reading the data file or importing
PyYAML. ``ctime`` is in the key because it cannot be set back the way ``touch -r`` sets
the modification time. A database is written to a temporary file and renamed into
place, and named after the data's content hash, the schema version and ngs's version, so
it is never half written and never of another file.

What is found in the cache folder is trusted only as far as ngs can prove it made it for
this user: the folder must be the user's own and writable by nobody else (in a shared
folder such as ``/tmp``, ngs keeps a private ``ngs-UID`` folder inside it); a database
or key is read only as a regular file of the user's, opened without following links;
a database is used only with the keyed check ngs wrote for it (BLAKE2b over its file
identity, keyed with a per-user secret kept ``0600`` beside it). Anything else is never
shown: it is compiled again, on the same run. Clean-up removes only ngs's own temporary
files (``.ngs-tmp-`` and random letters): a database no compile holds locked any more
(one whose compile was killed, at the next compile), anything else an hour old.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import sqlite3
import stat
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..progress import SILENT, Progress
from .database import (
    Store,
    compile_into,
    connect_read_only,
    format_tag,
    in_memory,
    require_fts5,
)
from .source import DataSource, parse_and_validate
from .stopping import is_stopped, stoppable, stopped_error, watch
from .tempfiles import TEMP_PREFIX, lock, remove_stray_temp_files, replace_file

if TYPE_CHECKING:
    from ..model import Dataset

CACHE_ENV = "NGS_CACHE_DIR"
# The key of the checks, 32 random bytes, this user's alone (0600). A name of ngs's own:
# the folder may be one the user named (NGS_CACHE_DIR) and holds their files too.
SECRET_NAME = ".ngs-secret"
_SECRET_SIZE = 32
_MAX_KEY_SIZE = 1 << 16  # a key file is a line of JSON


def user_cache_dir(
    home: str | None = None, xdg_cache_home: str | None = None, local_app_data: str | None = None
) -> Path:
    """The user's cache folder for ngs, from what the command line read of the
    environment (``$HOME``, ``$XDG_CACHE_HOME``, ``%LOCALAPPDATA%``): ``XDG_CACHE_HOME/ngs``
    when that is an absolute path, else ``~/.cache/ngs`` (the platform's own folder on
    Windows and macOS); with no home to be found, ``ngs-UID`` in the system's temporary
    folder."""
    if sys.platform == "win32":  # pragma: no cover
        base = Path(local_app_data) if local_app_data else Path.home() / "AppData" / "Local"
        return base / "ngs"
    if xdg_cache_home and os.path.isabs(xdg_cache_home):  # the XDG spec: relative is ignored
        return Path(xdg_cache_home) / "ngs"
    found = _home(home)
    if found is None:
        import tempfile

        return Path(tempfile.gettempdir()) / f"ngs-{_uid()}"
    if sys.platform == "darwin":  # pragma: no cover
        return found / "Library" / "Caches" / "ngs"
    return found / ".cache" / "ngs"


def _home(given: str | None) -> Path | None:
    """The ``given`` home, else the passwd entry's home: the first that is an absolute
    path other than ``/``; None when neither is (a container's user without an entry, a
    service's home of ``/``)."""
    for home in (given, _passwd_home()):
        if home and os.path.isabs(home) and os.path.normpath(home) not in ("/", "//"):
            return Path(home)
    return None


def _passwd_home() -> str | None:
    if sys.platform == "win32":  # no passwd file
        return None
    try:
        import pwd

        return pwd.getpwuid(_uid()).pw_dir
    except (ImportError, KeyError, OSError):
        return None


def _uid() -> int:
    return os.geteuid() if hasattr(os, "geteuid") else 0


def private_folder(folder: Path) -> Path | None:
    """The folder to keep databases in: ``folder`` when it is this user's own and nobody
    else may write in it (what ssh asks of ~/.ssh), else a folder of this user's inside it
    (in a shared folder such as /tmp); None when neither can be had: then nothing is
    cached. A folder that does not exist is made, readable by its user alone."""
    if os.name != "posix":  # pragma: no cover (ownership and modes are POSIX's)
        with contextlib.suppress(OSError):
            folder.mkdir(parents=True, exist_ok=True)
            return folder
        return None
    if os.path.realpath(folder) in ("/", "//"):
        return None  # never a cache at the root of the file system
    folder = Path(os.path.normpath(folder))  # "x/.." is not made on the way
    with contextlib.suppress(OSError):
        link = os.lstat(folder)
        if stat.S_ISLNK(link.st_mode) and link.st_uid not in (0, _uid()):
            return None  # another's link: it could point into any folder of the user's
    if not _held_safely(Path(os.path.realpath(folder)).parent):
        return None  # in a folder anyone may write in, the folder itself could be swapped
    if _is_private(folder, make=True, follow=True):
        return folder
    if not _shared_safely(folder):
        return None  # another user could rename or replace a folder made in it
    inner = folder / f"ngs-{_uid()}"
    return inner if _is_private(inner, make=True, follow=False) else None


def _held_safely(parent: Path) -> bool:
    """Whether a folder in ``parent`` (or in the folders yet to be made there) stays
    where it is: the nearest existing one is this user's or root's, and not writable by
    all unless sticky (a group may write, as a umask of 002 leaves ~/.cache)."""
    while not os.path.lexists(parent) and parent != parent.parent:
        parent = parent.parent
    try:
        st = os.stat(parent)
    except OSError:
        return False
    return st.st_uid in (0, _uid()) and (not st.st_mode & 0o002 or bool(st.st_mode & stat.S_ISVTX))


def _shared_safely(folder: Path) -> bool:
    """Whether a folder of this user's inside ``folder`` stays this user's: ``folder``
    is this user's or root's, and either nobody else may write in it or it has the
    sticky bit (as /tmp has), so that nobody else may rename or remove what another
    made in it."""
    try:
        st = os.stat(folder)
    except OSError:
        return False
    return st.st_uid in (0, _uid()) and (not st.st_mode & 0o022 or bool(st.st_mode & stat.S_ISVTX))


def _is_private(folder: Path, *, make: bool, follow: bool) -> bool:
    """Whether ``folder`` is a folder of this user's that no one else may write in
    (``follow``: through a symbolic link, for a folder the user named, whose link
    ``private_folder`` has found to be the user's or root's)."""
    try:
        if make and not os.path.lexists(folder):
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        link = os.lstat(folder)
        if stat.S_ISLNK(link.st_mode) and not follow:
            return False
        st = os.stat(folder)
    except OSError:
        return False
    return stat.S_ISDIR(st.st_mode) and st.st_uid == _uid() and not st.st_mode & 0o022


class Cache:
    """The key file of one data file and the database it names."""

    def __init__(self, target: Path, st: os.stat_result, cache_dir: Path):
        self.cache_dir = cache_dir
        resolved = str(target.resolve())
        import zlib

        self.digest = f"{zlib.crc32(resolved.encode('utf-8', 'surrogateescape')):08x}"
        self.resolved = Path(resolved)
        self.identity = [resolved, st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns]
        self.db_path: Path | None = None
        self._folder: Path | None | bool = False  # False: not looked for yet
        self._secret: bytes | None = None

    @property
    def folder(self) -> Path | None:
        """This user's private cache folder, or None when there is none to be had."""
        if self._folder is False:
            self._folder = private_folder(self.cache_dir)
        return self._folder  # type: ignore[return-value]

    @property
    def key_path(self) -> Path | None:
        folder = self.folder
        return folder / f"{self.digest}.key" if folder is not None else None

    def lookup(self) -> sqlite3.Connection | None:
        """The database compiled from this very file, when the key says it is current
        and the database is the very file this user's ngs wrote."""
        folder, key_path = self.folder, self.key_path
        if folder is None or key_path is None:
            return None
        key = _read_key(key_path)
        if key is None or key[0] != self.identity:
            return None
        secret = self.secret(make=False)
        if secret is None or not _sealed(key, secret):
            return None  # edited: its identity or database is not what ngs wrote
        return self._open(folder / key[1], key[2])

    def _open(self, db_path: Path, mac: str | None) -> sqlite3.Connection | None:
        """The database if it is a regular file of this user's, unchanged since ngs wrote
        it (the keyed check ``mac``), and of the expected format; else None, and it is
        removed."""
        secret = self.secret(make=False)
        if mac is not None and secret is not None and _checked(db_path, secret, mac):
            try:
                conn = watch(connect_read_only(db_path))
                row = conn.execute("SELECT value FROM meta WHERE key = 'format'").fetchone()
                if row and row[0] == format_tag():
                    self.db_path = db_path
                    return conn
                conn.close()
            except sqlite3.DatabaseError as e:
                if is_stopped(e):  # a signal, not damage
                    raise stopped_error() from None
            except (UnicodeDecodeError, ValueError):
                pass
        with contextlib.suppress(OSError):
            db_path.unlink()  # not ngs's, or damaged: compiled again
        return None

    def secret(self, *, make: bool) -> bytes | None:
        """This user's key for the checks of the databases (made with ``make``)."""
        if self._secret is None and self.folder is not None:
            self._secret = _read_secret(self.folder / SECRET_NAME)
            if self._secret is None and make:
                self._secret = _make_secret(self.folder)
        return self._secret

    def compile(self, name: str, source: DataSource, progress: Progress = SILENT) -> Store:
        """Compile the file (or reuse the database of identical content) and key it."""
        require_fts5()
        content = source.scan().sha256
        folder = self.folder
        if folder is None or self.secret(make=True) is None:
            return self._in_memory(name, source, content, progress)
        db_path = folder / f"{content[:32]}-{format_tag()}.sqlite"
        mac = self._known_mac(db_path.name)
        conn = self._open(db_path, mac) if db_path.exists() else None
        if conn is None:
            data = parse_and_validate(source, name, progress)
            try:
                mac = self._write_database(folder, db_path, data, content, progress)
                conn = self._open(db_path, mac)
            except OSError:
                conn = None
            if conn is None:  # the cache folder cannot be written: work in memory
                return self._in_memory(name, data, content, progress)
        assert mac is not None
        self._write_key(db_path, mac)
        return Store(name, self.resolved, conn, db_path)

    def _in_memory(
        self, name: str, data: Dataset | DataSource, content: str, progress: Progress
    ) -> Store:
        if isinstance(data, DataSource):
            data = parse_and_validate(data, name, progress)
        return in_memory(name, self.resolved, data, content, progress)

    def _known_mac(self, database: str) -> str | None:
        """The check of a database as a key file records it: this file's, else another's
        (a file of identical content)."""
        assert self.folder is not None and self.key_path is not None
        own = _read_key(self.key_path)
        if own is not None and own[1] == database:
            return own[2]
        return _keyed_check(self.folder, database)

    def _write_database(
        self, folder: Path, db_path: Path, data: Dataset, content: str, progress: Progress
    ) -> str:
        """Compile into a temporary file, renamed into place; its keyed check."""
        import tempfile

        remove_stray_temp_files(folder, _uid())
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=TEMP_PREFIX, suffix=".db")
        # Held until the file is renamed: a lock the system lets go of when this process
        # ends, killed or not, which tells the next compile that the file is a leftover.
        lock(fd)
        try:
            conn = watch(sqlite3.connect(tmp))
            try:
                # A file nobody reads until it is complete and renamed: no journal needed.
                conn.execute("PRAGMA journal_mode = OFF")
                conn.execute("PRAGMA synchronous = OFF")
                with stoppable():
                    compile_into(conn, data, content, progress)
                conn.commit()
            finally:
                conn.close()
            os.replace(tmp, db_path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
        finally:
            os.close(fd)
        secret = self.secret(make=True)
        opened = _open_own(db_path)
        if secret is None or opened is None:
            raise OSError(f"{db_path} cannot be checked")
        os.close(opened[0])
        return _mac(opened[1], secret)  # as renamed into place: the rename changes ctime

    def _write_key(self, db_path: Path, mac: str) -> None:

        folder, key_path = self.folder, self.key_path
        assert folder is not None and key_path is not None
        previous = _named_database(key_path)
        secret = self.secret(make=False)
        if secret is None:
            return
        sealed = (self.identity, db_path.name, mac)
        text = json.dumps(
            {
                "identity": self.identity,
                "database": db_path.name,
                "check": mac,
                "seal": _seal(sealed, secret),
            }
        )
        if not replace_file(folder, key_path.name, text):
            return  # caching is an optimisation; never fail a command over it
        if previous and previous != db_path.name and _keyed_check(folder, previous) is None:
            with contextlib.suppress(OSError):
                (folder / previous).unlink()


def _keyed_check(folder: Path, database: str) -> str | None:
    """The check recorded by any key in the folder that names this database (another
    data file of identical content has one), or None when no key names it."""
    for path in folder.glob("*.key"):
        key = _read_key(path)
        if key is not None and key[1] == database:
            return key[2]
    return None


# The name of a compiled database in the cache folder, and nothing else: a key file that
# names another file (a path, "..") is ignored, so it can make ngs neither open nor
# delete anything but its own databases.
_DATABASE_NAME = r"[0-9a-f]{32}-s\d+-f\d+-v[0-9A-Za-z.+]+\.sqlite"
_CHECK = r"[0-9a-f]{64}"
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
# Opening a FIFO for reading would wait for a writer: opened without waiting, then refused.
_NO_WAIT = _NOFOLLOW | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)


def _open_own(path: Path) -> tuple[int, os.stat_result] | None:
    """A descriptor of ``path`` and its status, when it is a regular file of this
    user's (not a link, a FIFO or a device); else None. Checked on the open file, so
    that nothing can be put in its place between the check and the reading."""
    try:
        fd = os.open(path, os.O_RDONLY | _NO_WAIT)
    except OSError:
        return None
    st = os.fstat(fd)
    if stat.S_ISREG(st.st_mode) and (os.name != "posix" or st.st_uid == _uid()):
        return fd, st
    os.close(fd)
    return None


def _read_small(path: Path, most: int) -> tuple[bytes, os.stat_result] | None:
    """A small regular file of this user's, read whole; None if it is anything else."""
    opened = _open_own(path)
    if opened is None:
        return None
    fd, st = opened
    try:
        if st.st_size > most:
            return None
        return os.read(fd, most + 1), st
    except OSError:
        return None
    finally:
        os.close(fd)


def _named_database(path: Path) -> str | None:
    """The database a key file names, whatever else it holds or lacks (a key of an
    older ngs has no seal): the one to remove once no key names it any more."""
    read = _read_small(path, _MAX_KEY_SIZE)
    if read is None:
        return None
    try:
        key = json.loads(read[0].decode("utf-8"))
    except (ValueError, RecursionError):
        return None
    database = key.get("database") if isinstance(key, dict) else None
    if isinstance(database, str) and re.fullmatch(_DATABASE_NAME, database):
        return database
    return None


def _read_key(path: Path) -> tuple[list[Any], str, str, str] | None:
    """A key file's identity, database name, check and seal, or None when it is missing
    or not one."""
    read = _read_small(path, _MAX_KEY_SIZE)
    if read is None:
        return None
    try:
        key = json.loads(read[0].decode("utf-8"))
    except (ValueError, RecursionError):  # UnicodeDecodeError too; [[[[... nested deep
        return None
    if not isinstance(key, dict):
        return None
    identity, database, check = key.get("identity"), key.get("database"), key.get("check")
    seal = key.get("seal")
    if not isinstance(identity, list) or not isinstance(database, str):
        return None
    if not isinstance(check, str) or not re.fullmatch(_CHECK, check):
        return None
    if not isinstance(seal, str) or not re.fullmatch(_CHECK, seal):
        return None
    if not re.fullmatch(_DATABASE_NAME, database):
        return None
    return identity, database, check, seal


def _read_secret(path: Path) -> bytes | None:
    """The user's secret, if it is one: 32 bytes in a regular file only its user reads."""
    read = _read_small(path, _SECRET_SIZE)
    if read is None:
        if os.path.lexists(path):  # a link, a FIFO, another's: replaced by a new one
            with contextlib.suppress(OSError):
                os.unlink(path)
        return None
    data, st = read
    if len(data) != _SECRET_SIZE or (os.name == "posix" and st.st_mode & 0o077):
        with contextlib.suppress(OSError):
            os.unlink(path)
        return None
    return data


def _make_secret(folder: Path) -> bytes | None:
    """A new secret, written 0600; the one another ngs made meanwhile, if it won."""
    import tempfile

    path = folder / SECRET_NAME
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=TEMP_PREFIX)  # made 0600
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(os.urandom(_SECRET_SIZE))
            try:
                os.link(tmp, path)  # never over another's: both would check differently
            except FileExistsError:
                pass
            except OSError:  # a file system without links
                os.replace(tmp, path)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
    except OSError:
        return None
    return _read_secret(path)


def _mac(st: os.stat_result, secret: bytes) -> str:
    """The keyed check of a database: BLAKE2b, keyed with the user's secret, over the
    file's identity as ngs wrote it. Any change to the file (a write, a truncation, a
    copy or rename put in its place) changes its inode or change time, which nobody can
    set back; hashing its bytes instead would cost a second per warm start at 20,000
    meetings (275 MB)."""
    identity = f"{st.st_dev}:{st.st_ino}:{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}"
    return _blake2b(identity.encode(), secret)


def _blake2b(data: bytes, secret: bytes) -> str:
    try:  # hashlib itself loads OpenSSL, a tenth of a warm start, for nothing used here
        from _blake2 import blake2b
    except ImportError:  # pragma: no cover (a Python without it)
        from hashlib import blake2b

    return blake2b(data, key=secret, digest_size=32).hexdigest()


def _seal(key: tuple[Any, ...], secret: bytes) -> str:
    """The keyed check of a key file's own content (the data file's identity, the
    database it names, that database's check): a key edited to name another database,
    or another file's identity, no longer has it."""
    return _blake2b(json.dumps(list(key)).encode("utf-8", "surrogateescape"), secret)


def _sealed(key: tuple[list[Any], str, str, str], secret: bytes) -> bool:
    return _seal(key[:3], secret) == key[3]


def _checked(db_path: Path, secret: bytes, mac: str) -> bool:
    """Whether ``db_path`` is a regular file of this user's with the check ``mac``."""
    opened = _open_own(db_path)
    if opened is None:
        return False
    fd, st = opened
    try:
        # Compared plainly: both sides are this user's to read anyway.
        if _mac(st, secret) != mac:
            return False
        # The file SQLite will open is the one checked (nothing renamed over it since).
        now = os.stat(db_path, follow_symlinks=False)
        return (now.st_dev, now.st_ino) == (st.st_dev, st.st_ino)
    except OSError:
        return False
    finally:
        os.close(fd)
