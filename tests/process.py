"""The installed ``ngs`` console script, run as a user runs it: in a pipe or on a
pseudo-terminal, in an environment the test spells out."""

from __future__ import annotations

import os
import select
import shutil
import subprocess
import sys
from pathlib import Path

import pytest


def installed_ngs() -> str | None:
    """The ngs console script of the environment running the tests, if installed."""
    candidate = Path(os.path.dirname(os.sys.executable)) / "ngs"
    return str(candidate) if candidate.exists() else shutil.which("ngs")


NGS = installed_ngs()
needs_ngs = pytest.mark.skipif(
    NGS is None,
    reason="the ngs console script is not installed "
    "in this environment (run `pip install '.[test]'` first)",
)
posix = pytest.mark.skipif(sys.platform == "win32", reason="POSIX terminals, FIFOs and signals")


def run(*args: str, env: dict[str, str], **kwargs):
    """Run ngs in a pipe; ``env`` is required, so that no test inherits the developer's."""
    return subprocess.run(
        [NGS, *args], capture_output=True, text=True, timeout=60, env=env, **kwargs
    )


def on_terminal(args: list[str], env: dict[str, str], columns: int = 80, rows: int = 40):
    """Run ngs with stdout and stderr on a pseudo-terminal; its exit code and the screen."""
    import pty
    import struct
    import termios
    from fcntl import ioctl

    main, child = pty.openpty()
    ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    proc = subprocess.Popen(
        [NGS, *args], stdin=subprocess.DEVNULL, stdout=child, stderr=child, env=env
    )
    os.close(child)
    shown = b""
    while True:
        ready, _, _ = select.select([main], [], [], 30)
        if not ready:
            break
        try:
            chunk = os.read(main, 65536)
        except OSError:  # the other side closed
            break
        if not chunk:
            break
        shown += chunk
    os.close(main)
    return proc.wait(timeout=30), shown.decode("utf-8", "replace")


def imported_modules(command: list[str], tmp_path: Path) -> str:
    """What ``python -X importtime -m ngs_cli COMMAND`` reports importing (on stderr),
    the command having succeeded: for tests that a path leaves a library unimported."""
    env = {"PATH": "/usr/bin:/bin", "NGS_CACHE_DIR": str(tmp_path), "LANG": "C.UTF-8"}
    r = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "ngs_cli", *command],
        capture_output=True,
        text=True,
        env=env,
    )
    assert r.returncode == 0, r.stderr[-2000:]
    assert "ngs_cli.cli" in r.stderr  # the import times are there
    return r.stderr


def user_env(tmp_path: Path, *, unbuffered: bool = False, **variables: str) -> dict[str, str]:
    """The environment of a user's shell, spelt out instead of inherited from the
    developer's, so that a test gives the same result on every machine.

    Python's own default, buffered output, unless ``unbuffered`` (PYTHONUNBUFFERED=1);
    no PYTHONDONTWRITEBYTECODE, PYTHONIOENCODING or PIP_* settings; a UTF-8 locale in
    English, a terminal type that has colour, a home and a cache of the test's own, the
    bundled data, and no pager (a test cannot press q). NGS_DEBUG=1, as for the tests run
    in-process: a bug is a traceback the test sees, not a handled one-line error.
    ``variables`` are added, or replace these.
    """
    env = {
        "PATH": os.environ.get("PATH", os.defpath),
        "LANG": "C.UTF-8",
        "TERM": "xterm-256color",
        "HOME": str(tmp_path / "home"),
        "NGS_CACHE_DIR": str(tmp_path / "cache"),
        "NGS_PAGER": "",
        "NGS_DEBUG": "1",
    }
    if "SYSTEMROOT" in os.environ:  # Windows cannot start Python without it
        env["SYSTEMROOT"] = os.environ["SYSTEMROOT"]
    if unbuffered:
        env["PYTHONUNBUFFERED"] = "1"
    env.update(variables)
    if "HOME" not in variables:
        Path(env["HOME"]).mkdir(parents=True, exist_ok=True)
    return env
