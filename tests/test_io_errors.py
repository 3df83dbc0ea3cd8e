"""Writing fails: a full disk, a closed stdout, a reader that left. One clear line, or
quiet where the reader left, and exit 1; never a traceback."""

from __future__ import annotations

import os
import signal
import subprocess

import pytest

from .process import NGS, needs_ngs, posix, user_env


@needs_ngs
@posix
@pytest.mark.parametrize("args", [["--version"], ["--help"], ["list"], ["show", "2023"]])
def test_a_full_disk_is_one_clear_line(args, tmp_path):
    with open("/dev/full", "w") as full:
        r = subprocess.run(
            [NGS, *args], stdout=full, stderr=subprocess.PIPE, text=True, env=user_env(tmp_path)
        )
    assert r.returncode == 1
    assert r.stderr.strip() == "ngs: cannot write to standard output: No space left on device"


@needs_ngs
@posix
def test_a_closed_stdout_is_one_clear_line_and_nothing_else_is_written(tmp_path):
    for args in ("list", "--help", "list --help", "--version", ""):
        r = subprocess.run(
            f"{NGS} {args} >&-",
            shell=True,
            stderr=subprocess.PIPE,
            text=True,
            env=user_env(tmp_path),
        )
        assert r.returncode == 1, args
        assert r.stderr.strip() == "ngs: cannot write: standard output is closed", args
    r = subprocess.run(
        f"{NGS} export -o {tmp_path / 'x.csv'} >&-", shell=True, env=user_env(tmp_path)
    )
    assert r.returncode == 0 and (tmp_path / "x.csv").read_text().startswith("id,")


@needs_ngs
def test_closed_pipe_is_quiet():
    env = {k: v for k, v in os.environ.items() if k != "NGS_DATA"}
    ngs = subprocess.Popen(
        [NGS, "export", "--format", "markdown"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert ngs.stdout is not None and ngs.stderr is not None
    ngs.stdout.readline()
    ngs.stdout.close()  # like `| head -1`
    stderr = ngs.stderr.read().decode()
    ngs.wait(timeout=30)
    assert "Traceback" not in stderr and "Error" not in stderr
    assert ngs.returncode in (0, 1, -signal.SIGPIPE)
