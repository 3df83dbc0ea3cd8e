"""Shared fixtures: a small dataset, NGS_DATA pointed at it, a private cache, fixed width
and language.

The developer's environment does not reach the tests: what would change what ngs,
Click, Typer or Rich do (colour forced by FORCE_COLOR or GITHUB_ACTIONS, a width, a
language, a pager, ngs's own variables) is taken out for the whole run, before any test
imports Typer's help module, which reads some of them once. Tests that run the installed
command build its environment from nothing (``process.user_env``).

``NGS_DEBUG=1`` is set for every test: an unexpected exception inside a command is raised
to the test instead of becoming a one-line "internal error", so a bug cannot pass as a
handled error. The tests of that one-line message unset it themselves.
"""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import settings
from typer.testing import CliRunner

from ngs_cli.cli import app
from ngs_cli.cli import options as _options  # noqa: F401 (binds the real open_store first)
from ngs_cli.cli.env import Environment

FIXTURES = Path(__file__).parent / "fixtures"
MINI = FIXTURES / "mini.yaml"
REPO = Path(__file__).resolve().parent.parent
# The saved source page, kept with the tests so that every clone checks the data against it.
SOURCE = FIXTURES / "source" / "verslagen-netwerk-grote-steden.txt"


# Variables of the developer's shell that change what ngs or its libraries print.
UNSET = (
    *("NGS_DATA", "NGS_CACHE_DIR", "NGS_MAX_DATA_SIZE", "NGS_PAGER", "NGS_DEBUG"),
    *("PAGER", "LESS", "NO_COLOR", "FORCE_COLOR", "PY_COLORS", "CLICOLOR", "CLICOLOR_FORCE"),
    *("GITHUB_ACTIONS", "TERMINAL_WIDTH", "TYPER_USE_RICH", "_TYPER_FORCE_DISABLE_TERMINAL"),
    *("TTY_COMPATIBLE", "TTY_INTERACTIVE", "COLUMNS", "LINES", "JUPYTER_COLUMNS"),
    *("LANGUAGE", "LC_ALL", "LC_MESSAGES", "PYTHONIOENCODING"),
    *("_NGS_COMPLETE", "COMP_WORDS", "COMP_CWORD"),
)


# The README's run tries the same examples on every machine (derandomize: a seed made
# from each test's name), so it passes or fails the same way for everyone; CI also runs
# the slow tests with --hypothesis-profile=explore: random examples, five times as many,
# with the seed it prints. A failure it finds becomes an @example of its test.
settings.register_profile("repeatable", derandomize=True, database=None, print_blob=True)
settings.register_profile("explore", max_examples=500, derandomize=False, print_blob=True)
settings.load_profile("repeatable")


def examples(count: int) -> int:
    """``count`` examples in the README's run, more in the exploring profile."""
    return count * settings().max_examples // 100


def pytest_configure(config):
    import signal
    import tempfile

    # Ctrl-C as an interactive shell has it: a run started in the background by sh
    # ignores SIGINT, which Python then leaves ignored, and the commands it starts too.
    signal.signal(signal.SIGINT, signal.default_int_handler)

    for name in UNSET:
        os.environ.pop(name, None)
    os.environ["LANG"] = "C.UTF-8"
    os.environ["TERM"] = "xterm-256color"
    # --show-completion SHELL completes the shell named, not the shell that started the
    # tests (Typer would detect it, and a run from sh finds sh, which it cannot complete).
    os.environ["_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION"] = "1"
    # A home and a cache of the test run's own, beneath the per-test NGS_CACHE_DIR: should
    # a test lose that, nothing still goes to the user's own ~/.cache/ngs or home.
    os.environ["HOME"] = tempfile.mkdtemp(prefix="ngs-tests-home-")
    os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="ngs-tests-cache-")
    import atexit

    for folder in (os.environ["HOME"], os.environ["XDG_CACHE_HOME"]):  # gone after the run
        atexit.register(shutil.rmtree, folder, ignore_errors=True)


@pytest.fixture(autouse=True)
def _isolated(tmp_path_factory, monkeypatch):
    """Every test gets its own cache folder, the mini dataset and a fixed terminal width."""
    monkeypatch.setenv("NGS_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.setenv("NGS_DATA", str(MINI))
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("NGS_PAGER", raising=False)
    monkeypatch.delenv("PAGER", raising=False)
    monkeypatch.delenv("NGS_MAX_DATA_SIZE", raising=False)
    monkeypatch.setenv("NGS_DEBUG", "1")
    # The library reads no environment: the command line reads it (cli/settings.py) and
    # passes the settings down. A test that calls the library's store.open_store opens
    # its data as the command line would in this environment (the mini data, this test's
    # cache). The command line's own import of it was made before (at the top of this
    # file), so a command that forgot to pass its settings is not covered by this.
    from ngs_cli import store
    from ngs_cli.cli import settings as edge

    opened = store.open_store

    def open_store(*args, **kwargs):
        kwargs.setdefault("settings", edge.store_settings(os.environ))
        return opened(*args, **kwargs)

    monkeypatch.setattr(store, "open_store", open_store)
    # The language the command line said is kept until the next run: a test that ran in Dutch
    # (LANGUAGE=nl) leaves the next one in English again.
    from ngs_cli import i18n

    i18n.use(None)
    yield
    i18n.use(None)


def cache_folder() -> Path:
    """This test's cache folder (``$NGS_CACHE_DIR``, which the command line reads)."""
    return Path(os.environ["NGS_CACHE_DIR"])


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

    def __call__(self, *args: str, env: dict[str, str] | None = None, input: str | None = None):
        return self.runner.invoke(
            app, list(args), env=env, input=input, catch_exceptions=False, prog_name="ngs"
        )

    def terminal(
        self,
        *args: str,
        width: int = 100,
        height: int = 1000,
        colour: bool = True,
        environ: dict[str, str] | None = None,
    ):
        """Run as if stdout were a terminal of this size; returns (result, what it showed).

        ``environ`` is what the command sees of the environment (for the pager).
        """
        screen = io.StringIO()
        environment = Environment(
            stdout=screen,
            stderr=io.StringIO(),
            stdin=io.StringIO(),
            is_terminal=True,
            width=width,
            height=height,
            colour=colour,
            environ=environ if environ is not None else {"NGS_PAGER": ""},
        )
        result = self.runner.invoke(
            app, list(args), catch_exceptions=False, prog_name="ngs", obj=environment
        )
        return result, screen.getvalue()


@pytest.fixture
def ngs() -> Run:
    return Run()


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path
