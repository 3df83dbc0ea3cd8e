"""Files the user names: ``--output`` never puts an existing file at risk, and ``--data``
reads a data file, standard input or nothing else."""

from __future__ import annotations

import json
import os
import subprocess
import threading
import time
from pathlib import Path

import pytest

from .conftest import FIXTURES, write
from .process import NGS, needs_ngs, posix, run, user_env

# --- output files ---------------------------------------------------------------------


def flat(message: str) -> str:
    """A message as one line, without the frame Typer draws around usage errors."""
    return " ".join(" ".join(line.strip(" │╭╮╰╯─") for line in message.splitlines()).split())


def test_export_output_in_missing_folder_or_directory(ngs, tmp_path):
    r = ngs("export", "--output", str(tmp_path / "nope" / "x.csv"))
    assert r.exit_code == 2 and "does not exist" in flat(r.stderr)
    r = ngs("export", "--output", str(tmp_path))
    assert r.exit_code == 2 and "directory; give a file name" in flat(r.stderr)


def test_failed_export_leaves_existing_file_untouched(ngs, tmp_path, monkeypatch):
    monkeypatch.delenv("NGS_DEBUG")
    target = write(tmp_path / "keep.csv", "precious\n")
    from ngs_cli.formats import csv as csv_format

    def explode(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(csv_format, "write_csv", explode)
    r = ngs("export", "--output", str(target))
    assert r.exit_code == 1 and "Traceback" not in r.stderr and "disk on fire" in r.stderr
    assert target.read_text() == "precious\n"
    assert [p.name for p in tmp_path.iterdir()] == ["keep.csv"]


def test_export_refuses_to_overwrite_the_data_file_it_reads(ngs, mini, tmp_path):
    before = mini.read_bytes()
    link = tmp_path / "link.yaml"
    link.symlink_to(mini)
    hard = tmp_path / "hard.yaml"
    os.link(mini, hard)
    for target, data in ((mini, mini), (link, mini), (hard, mini), (mini, link)):
        r = ngs("export", "--data", str(data), "--format", "json", "--output", str(target))
        assert r.exit_code == 1 and "it is the data file being read" in r.stderr
        assert mini.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hard.yaml", "link.yaml", "mini.yaml"]


def test_output_through_a_symlink_writes_its_target_and_keeps_the_link(ngs, tmp_path):
    target = write(tmp_path / "target.csv", "old\n")
    link = tmp_path / "link.csv"
    link.symlink_to(target.name)
    assert ngs("export", "--output", str(link)).exit_code == 0
    assert link.is_symlink() and target.read_text().startswith("id,date,")


def test_a_read_only_file_is_not_replaced(ngs, tmp_path):
    target = write(tmp_path / "ro.csv", "keep\n")
    target.chmod(0o444)
    r = ngs("export", "--output", str(target))
    assert r.exit_code == 1 and "read-only" in r.stderr
    assert target.read_text() == "keep\n"


def test_dash_is_stdout(ngs):
    r = ngs("export", "-o", "-", "--format", "json")
    assert r.exit_code == 0 and json.loads(r.stdout)


@posix
def test_a_fifo_is_written_to_not_replaced(ngs, tmp_path):
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    received: list[str] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_text()))
    reader.start()
    r = ngs("export", "--output", str(fifo))
    reader.join(timeout=30)
    assert r.exit_code == 0 and received[0].startswith("id,date,")
    assert fifo.is_fifo()


@needs_ngs
@posix
def test_dev_stdout_is_written_to_directly(tmp_path):
    r = run("export", "--output", "/dev/stdout", "--city", "utrecht", env=user_env(tmp_path))
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("id,date,") and Path("/dev/stdout").is_symlink()


# --- data files -----------------------------------------------------------------------


def test_data_option_and_env(ngs, bundled, tmp_path):
    assert len(ngs("list").stdout.splitlines()) == 18
    from .conftest import MINI

    assert len(ngs("list", "--data", str(MINI)).stdout.splitlines()) == 4
    assert len(ngs("list", env={"NGS_DATA": str(MINI)}).stdout.splitlines()) == 4
    # An empty --data (an unset shell variable) is an error, not the bundled data.
    r = ngs("list", "--data", "", env={"NGS_DATA": str(MINI)})
    assert r.exit_code == 2 and not r.stdout and "path is empty" in r.stderr
    assert len(ngs("list", env={"NGS_DATA": ""}).stdout.splitlines()) == 18


@pytest.mark.parametrize("content", ["", "a: [", "- 1\n", "x: !!python/object/apply:os.getcwd []"])
def test_broken_data_files_give_one_message_and_exit_1(ngs, tmp_path, content):
    path = write(tmp_path / "broken.yaml", content)
    for command in (["list"], ["show", "x"], ["search", "x"], ["export"], ["timeline"]):
        r = ngs(*command, "--data", str(path))
        assert r.exit_code == 1 and r.stderr.startswith("ngs: ") and "Traceback" not in r.stderr


@posix
def test_a_fifo_or_device_as_data_is_refused_at_once(ngs, tmp_path):
    fifo = tmp_path / "data.fifo"
    os.mkfifo(fifo)
    for path in (fifo, Path("/dev/zero")):
        started = time.perf_counter()
        r = ngs("list", "--data", str(path))
        assert r.exit_code == 1 and "not a regular file" in r.stderr
        assert time.perf_counter() - started < 10


@posix
def test_completion_with_a_fifo_as_data_returns_at_once(ngs, tmp_path):
    fifo = tmp_path / "data.fifo"
    os.mkfifo(fifo)
    env = {"_NGS_COMPLETE": "complete_bash", "COMP_WORDS": "ngs list --city U", "COMP_CWORD": "3"}
    r = ngs(env={**env, "NGS_DATA": str(fifo)})
    assert r.exit_code == 0 and r.stdout.strip() == ""


@needs_ngs
def test_data_from_standard_input(tmp_path):
    mini = (FIXTURES / "mini.yaml").read_bytes()
    r = subprocess.run(
        [NGS, "list", "--data", "-"], input=mini, capture_output=True, env=user_env(tmp_path)
    )
    assert r.returncode == 0 and len(r.stdout.splitlines()) == 4
    assert not (tmp_path / "cache").exists() or not list((tmp_path / "cache").iterdir())


@pytest.mark.parametrize("name", ["report.pdf", "report.docx", "verslagen"])
def test_an_unknown_output_extension_is_a_usage_error(ngs, tmp_path, name):
    # Before the format table, these silently got CSV (a page a browser would run).
    r = ngs("export", "--output", str(tmp_path / name))
    assert r.exit_code == 2 and not r.stdout
    assert ".csv" in flat(r.stderr) and "--format" in flat(r.stderr)
    assert list(tmp_path.iterdir()) == []
    r = ngs("export", "--format", "csv", "--output", str(tmp_path / name))
    assert r.exit_code == 0 and (tmp_path / name).read_text().startswith("id,date,")


def test_every_format_of_the_table_is_chosen_by_its_extensions(ngs, tmp_path):
    from ngs_cli import formats

    for form in formats.FORMATS.values():
        for ext in form.extensions:
            found = formats.from_extension(f"x{ext.upper()}", formats.names(form.shape))
            assert found is not None and found.name == form.name
    r = ngs("export", "--output", str(tmp_path / "x.jsonl"))
    assert r.exit_code == 0 and (tmp_path / "x.jsonl").read_text().startswith('{"id":')
