"""Ctrl-C, SIGTERM and SIGHUP: a quiet exit with the conventional code, and no file half
written, whenever the signal comes."""

from __future__ import annotations

import importlib.util
import signal
import subprocess
import sys
import time

import pytest

from .conftest import MINI, REPO, write
from .process import NGS, needs_ngs, posix, run, user_env


@pytest.mark.slow
@needs_ngs
@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_ctrl_c_exits_130_quietly(tmp_path):
    # Interrupt ngs while it parses a large generated file.
    spec = importlib.util.spec_from_file_location("generate", REPO / "benchmarks" / "generate.py")
    assert spec and spec.loader
    generate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generate)
    big = generate.write_dataset(tmp_path / "big.yaml", 3000)
    proc = subprocess.Popen(
        [NGS, "search", "veiligheid", "--no-cache", "--data", str(big)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=user_env(tmp_path),
    )
    time.sleep(0.6)
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stderr


@pytest.mark.slow
@needs_ngs
@posix
def test_ctrl_c_while_ngs_starts_is_quiet(tmp_path):
    # Most of a short command's time is spent importing; Ctrl-C then is still Ctrl-C.
    env = user_env(tmp_path, NGS_DATA=str(MINI))
    run("list", env=env)  # compiled once, so that every run below is a warm start
    took = []
    for _ in range(3):
        started = time.perf_counter()
        run("list", env=env)
        took.append(time.perf_counter() - started)
    # Signalled past Python's own start-up (which no program can act in), while ngs
    # imports and runs, however fast this machine is.
    warm = sorted(took)[1]
    codes = []
    for delay in (0.4 * warm, 0.55 * warm, 0.7 * warm, 0.85 * warm):
        proc = subprocess.Popen(
            [NGS, "list"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env
        )
        time.sleep(delay)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=30)
        assert "Traceback" not in err.decode(), err.decode()
        codes.append(proc.returncode)
    assert 130 in codes and set(codes) <= {130, 0, -signal.SIGINT}, codes


@pytest.mark.slow
@needs_ngs
@posix
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_a_signal_during_an_export_leaves_a_whole_file_and_no_temporary_file(tmp_path, signum):
    from .conftest import REPO

    sys.path.insert(0, str(REPO / "benchmarks"))
    from generate import write_dataset

    big = write_dataset(tmp_path / "big.yaml", 1500)
    env = user_env(tmp_path)
    reference = tmp_path / "reference.md"
    assert run("export", "--data", str(big), "-o", str(reference), env=env).returncode == 0
    whole = reference.read_text()
    target = write(tmp_path / "out.md", "precious\n")
    for delay in (0.15, 0.3, 0.6):
        proc = subprocess.Popen(
            [NGS, "export", "--data", str(big), "--output", str(target)],
            env=env,
            stderr=subprocess.PIPE,
            text=True,
        )
        time.sleep(delay)
        proc.send_signal(signum)
        _, stderr = proc.communicate(timeout=60)
        assert "Traceback" not in stderr
        # -signum: the signal came before ngs had set its handlers (still starting up).
        assert proc.returncode in (0, 128 + signum, -signum), stderr
        assert target.read_text() in ("precious\n", whole)  # the old file or the new, whole
        assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_an_interrupted_export_leaves_the_old_file_and_no_temporary_file(
    ngs, tmp_path, monkeypatch
):
    from ngs_cli.cli import Terminated
    from ngs_cli.formats import markdown

    target = write(tmp_path / "keep.md", "precious\n")
    original = markdown.meeting_markdown

    def stopped(*args, **kwargs):
        original(*args, **kwargs)
        raise Terminated(signal.SIGTERM)  # as the SIGTERM handler raises it

    monkeypatch.setattr(markdown, "meeting_markdown", stopped)
    r = ngs("export", "--output", str(target))
    assert r.exit_code == 128 + signal.SIGTERM
    assert target.read_text() == "precious\n"
    assert [p.name for p in tmp_path.iterdir()] == ["keep.md"]


DROPPED = """\
import os, signal, weakref
import ngs_cli.cli as cli
from ngs_cli.cli.env import Environment

class Finalised:
    pass

x = Finalised()
# Python drops an exception raised in a weak reference's callback: a Ctrl-C handled
# there is lost, and the command goes on.
ref = weakref.ref(x, lambda _: os.kill(os.getpid(), signal.SIGINT))
real = Environment.from_system

def from_system(*args, **kwargs):
    global x
    del x  # the callback runs, and the signal with it, as ngs starts
    return real(*args, **kwargs)

Environment.from_system = staticmethod(from_system)
cli.main(["list", "--limit", "1", "--format", "plain"])
"""


@posix
def test_a_ctrl_c_python_dropped_still_decides_the_exit_status(tmp_path):
    r = subprocess.run(
        [sys.executable, "-c", DROPPED], capture_output=True, text=True, env=user_env(tmp_path)
    )
    assert r.returncode == 130
    assert "Exception ignored" not in r.stderr and "Traceback" not in r.stderr, r.stderr
