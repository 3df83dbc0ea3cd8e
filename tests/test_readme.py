"""The README's console examples are real: each command gives the output shown.

An example line "..." stands for lines left out, and a line ending in " ..." for the rest
of that line; everything else must match, in order.
"""

from __future__ import annotations

import re
import shlex

import pytest

from .conftest import REPO


def examples() -> list[tuple[str, list[str]]]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    found = []
    for block in re.findall(r"```console\n(.*?)```", text, re.DOTALL):
        command, expected = None, []
        for line in block.splitlines():
            if line.startswith("$ "):
                if command:
                    found.append((command, expected))
                command, expected = line[2:], []
            else:
                expected.append(line)
        if command:
            found.append((command, expected))
    return found


def matches(expected: list[str], actual: list[str]) -> bool:
    i = 0
    skipping = False
    for want in expected:
        if want == "...":
            skipping = True
            continue
        while i < len(actual):
            got = actual[i]
            i += 1
            ok = got.startswith(want[:-4]) if want.endswith(" ...") else got == want
            if ok:
                break
            if not skipping:
                return False
        else:
            return False
        skipping = False
    return skipping or i == len(actual)


@pytest.mark.parametrize("command, expected", examples(), ids=lambda v: str(v)[:40])
def test_readme_example(ngs, bundled, tmp_path, monkeypatch, command, expected):
    args = shlex.split(command.split("#")[0])
    assert args[0] == "ngs"
    if args[1:2] == ["validate"]:
        (tmp_path / "bad.yaml").write_text(
            "schema_version: 1\ncollection: {title: x}\nmeetings:\n- id: Bad Id\n  title: t\n"
            '  year: "2019"\n  date_precision: day\n  sections: []\n',
            encoding="utf-8",
        )
        args[2] = str(tmp_path / "bad.yaml")
        expected = [e.replace("bad.yaml", args[2]) for e in expected]
    if "own.yaml" in args:
        (tmp_path / "own.yaml").write_bytes((REPO / "data" / "reports.yaml").read_bytes())
        monkeypatch.chdir(tmp_path)
    r = ngs(*args[1:])
    actual = (r.stdout + r.stderr).splitlines()
    if not expected:
        assert r.exit_code == 0
        return
    assert matches(expected, actual), "\n".join(actual[:40])
