"""Validation of a data file and its JSON Schema, by pydantic over the record types.

Imported only when a data file is compiled or checked: pydantic costs about 100 ms to
import, which no warm command pays. ``validate`` reports every problem at once as
``(path, message)`` pairs; ``json_schema`` writes ``docs/reports.schema.json``:

    python -m ngs_cli.validate > docs/reports.schema.json
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from pydantic import TypeAdapter, ValidationError

from . import model
from .i18n import _, ngettext

Path = tuple


@cache
def _adapter() -> TypeAdapter[model.Dataset]:
    return TypeAdapter(model.Dataset)


# The names pydantic puts into an error's location to say which member of a union
# failed: they are not part of the path in the data.
_UNION_TAGS = frozenset(
    {
        "str",
        "Paragraph",
        "Bullets",
        "Numbered",
        "NestedItem",
        "Participants",
        "function-after",
    }
)
_MEMBER_NAMES = {
    "str": "a string",
    "NestedItem": "a mapping with text",
    "Paragraph": "a mapping with paragraph",
    "Bullets": "a mapping with bullets",
    "Numbered": "a mapping with numbered",
}


def validate(data: Any, *, may_hold_nul: bool = True) -> tuple[Any, list[tuple[Path, str]]]:
    """Check raw data against ``model.Dataset`` and the rules between fields.

    Returns the data with defaults filled in (or the input, when its types are wrong) and
    every problem found as ``(path, message)`` pairs; an empty list means it is valid.
    ``may_hold_nul=False`` skips looking for NUL characters, for a file whose text has
    no escape that could write one.
    """
    if not isinstance(data, dict):
        return data, [
            ((), _("expected a mapping at the top level, got {got}").format(got=_typename(data)))
        ]
    try:
        valid = _adapter().validate_python(data)
        nul = _nul_problems(valid) if may_hold_nul else []
        return valid, model.check_rules(valid, set()) + nul
    except ValidationError as e:
        problems = _problems(e.errors(include_url=False, include_context=True), data)
    broken = {p[:2] for p, _ in problems if len(p) >= 2}
    if any(len(p) < 2 or p[0] not in ("meetings", "topics") for p, _ in problems):
        return data, problems
    # Rules between fields still run on the records whose own fields are valid.
    partial = _valid_records(data, broken)
    return data, problems + model.check_rules(partial, broken)


def _nul_problems(data: Any) -> list[tuple[tuple, str]]:
    """A NUL character is never text (YAML can write one as "\\0"); say where it is."""
    found: list[tuple[tuple, str]] = []

    def walk(value: Any, path: tuple) -> None:
        if isinstance(value, str):
            if "\x00" in value:
                found.append((path, "contains a NUL character"))
        elif isinstance(value, dict):
            for k, v in value.items():
                walk(v, (*path, k))
        elif isinstance(value, list):
            for i, v in enumerate(value):
                walk(v, (*path, i))

    walk(data, ())
    return found


def _valid_records(data: dict[str, Any], broken: set[tuple]) -> Any:
    """The dataset with each record that validates on its own in its validated form."""
    meeting = TypeAdapter(model.Meeting)
    topic = TypeAdapter(model.Topic)
    result: dict[str, Any] = {"topics": [], "meetings": []}
    for kind, adapter in (("topics", topic), ("meetings", meeting)):
        for i, record in enumerate(data.get(kind) or []):
            if (kind, i) in broken:
                result[kind].append(record)
            else:
                result[kind].append(adapter.validate_python(record))
    return result


def _problems(errors: list[Any], data: Any) -> list[tuple[Path, str]]:
    """pydantic's errors as (path, message), one message per failed union, in file order."""
    plain: list[tuple[Path, str]] = []
    unions: dict[Path, dict[str, list[Any]]] = {}
    for error in errors:
        loc = tuple(error["loc"])
        tag_at = next((i for i, step in enumerate(loc) if step in _UNION_TAGS), None)
        if tag_at is None:
            plain.append((loc, _message(error, data, loc)))
            continue
        prefix, tag = loc[:tag_at], loc[tag_at]
        unions.setdefault(prefix, {}).setdefault(tag, []).append(
            {**error, "loc": prefix + loc[tag_at + 1 :]}
        )
    for prefix, members in unions.items():
        fewest = min(len(e) for e in members.values())
        best = [tag for tag, e in members.items() if len(e) == fewest]
        if len(best) == 1:
            # One member fits best: its own problems are the helpful ones.
            plain += _problems(members[best[0]], data)
        else:
            wanted = " or ".join(_MEMBER_NAMES.get(t, t) for t in members)
            got = _describe(_at(data, prefix))
            plain.append((prefix, _("expected {wanted}, got {got}").format(wanted=wanted, got=got)))
    return sorted(dict.fromkeys(plain), key=lambda p: [str(s).zfill(8) for s in p[0]])


def _message(error: dict[str, Any], data: Any, loc: Path) -> str:
    kind, ctx = error["type"], error.get("ctx") or {}
    value = error.get("input")
    if kind == "missing":
        return _("missing required field")
    if kind == "extra_forbidden":
        return _("unknown field")
    if kind in ("string_type", "int_type", "bool_type", "list_type", "dict_type"):
        wanted = {
            "string_type": _("a string"),
            "int_type": _("an integer"),
            "bool_type": _("true or false"),
            "list_type": _("a list"),
            "dict_type": _("a mapping"),
        }[kind]
        return _("expected {wanted}, got {got}").format(wanted=wanted, got=_typename(value))
    if kind == "string_pattern_mismatch":
        if ctx.get("pattern") == r"\S":
            return _("must not be empty")
        return _("{value} does not match {pattern}").format(
            value=repr(value), pattern=ctx.get("pattern")
        )
    if kind == "string_too_short":
        return _("must not be empty")
    if kind == "too_short":
        n = ctx.get("min_length") or 1
        return ngettext("must have at least {n} item", "must have at least {n} items", n).format(
            n=n
        )
    if kind == "greater_than_equal":
        return _("must be at least {n}, got {value}").format(n=ctx.get("ge"), value=repr(value))
    if kind == "less_than_equal":
        return _("must be at most {n}, got {value}").format(n=ctx.get("le"), value=repr(value))
    if kind == "literal_error":
        return _("expected {wanted}, got {got}").format(wanted=ctx.get("expected"), got=repr(value))
    return str(error["msg"])


def _at(data: Any, path: Path) -> Any:
    for step in path:
        try:
            data = data[step]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _typename(value: Any) -> str:
    if value is None:
        return "null"
    return {
        str: _("a string"),
        int: _("an integer"),
        bool: _("a boolean"),
        float: _("a number"),
        list: _("a list"),
        dict: _("a mapping"),
    }.get(type(value), type(value).__name__)


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        keys = ", ".join(map(str, value)) or _("no keys")
        return _("a mapping with {keys}").format(keys=keys)
    return _typename(value)


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of an ngs data file, generated from the types."""
    schema = _adapter().json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **schema,
        "title": "ngs data file",
    }


if __name__ == "__main__":  # python -m ngs_cli.validate > docs/reports.schema.json
    import json
    import sys

    json.dump(json_schema(), sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
