"""Shared fixtures: a small dataset, NGS_DATA pointed at it, a private cache, fixed width."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ngs_cli.cli import app

FIXTURES = Path(__file__).parent / "fixtures"
MINI = FIXTURES / "mini.yaml"
REPO = Path(__file__).resolve().parent.parent
SOURCE = REPO.parent / "shared" / "source" / "verslagen-netwerk-grote-steden.txt"


@pytest.fixture(autouse=True)
def _isolated(tmp_path_factory, monkeypatch):
    """Every test gets its own cache folder, the mini dataset and a fixed terminal width."""
    monkeypatch.setenv("NGS_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.setenv("NGS_DATA", str(MINI))
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("NGS_DEBUG", raising=False)


@pytest.fixture
def mini(tmp_path) -> Path:
    """A private copy of the mini dataset that a test may change."""
    target = tmp_path / "mini.yaml"
    shutil.copy(MINI, target)
    return target


@pytest.fixture
def bundled(monkeypatch):
    """Use the bundled dataset instead of the mini one."""
    monkeypatch.delenv("NGS_DATA")


class Run:
    """Invoke ngs in-process and keep stdout, stderr and the exit code apart."""

    def __init__(self) -> None:
        self.runner = CliRunner()

    def __call__(self, *args: str, env: dict[str, str] | None = None):
        return self.runner.invoke(app, list(args), env=env, catch_exceptions=False, prog_name="ngs")


@pytest.fixture
def ngs() -> Run:
    return Run()


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def installed_ngs() -> str | None:
    """The ngs console script of the environment running the tests, if installed."""
    candidate = Path(os.path.dirname(os.sys.executable)) / "ngs"
    return str(candidate) if candidate.exists() else shutil.which("ngs")
