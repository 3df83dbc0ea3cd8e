"""The import rules of docs/architecture.md, read from the code itself (``ast``), so
that they cannot drift: which part of ngs may import which, and which parts may import
the command-line and drawing libraries."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "ngs_cli"

# Each part of ngs (a module, or a package with all its modules) and the parts it may
# import, as docs/architecture.md says; "" is the package's own __init__ (its version
# and schema version). Imports only for the type checker (``if TYPE_CHECKING:``) are
# not imports at run time, and are not counted.
ALLOWED: dict[str, set[str]] = {
    "text": set(),
    "i18n": set(),
    "calendar": {"i18n"},
    "verslag": set(),
    "stops": set(),
    "progress": set(),
    "errors": {"i18n"},
    "model": {"", "text", "i18n"},
    "yamlio": {"errors", "i18n"},
    "validate": {"i18n", "model"},
    "cite": {"errors", "i18n", "text", "calendar"},
    "fetch": {"", "errors", "i18n"},
    "links": {"verslag", "text"},
    "store": {
        "",
        "text",
        "verslag",
        "calendar",
        "errors",
        "i18n",
        "progress",
        "model",
        "yamlio",
        "validate",
        "links",
        "stops",
    },
    "query": {"store", "errors", "i18n", "model", "text"},
    "search": {"query", "store", "errors", "i18n", "model", "text"},
    "summary": {"", "i18n", "text", "calendar", "model"},
    "formats": {"", "summary", "text", "verslag", "calendar", "i18n", "errors", "model", "cite"},
    "render": {"summary", "formats", "text", "calendar", "i18n", "model"},
    "serve": set(),  # the Datasette site's configuration
    "datasette_plugin": {"search", "store"},  # loaded by Datasette, never by ngs
    "mcp_server": {
        "",
        "query",
        "summary",
        "cite",
        "errors",
        "search",
        "store",
        "text",
        "formats",
    },  # fmt: skip
    "curation": {
        "text",
        "verslag",
        "calendar",
        "errors",
        "i18n",
        "progress",
        "model",
        "store",
        "yamlio",
    },
    # The command line may import every part but the entry point.
    "cli": {
        "",
        "text",
        "calendar",
        "verslag",
        "stops",
        "i18n",
        "progress",
        "errors",
        "model",
        "yamlio",
        "validate",
        "cite",
        "store",
        "query",
        "search",
        "summary",
        "formats",
        "render",
        "curation",
        "fetch",
        "links",
        "serve",
        "mcp_server",
    },  # fmt: skip
    "__main__": {"cli"},
    "": set(),  # the public API names its modules as strings, imported on first use
}
# Outside libraries only some parts may import.
ONLY_IN = {"typer": {"cli"}, "click": {"cli"}, "rich": {"cli", "render"},
           "datasette": {"datasette_plugin"}, "mcp": {"mcp_server"}}  # fmt: skip


def part_of(path: Path) -> str:
    """The part a module belongs to: its top-level module or package ("" the package)."""
    first = path.relative_to(PACKAGE).with_suffix("").parts[0]
    return "" if first == "__init__" else first


def imports(path: Path, source: str | None = None) -> Iterator[tuple[str, int]]:
    """Every module a file of the package imports at run time (``source``, if given, in
    its place), as a dotted name ("ngs_cli.store.cache" for ngs's own), with its line."""
    tree = ast.parse(source if source is not None else path.read_text(encoding="utf-8"))
    here = ["ngs_cli", *path.relative_to(PACKAGE).with_suffix("").parts]
    if here[-1] == "__init__":
        here.pop()
    else:
        here.pop()  # a module's package is what a relative import starts from
    skipped = {
        id(child)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
        for child in ast.walk(node)
    }
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0:
                base = (node.module or "").split(".")
            else:
                base = here[: len(here) - node.level + 1] + (node.module or "").split(".")
                base = [b for b in base if b]
            for alias in node.names:
                module = [*base, alias.name]
                is_module = (PACKAGE.parent.joinpath(*module).with_suffix(".py").exists()
                             or PACKAGE.parent.joinpath(*module).is_dir())  # fmt: skip
                yield ".".join(module if is_module else base), node.lineno


def sources() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_the_rules_name_every_part_of_ngs():
    assert {part_of(p) for p in sources()} == set(ALLOWED)


@pytest.mark.parametrize("path", sources(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_each_module_imports_only_what_its_part_may(path):
    part = part_of(path)
    wrong = []
    for name, line in imports(path):
        top, _, rest = name.partition(".")
        if top == "ngs_cli":
            target = rest.split(".")[0]
            if target != part and target not in ALLOWED[part]:
                wrong.append(f"line {line}: {name}")
        elif top in ONLY_IN and part not in ONLY_IN[top]:
            wrong.append(f"line {line}: {name}, which only {sorted(ONLY_IN[top])} may import")
    assert not wrong, f"{path.relative_to(PACKAGE)} ({part or 'ngs_cli'}): {wrong}"


def test_the_parts_import_no_circle():
    # A part may only import parts it allows, and those allow nothing that leads back.
    def reaches(start: str, seen: set[str]) -> set[str]:
        for target in ALLOWED[start] - seen:
            seen.add(target)
            reaches(target, seen)
        return seen

    circles = [p for p in ALLOWED if p and p in reaches(p, set())]
    assert not circles


def test_the_rules_find_a_planted_import():
    # The walk sees an import as the rules mean it, relative or absolute, and leaves out
    # what only the type checker reads.
    text = PACKAGE / "text.py"
    source = text.read_text(encoding="utf-8") + (
        "\nfrom .store import cache\nimport ngs_cli.query\n"
        "if TYPE_CHECKING:\n    from .model import Meeting\n"
    )
    found = [name for name, _ in imports(text, source) if name.startswith("ngs_cli")]
    assert found == ["ngs_cli.store.cache", "ngs_cli.query"]


_ENVIRONMENT = ("environ", "environb", "getenv", "getenvb", "putenv", "unsetenv")


def environment_reads(source: str) -> list[int]:
    """The lines where a module reads or sets an environment variable itself:
    ``os.environ``, ``os.environb``, ``os.getenv``, ``os.putenv``, ``os.unsetenv``, or one
    of them imported from os. (The standard library's own functions read theirs:
    ``expanduser`` ``$HOME``, ``tempfile`` ``$TMPDIR``, urllib ``NO_PROXY``.)"""
    tree = ast.parse(source)
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and node.attr in _ENVIRONMENT
            or (
                isinstance(node, ast.ImportFrom)
                and node.module == "os"
                and any(a.name in _ENVIRONMENT for a in node.names)
            )
        ):
            found.append(node.lineno)
    return found


@pytest.mark.parametrize(
    "path",
    [p for p in sources() if part_of(p) not in ("cli", "__main__")],
    ids=lambda p: str(p.relative_to(PACKAGE)),
)
def test_no_environment_variable_is_read_below_the_command_line(path):
    # Settings are read once, at the edge (cli/settings.py), and passed down.
    assert not environment_reads(path.read_text(encoding="utf-8")), path


def test_a_planted_environment_read_is_found():
    source = (PACKAGE / "text.py").read_text(encoding="utf-8")
    assert environment_reads(source) == []
    assert environment_reads(source + "\nimport os\nx = os.environ.get('HOME')\n")
    assert environment_reads(source + "\nfrom os import getenv\n")
    assert environment_reads(source + "\nimport os\nos.environb[b'X']\n")
