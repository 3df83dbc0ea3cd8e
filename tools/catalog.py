"""Refresh the Dutch catalog of ngs's messages, without make.

    pip install -e '.[dev]'
    python tools/catalog.py            # extract, update locale/nl/.../ngs.po, compile ngs.mo
    python tools/catalog.py --check    # exit 1 when a message has no Dutch, the .mo is stale,
                                       # or an error is raised with a message not marked

The messages are the calls of ``_``, ``N_`` and ``ngettext`` in src/ngs_cli (Babel's
extractor); the .po is the source a translator edits, the .mo what the package reads.
"""

from __future__ import annotations

import argparse
import ast
import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "ngs_cli"
PO = PACKAGE / "locale" / "nl" / "LC_MESSAGES" / "ngs.po"
MO = PO.with_suffix(".mo")
# say: the translating function of a document that has a language of its own
# (i18n.speaking), which takes a message as _ does.
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "say": None}


def extract() -> Catalog:
    """Every message id of the package's code, with where it is used."""
    template = Catalog(project="ngs", domain="ngs")
    for filename, lineno, message, comments, context in extract_from_dir(
        str(PACKAGE), method_map=[("**.py", "python")], keywords=KEYWORDS
    ):
        template.add(message, None, [(f"src/ngs_cli/{filename}", lineno)],
                     auto_comments=comments, context=context)  # fmt: skip
    return template


def load() -> Catalog:
    with PO.open("rb") as f:
        return read_po(f, locale="nl", domain="ngs")


def compiled(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def missing(catalog: Catalog, template: Catalog) -> list[str]:
    """The ids of ``template`` that ``catalog`` does not translate."""
    gaps = []
    for message in template:
        if not message.id:
            continue
        found = catalog.get(message.id)
        strings = found.string if found is not None else None
        if isinstance(strings, tuple):
            ok = all(strings)
        else:
            ok = bool(strings)
        if found is None or not ok or found.fuzzy:
            gaps.append(message.id if isinstance(message.id, str) else message.id[0])
    return gaps


def untranslatable(sources: dict[str, str]) -> list[str]:
    """Where an error of ngs (``NgsError`` or a class derived from it, in ``sources``:
    file name -> Python source) is raised with a message no catalog can translate: a
    string or f-string as it is, not marked with ``_`` or ``N_``. A string without a
    space (a field's name, "$NGS_MAX_SIZE") is no message."""
    trees = {name: ast.parse(text) for name, text in sources.items()}
    errors, grew = {"NgsError"}, True
    while grew:  # the classes derived from an error, in any module, to a fixed point
        grew = False
        for tree in trees.values():
            for node in ast.walk(tree):
                if isinstance(node, ast.ClassDef) and node.name not in errors:
                    bases = {b.id if isinstance(b, ast.Name) else getattr(b, "attr", "")
                             for b in node.bases}  # fmt: skip
                    if bases & errors:
                        errors.add(node.name)
                        grew = True

    def plain(arg: ast.expr) -> bool:
        if isinstance(arg, ast.Call) and isinstance(arg.func, ast.Attribute):
            if arg.func.attr != "format":
                return False
            marked = arg.func.value  # N_("...").format(...): marked, then never translated
            return plain(marked) or (
                isinstance(marked, ast.Call) and getattr(marked.func, "id", "") == "N_"
            )
        if isinstance(arg, ast.Constant):
            return isinstance(arg.value, str) and " " in arg.value
        return isinstance(arg, ast.JoinedStr) and any(plain(part) for part in arg.values)

    found = []
    for name, tree in trees.items():
        for node in ast.walk(tree):  # every error made, raised or returned
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            called = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            values = [*node.args, *(k.value for k in node.keywords)]
            if called in errors and any(plain(arg) for arg in values):
                found.append(f"{name}:{node.lineno}: {called} made with a message not marked")
    return found


def in_fstrings(sources: dict[str, str], template: Catalog) -> list[str]:
    """Where ``_("...")`` stands inside an f-string with a message the catalog does not
    have: Babel's extractor does not look inside f-strings (before Python 3.12), so such
    a message is never offered for translation."""
    found = []
    for name, text in sources.items():
        for node in ast.walk(ast.parse(text)):
            if not isinstance(node, ast.JoinedStr):
                continue
            for inner in ast.walk(node):
                if (
                    isinstance(inner, ast.Call)
                    and getattr(inner.func, "id", "") in ("_", "N_")
                    and inner.args
                    and isinstance(inner.args[0], ast.Constant)
                    and template.get(inner.args[0].value) is None
                ):
                    found.append(
                        f"{name}:{inner.lineno}: {inner.args[0].value!r} inside an f-string"
                        " is not extracted"
                    )
    return found


def mismatched(catalog: Catalog) -> list[str]:
    """The messages whose Dutch names other {placeholders} than the English: formatting
    it would fail (a name it lacks) or leave a brace in the text."""
    import string

    def names(text: str) -> set[str]:
        try:
            return {field for _, field, _, _ in string.Formatter().parse(text) if field}
        except ValueError:  # a lone brace: not a format string
            return set()

    bad = []
    for message in catalog:
        if not message.id or not message.string or "python-brace-format" not in message.flags:
            continue
        ids = message.id if isinstance(message.id, (tuple, list)) else (message.id,)
        strings = message.string if isinstance(message.string, (tuple, list)) else (message.string,)
        wanted = set().union(*(names(i) for i in ids))
        for text in strings:
            if text and names(text) != wanted:
                bad.append(
                    f"{ids[0]!r}: {text!r} names {sorted(names(text))}, not {sorted(wanted)}"
                )
    return bad


def sources() -> dict[str, str]:
    """The package's modules: path (from the repository) -> source."""
    return {
        str(path.relative_to(ROOT)): path.read_text(encoding="utf-8")
        for path in sorted(PACKAGE.rglob("*.py"))
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="change nothing; fail on a gap")
    args = parser.parse_args()
    template = extract()
    catalog = load() if PO.exists() else Catalog(locale="nl", domain="ngs", project="ngs")
    if args.check:
        gaps = missing(catalog, template)
        stale = not MO.exists() or MO.read_bytes() != compiled(catalog)
        code = sources()
        plain = untranslatable(code) + mismatched(catalog) + in_fstrings(code, template)
        for gap in gaps:
            print(f"no Dutch for: {gap!r}", file=sys.stderr)
        for place in plain:
            print(place, file=sys.stderr)
        if stale:
            print(
                f"{MO} is not the compiled {PO.name}: run python tools/catalog.py", file=sys.stderr
            )
        return 1 if gaps or stale or plain else 0
    catalog.update(template, update_header_comment=False)
    catalog.obsolete.clear()
    PO.parent.mkdir(parents=True, exist_ok=True)
    with PO.open("wb") as f:
        write_po(f, catalog, width=88, omit_header=False, include_previous=False)
    MO.write_bytes(compiled(catalog))
    gaps = missing(catalog, template)
    print(f"{len(template)} messages, {len(gaps)} without Dutch", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
