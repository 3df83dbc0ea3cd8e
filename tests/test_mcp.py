"""ngs mcp: the Model Context Protocol server, tried with the SDK's own client over stdio,
its answers compared with the command line's JSON for the same question.

The MCP SDK comes with the test extra (and `pip install 'ngs-cli[mcp]'`); CI installs it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import REPO
from .process import needs_ngs, user_env
from .test_terminal_safety import HOSTILE

mcp = pytest.importorskip("mcp", reason="the MCP SDK is not installed (pip install '.[test]')")

NGS = Path(sys.executable).parent / "ngs"


def cli_json(*args: str, data: Path = REPO / "data" / "reports.yaml", tmp: Path) -> list:
    env = {**user_env(tmp), "NGS_DATA": str(data)}
    out = subprocess.run([NGS, *args, "--format", "json"], env=env, capture_output=True,
                         text=True, check=True).stdout  # fmt: skip
    return json.loads(out)


def session(tmp: Path, data: Path, work):
    """Run ``work(session)`` against ``ngs mcp`` over stdio, with the SDK's client."""
    import anyio
    from mcp.client.session import ClientSession
    from mcp.client.stdio import StdioServerParameters, stdio_client

    env = {**user_env(tmp), "NGS_DATA": str(data)}
    params = StdioServerParameters(command=str(NGS), args=["mcp"], env=env)
    found: dict = {}

    async def main():
        async with stdio_client(params) as (reader, writer), ClientSession(reader, writer) as s:
            found["init"] = await s.initialize()
            found.update(await work(s))

    anyio.run(main)
    return found


def result(call) -> object:
    assert not call.is_error, call.content
    return call.structured_content["result"]


def text(call) -> str:
    return " ".join(c.text for c in call.content if hasattr(c, "text"))


@needs_ngs
def test_every_tool_and_the_resource_answer_as_the_command_line_does(tmp_path):
    async def work(s):
        tools = await s.list_tools()
        templates = await s.list_resource_templates()
        return {
            "tools": {t.name: t for t in tools.tools},
            "templates": [t.uri_template for t in templates.resource_templates],
            "search": await s.call_tool("search", {"query": "inbraak"}),
            "list": await s.call_tool("list", {"city": ["Utrecht"]}),
            "show": await s.call_tool("show", {"ref": "2023"}),
            "people": await s.call_tool("people", {"name": "bruls"}),
            "cite": await s.call_tool("cite", {"ref": "2016-amersfoort", "style": "bibtex"}),
            "verslag": await s.read_resource("ngs://verslag/2014-utrecht"),
        }

    found = session(tmp_path, REPO / "data" / "reports.yaml", work)
    assert found["init"].server_info.name == "ngs" and found["init"].server_info.version
    assert set(found["tools"]) == {"search", "list", "show", "people", "cite"}
    assert all(len(t.description) > 40 for t in found["tools"].values())
    assert found["templates"] == ["ngs://verslag/{id}"]

    def same(mcp_rows, cli_rows):
        assert [r["id"] for r in mcp_rows] == [r["id"] for r in cli_rows] != []
        for ours, theirs in zip(mcp_rows, cli_rows):
            assert {k: ours[k] for k in theirs} == theirs
            assert ours["citation"].startswith("Centrum voor Criminaliteitspreventie")

    same(result(found["search"]), cli_json("search", "inbraak", tmp=tmp_path))
    same(result(found["list"]), cli_json("list", "--city", "Utrecht", tmp=tmp_path))
    shown = found["show"].structured_content
    assert shown["id"] == "2023-nijmegen" and shown["sections"] and shown["url"]
    people = result(found["people"])
    assert people == cli_json("people", "bruls", tmp=tmp_path)
    assert text(found["cite"]).startswith("@") and "Radicalisering en polarisatie" in text(
        found["cite"]
    )
    (content,) = found["verslag"].contents
    assert content.mime_type == "text/markdown"
    assert content.text.startswith("# Woninginbraak en transities sociaal domein")


@needs_ngs
def test_bad_input_is_a_tool_error_with_the_command_line_s_message(tmp_path):
    async def work(s):
        from mcp.shared.exceptions import MCPError

        out = {
            "ref": await s.call_tool("show", {"ref": "utrech"}),
            "query": await s.call_tool("search", {"query": "-corona"}),
            "city": await s.call_tool("list", {"city": ["Utrech"]}),
            "style": await s.call_tool("cite", {"ref": "2023", "style": "harvard"}),
            "type": await s.call_tool("search", {"query": 5, "limit": "many"}),
            "empty": await s.call_tool("search", {"query": " "}),
        }
        try:
            await s.read_resource("ngs://verslag/nergens")
            out["resource"] = None
        except MCPError as e:
            out["resource"] = str(e)
        out["after"] = await s.call_tool("search", {"query": "carbid"})  # still serving
        return out

    found = session(tmp_path, REPO / "data" / "reports.yaml", work)
    for name in ("ref", "query", "city", "style", "type", "empty"):
        assert found[name].is_error, name
    assert "no meeting matches 'utrech'. Did you mean 'Utrecht'" in text(found["ref"])
    assert "give a word to find, not only words to leave out" in text(found["query"])
    assert "'Utrech'" in text(found["city"]) and "'Utrecht'" in text(found["city"])
    assert "unknown citation style 'harvard'" in text(found["style"])
    assert found["resource"] and "nergens" in found["resource"]
    assert result(found["after"])


@needs_ngs
def test_nothing_from_the_data_reaches_the_client_unescaped(tmp_path):
    async def work(s):
        return {
            "list": await s.call_tool("list", {}),
            "show": await s.call_tool("show", {"ref": "2021-evil"}),
            "verslag": await s.read_resource("ngs://verslag/2021-evil"),
        }

    found = session(tmp_path, HOSTILE, work)
    assert not found["list"].is_error and not found["show"].is_error

    def strings(value):
        if isinstance(value, str):
            yield value
        elif isinstance(value, list):
            for v in value:
                yield from strings(v)
        elif isinstance(value, dict):
            for v in value.values():
                yield from strings(v)

    received = [*strings(result(found["list"])), *strings(found["show"].structured_content)]
    received.append(found["verslag"].contents[0].text)
    assert any("2021-evil" in s for s in received)
    raw = [s for s in received if any(ch in s for ch in "\x1b\x9b\x07\x7f\u202e")]
    assert not raw, raw[:3]  # each shown as \u001b and the like, as text
    assert "<script>" not in found["verslag"].contents[0].text  # Markdown escapes markup


def test_without_the_sdk_mcp_names_the_extra(ngs, monkeypatch):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "mcp" else real(name, *a)
    )
    r = ngs("mcp")
    assert r.exit_code == 1 and "pip install 'ngs-cli[mcp]'" in r.stderr and not r.stdout


def test_standard_input_is_the_protocol_s_not_the_data_s(ngs):
    r = ngs("mcp", "--data", "-")
    assert r.exit_code == 2 and "standard input is the assistant's channel" in r.stderr
