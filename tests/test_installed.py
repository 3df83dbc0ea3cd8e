"""The installed ``ngs`` console script, run as a user runs it: pipes and signals included."""

from __future__ import annotations

import os

from .process import needs_ngs, run


@needs_ngs
def test_entry_point_runs_from_another_folder_with_the_bundled_data(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "NGS_DATA"}
    r = run("list", cwd=tmp_path, env=env)
    assert r.returncode == 0, r.stderr
    assert len(r.stdout.splitlines()) == 18
    r = run("show", "2023", cwd=tmp_path, env=env)
    assert r.returncode == 0 and "Maatschappelijke onrust en ongenoegen" in r.stdout


@needs_ngs
def test_install_completion_for_bash(tmp_path):
    env = {**os.environ, "HOME": str(tmp_path), "SHELL": "/bin/bash"}
    r = run("--install-completion", "bash", env=env)
    assert r.returncode == 0, r.stderr
    installed = list(tmp_path.rglob("*ngs*"))
    assert installed and "_NGS_COMPLETE" in installed[0].read_text()
    assert "ngs" in (tmp_path / ".bashrc").read_text()
