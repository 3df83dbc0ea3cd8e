"""Exports are UTF-8 whatever the locale or PYTHONIOENCODING say, and a data file's
JSON-style escapes of a character outside the BMP read as that character."""

from __future__ import annotations

import json
import subprocess

import pytest

from ngs_cli import query, store, yamlio
from ngs_cli.errors import DataError

from .conftest import write
from .process import NGS, needs_ngs, user_env


@pytest.mark.slow
@needs_ngs
@pytest.mark.parametrize("encoding", ["utf-16", "ascii", "latin-1"])
@pytest.mark.parametrize(
    "args",
    [
        ["list", "--format", "json"],
        ["list", "--format", "ndjson"],
        ["show", "2015-utrecht", "--format", "json"],
        ["search", "Syriëgangers", "--format", "json"],
        ["export", "--format", "ndjson"],
        ["export", "--format", "csv"],
        ["search", "syriegangers"],  # plain rows, the default in a pipe
        ["people"],
    ],
    ids=lambda a: " ".join(a) if isinstance(a, list) else a,
)
def test_data_formats_are_utf8_whatever_pythonioencoding_says(tmp_path, encoding, args):
    env = user_env(tmp_path)
    expected = subprocess.run([NGS, *args], capture_output=True, env=env, timeout=60).stdout
    r = subprocess.run(
        [NGS, *args], capture_output=True, env={**env, "PYTHONIOENCODING": encoding}, timeout=60
    )
    assert r.returncode == 0, r.stderr
    assert r.stdout == expected
    text = r.stdout.decode("utf-8")
    assert not text.isascii() and "\\u00eb" not in text
    if "json" in args:
        json.loads(text)


# --- JSON-style escapes in YAML -------------------------------------------------------

EMOJI = "\U0001f600"


@pytest.mark.parametrize("pure", [False, True], ids=["libyaml", "pure"])
def test_a_surrogate_pair_escape_is_read_as_its_character(pure):
    text = 'a: "x \\ud83d\\ude00 y"\nb: ["\\uD83D\\uDE00", "\\U0001F600 \\u00eb"]\n'
    assert yamlio.parse(text, "t.yaml", pure=pure) == {
        "a": f"x {EMOJI} y",
        "b": [EMOJI, f"{EMOJI} ë"],
    }


@pytest.mark.parametrize("pure", [False, True], ids=["libyaml", "pure"])
@pytest.mark.parametrize(
    "value", ['"\\ud83d"', '"a \\ude00 b"', '"\\ude00\\ud83d"', '"\\ud83d x \\ude00"']
)
def test_a_lone_surrogate_escape_is_an_error_naming_its_line(pure, value):
    text = f"a: ok\nb:\n  - fine\n  - {value}\n"
    with pytest.raises(DataError) as e:
        yamlio.parse(text, "t.yaml", pure=pure)
    assert "line 4" in str(e.value)


def test_a_data_file_with_an_escaped_emoji_shows_it(mini, ngs):
    text = mini.read_text(encoding="utf-8")
    write(mini, text.replace("title: Corona en de jaarwisseling",
                             'title: "Corona \\ud83d\\ude00 en de jaarwisseling"'))  # fmt: skip
    assert f"Corona {EMOJI} en de jaarwisseling" in [
        m["title"] for m in query.find_meetings(store.open_store(mini))
    ]
    r = ngs("list", "--data", str(mini), "--format", "json")
    assert r.exit_code == 0 and EMOJI in r.stdout
