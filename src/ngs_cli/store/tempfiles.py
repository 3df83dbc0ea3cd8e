"""ngs's temporary files in the cache folder: their names, the lock a compile holds on
its database until it is renamed, and the removal of what a killed compile left."""

from __future__ import annotations

import contextlib
import os
import re
import stat
import sys
from pathlib import Path

# Temporary files of ngs's own: this prefix, then mkstemp's eight random letters (and .db
# for a database being compiled).
TEMP_PREFIX = ".ngs-tmp-"
_TEMP_NAME = r"\.ngs-tmp-[a-z0-9_]{8}(?:\.db)?"
STALE_AFTER = 3600  # seconds: a compile that has not written for an hour is gone


def replace_file(folder: Path, name: str, text: str) -> bool:
    """``folder``/``name`` replaced whole by ``text``: written to a temporary file of
    ngs's own beside it, then renamed over it. False where it could not be written (the
    cache is a help: nothing fails a command over it)."""
    import tempfile

    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=TEMP_PREFIX)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(text)
            os.replace(tmp, folder / name)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    except OSError:
        return False
    return True


def lock(fd: int) -> bool:
    """Lock an open file for this process (flock, where the system has it); whether it
    could be had, at once."""
    if sys.platform == "win32":  # files are only found stale by their age
        return False
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _abandoned(path: str) -> bool:
    """Whether a compile's temporary database is one no process writes: its writer held a
    lock on it (``lock``), which the system dropped when the writer ended."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return False
    try:
        return lock(fd)
    finally:
        os.close(fd)


def remove_stray_temp_files(folder: Path, uid: int) -> None:
    """Temporary files of a compile that was killed: ngs's own names, files of this
    user's, that no process holds locked (a database being compiled is: ``lock``) or,
    where the system has no such locks, not written for an hour."""
    import time

    now = time.time()
    cutoff = now - STALE_AFTER
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if not re.fullmatch(_TEMP_NAME, entry.name):
            continue
        with contextlib.suppress(OSError):
            st = entry.stat(follow_symlinks=False)
            if not stat.S_ISREG(st.st_mode) or st.st_uid != uid:
                continue
            # A second's grace: a file just made is locked a moment after it is made.
            if st.st_mtime < cutoff or (
                entry.name.endswith(".db") and st.st_mtime < now - 1 and _abandoned(entry.path)
            ):
                os.unlink(entry.path)
