"""Writing fails: a full disk, a closed stdout, a reader that left. One clear line, or
quiet where the reader left, and exit 1; never a traceback.

Each case runs with Python's output buffered, as users run ngs, and unbuffered
(PYTHONUNBUFFERED=1), as some developers and CI machines do: the two fail at different
moments (at the first write, or when the buffer is flushed at the end), and each must
be said once.
"""

from __future__ import annotations

import os
import signal
import subprocess

import pytest

from .process import NGS, needs_ngs, posix, user_env

MODES = pytest.mark.parametrize("unbuffered", [False, True], ids=["buffered", "unbuffered"])
# Each writes to stdout in its own way: Click's help (asked for, or for no command), the
# --version callback, a list of rows, one meeting, an export.
WRITERS = pytest.mark.parametrize(
    "args",
    [["--help"], ["list", "--help"], [], ["--version"], ["list"], ["show", "2023"], ["export"]],
    ids=lambda args: " ".join(args) or "(no arguments)",
)


@pytest.fixture(scope="module")
def cache(tmp_path_factory) -> str:
    """One cache for the module: these tests are about writing, not compiling."""
    return str(tmp_path_factory.mktemp("cache"))


@needs_ngs
@posix
@WRITERS
@MODES
def test_a_full_disk_is_one_clear_line(args, unbuffered, tmp_path, cache):
    env = user_env(tmp_path, unbuffered=unbuffered, NGS_CACHE_DIR=cache)
    with open("/dev/full", "w") as full:
        r = subprocess.run([NGS, *args], stdout=full, stderr=subprocess.PIPE, text=True, env=env)
    assert r.returncode == 1
    assert r.stderr.splitlines() == [
        "ngs: cannot write to standard output: No space left on device"
    ]


@needs_ngs
@posix
@WRITERS
@MODES
def test_a_closed_stdout_is_one_clear_line(args, unbuffered, tmp_path, cache):
    env = user_env(tmp_path, unbuffered=unbuffered, NGS_CACHE_DIR=cache)
    command = " ".join([NGS, *args])
    r = subprocess.run(f"{command} >&-", shell=True, stderr=subprocess.PIPE, text=True, env=env)
    assert r.returncode == 1, args
    assert r.stderr.splitlines() == ["ngs: cannot write: standard output is closed"], args


@needs_ngs
@posix
@MODES
def test_with_stdout_closed_an_export_to_a_file_is_written(unbuffered, tmp_path, cache):
    env = user_env(tmp_path, unbuffered=unbuffered, NGS_CACHE_DIR=cache)
    r = subprocess.run(f"{NGS} export -o {tmp_path / 'x.csv'} >&-", shell=True, env=env)
    assert r.returncode == 0 and (tmp_path / "x.csv").read_text().startswith("id,")


@needs_ngs
@posix
@WRITERS
@MODES
def test_a_reader_gone_before_ngs_writes_ends_it_quietly_with_exit_1(
    args, unbuffered, tmp_path, cache
):
    # As `ngs list | true`: the pipe is closed before ngs writes a byte.
    env = user_env(tmp_path, unbuffered=unbuffered, NGS_CACHE_DIR=cache)
    reader, writer = os.pipe()
    os.close(reader)
    try:
        r = subprocess.run([NGS, *args], stdout=writer, stderr=subprocess.PIPE, text=True, env=env)
    finally:
        os.close(writer)
    assert r.returncode == 1, r.stderr
    assert r.stderr == ""


@needs_ngs
@MODES
def test_closed_pipe_is_quiet(unbuffered, tmp_path, cache):
    ngs = subprocess.Popen(
        [NGS, "export", "--format", "markdown"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=user_env(tmp_path, unbuffered=unbuffered, NGS_CACHE_DIR=cache),
    )
    assert ngs.stdout is not None and ngs.stderr is not None
    ngs.stdout.readline()
    ngs.stdout.close()  # like `| head -1`
    stderr = ngs.stderr.read().decode()
    ngs.wait(timeout=30)
    assert "Traceback" not in stderr and "Error" not in stderr
    assert ngs.returncode in (0, 1, -signal.SIGPIPE)


@needs_ngs
@posix
@pytest.mark.parametrize(
    ("args", "code"),
    [(["list", "--city", "Utrech"], 0), (["show", "2015"], 2), (["show", "utrech"], 1)],
)
def test_a_full_disk_on_stderr_keeps_the_exit_code(tmp_path, args, code):
    # Python exits 120 when its last flush of stderr fails.
    with open("/dev/full", "w") as full:
        r = subprocess.run(
            [NGS, *args], stdout=subprocess.DEVNULL, stderr=full, env=user_env(tmp_path)
        )
    assert r.returncode == code
