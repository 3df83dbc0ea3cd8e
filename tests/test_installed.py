"""The installed ``ngs`` console script: from any folder, as ``python -m ngs_cli``, with
its shell completion installed, set up as the README says, and with the bundled data
compiled in the wheel."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import REPO
from .process import installed_ngs, needs_ngs, run, user_env


@needs_ngs
def test_entry_point_runs_from_another_folder_with_the_bundled_data(tmp_path):
    env = user_env(tmp_path)
    r = run("list", cwd=tmp_path, env=env)
    assert r.returncode == 0, r.stderr
    assert len(r.stdout.splitlines()) == 18
    r = run("show", "2023", cwd=tmp_path, env=env)
    assert r.returncode == 0 and "Maatschappelijke onrust en ongenoegen" in r.stdout


def _installed_package() -> Path:
    """The ngs_cli folder the installed console script imports."""
    import ngs_cli

    return Path(ngs_cli.__file__).resolve().parent


@needs_ngs
@pytest.mark.skipif(
    # An editable install imports the source folder itself; a wheel installed into a
    # virtual environment (CI's is inside the clone, .venv) has its own copy.
    _installed_package() == (REPO / "src" / "ngs_cli").resolve(),
    reason="an editable install: no wheel was built, so no compiled data ships (CI installs one)",
)
def test_the_wheel_ships_the_bundled_data_compiled_so_the_first_command_compiles_nothing(
    tmp_path,
):
    shipped = _installed_package() / "data" / "reports.sqlite"
    assert shipped.is_file()
    env = user_env(tmp_path)
    r = run("list", "--format", "csv", cwd=tmp_path, env=env)
    assert r.returncode == 0, r.stderr
    assert len(r.stdout.splitlines()) == 1 + 18
    assert not Path(env["NGS_CACHE_DIR"]).exists()  # nothing compiled, nothing written


@needs_ngs
def test_install_completion_for_bash(tmp_path):
    # The shell named, not the one that started the tests (see test_cli.py).
    env = user_env(
        tmp_path,
        HOME=str(tmp_path),
        SHELL="/bin/bash",
        _TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION="1",
    )
    r = run("--install-completion", "bash", env=env)
    assert r.returncode == 0, r.stderr
    installed = list(tmp_path.rglob("*ngs*"))
    assert installed and "_NGS_COMPLETE" in installed[0].read_text()
    assert "ngs" in (tmp_path / ".bashrc").read_text()


def test_python_m_ngs_cli(tmp_path):
    env = user_env(tmp_path)
    r = subprocess.run(
        [sys.executable, "-m", "ngs_cli", "list", "--limit", "1"],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60,
    )  # fmt: skip
    assert r.returncode == 0 and r.stdout.startswith("2023-nijmegen\t")


@pytest.mark.skipif(installed_ngs() is None, reason="the ngs console script is not installed")
def test_the_readme_set_up_commands_name_a_virtual_environment():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = readme.split("```sh", 1)[1].split("```", 1)[0]
    assert "python3 -m venv" in block and "pip install '.[test]'" in block
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    for line in block.strip().splitlines():
        command = line.split("#")[0].strip()
        assert command in ci, command
