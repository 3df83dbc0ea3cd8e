"""The installed ``ngs`` console script, run as a user runs it: pipes and signals included."""

from __future__ import annotations

import importlib.util
import os
import signal
import subprocess
import sys
import time

import pytest

from .conftest import REPO
from .process import NGS, needs_ngs, run


@needs_ngs
def test_entry_point_runs_from_another_folder_with_the_bundled_data(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "NGS_DATA"}
    r = run("list", cwd=tmp_path, env=env)
    assert r.returncode == 0, r.stderr
    assert len(r.stdout.splitlines()) == 18
    r = run("show", "2023", cwd=tmp_path, env=env)
    assert r.returncode == 0 and "Maatschappelijke onrust en ongenoegen" in r.stdout


@needs_ngs
def test_no_colour_with_no_color_even_when_forced_to_a_table():
    r = run("list", "--format", "table", env={**os.environ, "NO_COLOR": "1"})
    assert r.returncode == 0 and "\x1b[" not in r.stdout


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
    )
    time.sleep(0.6)
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stderr


@needs_ngs
def test_install_completion_for_bash(tmp_path):
    env = {**os.environ, "HOME": str(tmp_path), "SHELL": "/bin/bash"}
    r = run("--install-completion", "bash", env=env)
    assert r.returncode == 0, r.stderr
    installed = list(tmp_path.rglob("*ngs*"))
    assert installed and "_NGS_COMPLETE" in installed[0].read_text()
    assert "ngs" in (tmp_path / ".bashrc").read_text()
