"""The first compile's fast paths give what the slow ones gave: the plain walk over
the YAML nodes the data (and errors) of PyYAML's constructor, the scan for anchors what
its pattern finds, the JSON encoder what json.dumps writes; the compile's stages."""

from __future__ import annotations

import json
import re
import sqlite3

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ngs_cli import store, yamlio
from ngs_cli.errors import DataError
from ngs_cli.text import json_decoder, json_encoder

from .conftest import MINI, REPO

DOCUMENTS = [
    "a: 1\nb: '1'\nc: yes\nd: ~\ne: 0x1f\nf: 1_000\ng: 1:20\nh: .inf\ni: -.5\nj: null\n",
    "a: !!str 5\nb: !!int '7'\nc: !!float 1\n",
    "a: 2023-03-16\nb: !!timestamp 2023-03-16\n",
    "a: !!binary aGVsbG8=\n",
    "a: !!set {x, y}\n",
    "a: !!omap [x: 1, y: 2]\n",
    "<<: {a: 1}\nb: 2\n",
    "{1: a, '1': b}\n",
    "{null: a, true: b, 1.5: c}\n",
    "? [a, b]\n: c\n",
    "a: 1\nb: 2\na: 3\n",
    "m: {x: 1, y: {x: 2, x: 3}}\n",
    "- a\n- {b: [c, {d: e}]}\n- - 1\n  - !!str 2\n",
    "a: !!python/object/apply:os.system ['true']\n",
    "a: !custom x\n",
    "a: !!map x\n",
    "a: !!str {b: c}\n",
    "a: !!seq {b: c}\n",
    "'plain'\n",
    "= : value\n",
]


def outcome(text: str) -> str:
    """The parse as typed JSON (true is not 1), or the error's message."""
    try:
        value = yamlio.parse(text, "d.yaml")
    except DataError as e:
        return "error: " + str(e)
    return json.dumps(value, default=repr)


@pytest.mark.parametrize("text", DOCUMENTS)
def test_the_plain_walk_gives_what_pyyamls_constructor_gives(text, monkeypatch):
    fast = outcome(text)
    monkeypatch.setattr(yamlio, "_construct", lambda loader, root: loader.construct_document(root))
    assert fast == outcome(text)


@pytest.mark.parametrize("path", [MINI, REPO / "data" / "reports.yaml"])
def test_the_plain_walk_gives_the_data_files_data(path, monkeypatch):
    text = path.read_text(encoding="utf-8")
    fast = outcome(text)
    monkeypatch.setattr(yamlio, "_construct", lambda loader, root: loader.construct_document(root))
    assert fast == outcome(text)


PATTERN = re.compile(yamlio._MAY_HAVE_ALIASES, re.MULTILINE)


@given(st.text(alphabet=st.sampled_from(list("&*ab \t\n\u3000\u2028[]{},:?-#'\"")), max_size=12))
def test_the_scan_for_anchors_finds_what_the_pattern_finds(text):
    assert yamlio.may_have_aliases_in(text) == (PATTERN.search(text) is not None)


VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


@given(VALUES, st.booleans(), st.booleans())
def test_the_json_encoder_writes_what_json_dumps_writes(value, ascii_only, compact):
    separators = (",", ":") if compact else (", ", ": ")
    encode = json_encoder(ascii_only=ascii_only, separators=separators)
    assert encode(value) == json.dumps(value, ensure_ascii=ascii_only, separators=separators)


@given(VALUES, st.sampled_from(["", " ", "\n", " x", "]", "1"]))
def test_the_json_decoder_reads_what_json_loads_reads(value, tail):
    text = json.dumps(value, ensure_ascii=False) + tail

    def read(loads):
        try:
            return json.dumps(loads(text))
        except ValueError as e:
            return f"error: {e}"

    assert read(json_decoder()) == read(json.loads)


def test_the_compile_stages_make_the_database_the_compile_makes(mini):
    source = store.DataSource(str(mini), raw=mini.read_bytes()).scan()
    data = store.parse_and_validate(source, str(mini))
    whole = sqlite3.connect(":memory:")
    store.compile_into(whole, data, source.sha256)
    staged = sqlite3.connect(":memory:")
    from ngs_cli.store import database, index

    database.create_tables(staged, data, source.sha256)
    database.insert_records(staged, data)
    index.build_search_index(staged)
    assert list(whole.iterdump()) == list(staged.iterdump())
