"""Safe YAML parsing for data files: plain data only, with line numbers for problems;
and plain data written as block YAML (``dump``, for a draft).

- Only the safe loader: a Python tag (``!!python/object/apply:...``) is refused, never run.
- Anchors and aliases are refused before any data is built, so an alias bomb
  ("billion laughs") costs no more than its own size.
- A key given twice in one mapping is an error naming both lines, not a silent overwrite.
- Dates stay strings: ``2023-03-16`` is text in ISO form, as the model expects.
- libyaml's C parser is used where PyYAML has it; the pure-Python one otherwise, and for
  a text with a JSON-style escape of half a character (``"\\ud83d\\ude00"``, what
  ``json.dumps`` writes for an emoji), which libyaml refuses: each such pair is read as
  the one character it means, and half of one alone is an error naming its line.
"""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Callable
from typing import Any, Protocol, Union

import yaml

from .errors import DataError, Problem
from .i18n import N_, _, ngettext

_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_TIMESTAMP = "tag:yaml.org,2002:timestamp"


def _without_timestamps(resolvers: dict[Any, list[Any]]) -> dict[Any, list[Any]]:
    return {k: [r for r in v if r[0] != _TIMESTAMP] for k, v in resolvers.items()}


class _DuplicateKeys:
    """Refuses a mapping that gives one key twice; PyYAML would keep the last silently.
    Reads a pair of escaped surrogates in a double-quoted string as its one character."""

    duplicates: list[str]

    def construct_scalar(self, node: yaml.ScalarNode | yaml.MappingNode) -> str:
        value: str = super().construct_scalar(node)  # type: ignore[misc]
        # Only a double-quoted string has escapes; most are ASCII and need no look.
        if getattr(node, "style", None) == '"' and not value.isascii() and _SURROGATE.search(value):
            try:
                value = value.encode("utf-16-le", "surrogatepass").decode("utf-16-le")
            except UnicodeDecodeError:
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    _("an escape of half a character (\\u{code}) without its other half").format(
                        code=f"{ord(_SURROGATE.findall(value)[0]):04x}"
                    ),
                    node.start_mark,
                ) from None
        return value

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> Any:
        seen: dict[Any, int] = {}
        # Not a mapping (``!!map x``): PyYAML's own error says so.
        pairs = node.value if isinstance(node, yaml.MappingNode) else []
        for key_node, _value in pairs:
            if isinstance(key_node, yaml.ScalarNode):
                line = key_node.start_mark.line + 1
                if key_node.value in seen:
                    first = seen[key_node.value]
                    self.duplicates.append(
                        _(
                            "line {line}: the key {key} is given twice in one mapping "
                            "(first at line {first})"
                        ).format(line=line, key=repr(key_node.value), first=first)
                    )
                else:
                    seen[key_node.value] = line
        return super().construct_mapping(node, deep)  # type: ignore[misc]


class _Loader(_DuplicateKeys, _Base):  # type: ignore[misc, valid-type]
    yaml_implicit_resolvers = _without_timestamps(yaml.SafeLoader.yaml_implicit_resolvers)


class _PureLoader(_DuplicateKeys, yaml.SafeLoader):
    yaml_implicit_resolvers = _without_timestamps(yaml.SafeLoader.yaml_implicit_resolvers)


class Readable(Protocol):
    """What the parser reads a stream through: an open binary file, say."""

    def read(self, size: int = -1, /) -> bytes: ...


Source = Union[str, Readable]  # noqa: UP007 (a runtime alias)


def parse(
    source: Source,
    name: str,
    *,
    pure: bool = False,
    may_have_aliases: bool | None = None,
    after_reading: Callable[[], None] | None = None,
) -> Any:
    """Parse one YAML document into plain data, or raise a DataError that says why not.

    ``source`` is text, or a binary stream read as it is parsed (so that a large file is
    never held whole beside its parse). For a stream, ``may_have_aliases`` says whether
    the text may hold an anchor or alias (``may_have_aliases_in`` on its text tells), and
    ``after_reading`` is called once the whole stream is read, before anything is built
    from it (to check that it is still the text that was checked).
    """
    return _parse(
        source, name, pure=pure, may_have_aliases=may_have_aliases, after_reading=after_reading
    )[0]


def parse_with_nodes(source: Source, name: str, *, pure: bool = False) -> tuple[Any, yaml.Node]:
    """Parse, and keep the node tree too, to tell the line of a value (``line_of``)."""
    return _parse(source, name, pure=pure, keep_nodes=True, may_have_aliases=True)


def may_hold_surrogates_in(text: str) -> bool:
    """Whether the text may escape half a character (``\\ud83d``), which only the
    pure-Python parser reads; False means it certainly does not."""
    return _SURROGATE_ESCAPE.search(text) is not None


def may_have_aliases_in(text: str) -> bool:
    """Whether the text may hold an anchor or alias; False means it certainly does not.

    What ``_MAY_HAVE_ALIASES`` matches, found by looking only at each ``&`` and ``*``:
    the pattern, which cannot start with a literal, costs a tenth of a second per 1 MB.
    """
    end = len(text) - 1
    for mark in "&*":
        i = text.find(mark)
        while 0 <= i < end:
            before, after = text[i - 1] if i else " ", text[i + 1]
            if (before.isspace() or before in _TOKEN_START) and not (
                after.isspace() or after in _NOT_IN_NAME
            ):
                return True
            i = text.find(mark, i + 1)
    return False


def _parse(
    source: Source,
    name: str,
    *,
    pure: bool = False,
    keep_nodes: bool = False,
    may_have_aliases: bool | None = None,
    after_reading: Callable[[], None] | None = None,
) -> tuple[Any, Any]:
    if may_have_aliases is None:
        may_have_aliases = not isinstance(source, str) or may_have_aliases_in(source)
    if isinstance(source, str) and may_hold_surrogates_in(source):
        pure = True
    loader = (_PureLoader if pure else _Loader)(source)
    loader.duplicates = []
    try:
        root = loader.get_single_node()  # reads to the end: one document, nothing after it
        if after_reading is not None:
            after_reading()
        if root is None:
            raise DataError(name, _("is empty (no YAML document in it)"))
        if may_have_aliases:
            _refuse_aliases(root, name)
        # The plain walk takes strings as the parser gives them; an escaped surrogate
        # pair (read only by the pure parser) needs the constructor's own look.
        data = loader.construct_document(root) if pure else _construct(loader, root)
        if loader.duplicates:
            count = len(loader.duplicates)
            raise DataError(
                name,
                ngettext("{n} key given twice", "{n} keys given twice", count).format(n=count),
                [Problem("", d) for d in loader.duplicates],
            )
        if not keep_nodes:
            root = None  # the node tree is several times the data's size: let it go now
    except yaml.MarkedYAMLError as e:
        raise DataError(name, _yaml_message(e)) from None
    except yaml.YAMLError as e:
        raise DataError(name, _("is not valid YAML: {error}").format(error=e)) from None
    except UnicodeDecodeError as e:
        raise DataError(
            name, _("is not UTF-8 text ({reason}); save it as UTF-8").format(reason=e.reason)
        ) from None
    except RecursionError:
        raise DataError(name, _("is nested too deeply to be a data file")) from None
    finally:
        loader.dispose()
    return data, root


_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_PLAIN_SCALARS = {
    "tag:yaml.org,2002:int": "construct_yaml_int",
    "tag:yaml.org,2002:float": "construct_yaml_float",
    "tag:yaml.org,2002:bool": "construct_yaml_bool",
    "tag:yaml.org,2002:null": "construct_yaml_null",
}


class _Unusual(Exception):
    """A node the plain walk leaves to PyYAML's own constructor."""


def _construct(loader: Any, root: yaml.Node) -> Any:
    """The document's data, built by a plain walk over the node tree: mappings whose
    keys are strings given once, lists, strings and the scalars of the safe loader.

    PyYAML's constructor, which is written in Python and handles every tag, merge keys
    and aliases, costs as much as the C parser that made the tree; this walk a fraction.
    Anything else (another tag, a key that is not a string, a key given twice) is built
    by PyYAML's constructor from the start, so that data and errors are the same.
    """
    scalars = {tag: getattr(loader, name) for tag, name in _PLAIN_SCALARS.items()}
    scalar_node, mapping_node, sequence_node = yaml.ScalarNode, yaml.MappingNode, yaml.SequenceNode

    def build(node: Any) -> Any:
        kind, tag = type(node), node.tag
        if kind is scalar_node:
            if tag == _STR:
                return node.value
            construct = scalars.get(tag)
            if construct is None:
                raise _Unusual
            return construct(node)
        if kind is mapping_node and tag == _MAP:
            mapping: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if type(key_node) is not scalar_node or key_node.tag != _STR:
                    raise _Unusual
                key = key_node.value
                if key in mapping:
                    raise _Unusual  # told with both lines by the constructor
                mapping[key] = build(value_node)
            return mapping
        if kind is sequence_node and tag == _SEQ:
            return [build(item) for item in node.value]
        raise _Unusual

    try:
        return build(root)
    except _Unusual:
        return loader.construct_document(root)


def _yaml_message(e: yaml.MarkedYAMLError) -> str:
    mark = e.problem_mark or e.context_mark
    where = (
        _("line {line}, column {column}: ").format(line=mark.line + 1, column=mark.column + 1)
        if mark
        else ""
    )
    problem = e.problem or e.context or "invalid YAML"
    if isinstance(e, yaml.constructor.ConstructorError) and "constructor for the tag" in problem:
        tag = problem.split("tag", 1)[1].strip(" '")
        return where + _(
            "the tag {tag} is not allowed: data files may hold plain data only (nothing was run)"
        ).format(tag=tag)
    return where + _("invalid YAML: {problem}").format(problem=_problem(problem))


# The parser's problems a hand edit meets most, in its own words (PyYAML's, then libyaml's)
# as the message ids: an English reader sees what the parser says, a Dutch reader the same
# in Dutch. Others stay as the parser words them.
_PROBLEMS = [
    N_("did not find expected node content"),
    N_("expected the node content, but found {found}"),
    N_("mapping values are not allowed here"),
    N_("mapping keys are not allowed here"),
    N_("sequence entries are not allowed here"),
    N_("could not find expected ':'"),
    N_("found character {found} that cannot start any token"),
    N_("expected <block end>, but found {found}"),
    N_("expected <block mapping start>, but found {found}"),
    N_("found unexpected end of stream"),
    N_("found undefined alias {found}"),
    N_("found unknown escape character {found}"),
    N_("expected ',' or ']', but got {found}"),
    N_("expected ',' or '}}', but got {found}"),
    N_("expected a comment or a line break, but found {found}"),
    N_("but found another document"),
    # libyaml's wording, where the C parser reads
    N_("mapping values are not allowed in this context"),
    N_("block sequence entries are not allowed in this context"),
    N_("found character that cannot start any token"),
    N_("did not find expected key"),
    N_("did not find expected '-' indicator"),
    N_("did not find expected ',' or ']'"),
    N_("did not find expected ',' or '}}'"),
    N_("did not find expected comment or line break"),
    N_("found undefined alias"),
    N_("found unknown escape character"),
]


def _problem(problem: str) -> str:
    """The parser's ``problem`` in the user's language, where it is one of ``_PROBLEMS``."""
    for pattern, message in _patterns():
        if found := pattern.match(problem):
            return _(message).format(**found.groupdict())
    return problem


@functools.cache
def _patterns() -> list[tuple[re.Pattern[str], str]]:
    """``_PROBLEMS`` as patterns of what the parser says ({{ and }} being braces), compiled
    when a file does not parse, not on every start."""
    out = []
    for message in _PROBLEMS:
        said = message.replace("{found}", "\0").replace("{{", "{").replace("}}", "}")
        pattern = re.escape(said).replace("\0", "(?P<found>.+)")
        out.append((re.compile(pattern + r"\Z"), message))
    return out


# An anchor (&a) or alias (*a) can only start where a token starts. Text without this
# pattern has none, and the walk over every node (a second or more on a large file)
# is skipped; text with it (say "*nadruk*" in a quoted string) is walked to be sure.
_MAY_HAVE_ALIASES = r"(?:^|[\s\[{,:?-])[&*][^\s,\[\]{}]"  # what may_have_aliases_in finds
_TOKEN_START = frozenset("[{,:?-")
_NOT_IN_NAME = frozenset(",[]{}")
_SURROGATE = re.compile("[\ud800-\udfff]")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def _refuse_aliases(root: yaml.Node, name: str) -> None:
    """Raise if any node is reachable twice, i.e. the document uses an alias."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            mark = node.start_mark
            raise DataError(
                name,
                _(
                    "line {line}: anchors and aliases (&name, *name) are not allowed in data "
                    "files; write the value out"
                ).format(line=mark.line + 1),
            )
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack.append(key)
                stack.append(value)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)


def line_of(root: yaml.Node | None, path: tuple) -> int | None:
    """The 1-based line of the value at ``path`` (or its nearest parent), if known."""
    node = root
    line = node.start_mark.line + 1 if node is not None else None
    for step in path:
        if isinstance(node, yaml.MappingNode) and isinstance(step, str):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.value == step:
                    node = value
                    line = key.start_mark.line + 1
                    break
            else:
                return line
        elif (
            isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value)
        ):
            node = node.value[step]
            line = node.start_mark.line + 1
        else:
            return line
    return line


def dump(data: Any, *, width: int = 100) -> str:
    """Plain data (mappings, lists, strings, integers, booleans, None) as block YAML,
    keys in their order: what ``yaml.dump`` with libyaml's ``CSafeDumper`` writes, without
    aliases. Unicode is as it is, but for what lies beyond the BMP, which libyaml's
    emitter escapes ("\\U0001F600"); ``dump_pure`` keeps that too.

    libyaml's emitter is given the document's events directly. PyYAML's representer,
    written in Python, costs several times what the emitter does on a long document (a
    draft of 20,000 programme items: 3.6 s, and 0.7 s this way). A string is written
    plain where the safe loader reads it back as a string, else quoted, as the
    representer decides. Without libyaml, or for other data, ``yaml.safe_dump`` writes it.
    """
    dumper_class = getattr(yaml, "CSafeDumper", None)
    if dumper_class is None:
        return dump_pure(data, width=width)
    stream = io.StringIO()
    dumper = dumper_class(stream, allow_unicode=True, width=width)
    events = yaml.events
    scalar, node = events.ScalarEvent, yaml.ScalarNode
    resolvers, resolve = dumper_class.yaml_implicit_resolvers, dumper.resolve
    plain, quoted, typed = (True, True), (False, True), (True, False)
    start_map = events.MappingStartEvent(None, None, True, flow_style=False)
    start_list = events.SequenceStartEvent(None, None, True, flow_style=False)
    end_map, end_list = events.MappingEndEvent(), events.SequenceEndEvent()
    constants = {id(v): scalar(None, None, typed, text) for v, text in _CONSTANTS}

    def emit(value: Any) -> None:
        kind = type(value)
        if kind is str:
            # Only a string starting as a number, a boolean or null may resolve to another
            # type: the resolvers are listed by first character.
            implicit = (
                plain
                if value[:1] not in resolvers or resolve(node, value, typed) == _STR
                else quoted
            )
            dumper.emit(scalar(None, None, implicit, value))
        elif kind is dict:
            dumper.emit(start_map)
            for key, item in value.items():
                emit(key)
                emit(item)
            dumper.emit(end_map)
        elif kind is list:
            dumper.emit(start_list)
            for item in value:
                emit(item)
            dumper.emit(end_list)
        elif id(value) in constants:
            dumper.emit(constants[id(value)])
        elif kind is int:
            dumper.emit(scalar(None, None, typed, str(value)))
        else:
            raise _Unusual

    try:
        dumper.emit(events.StreamStartEvent())
        dumper.emit(events.DocumentStartEvent(explicit=False))
        emit(data)
        dumper.emit(events.DocumentEndEvent(explicit=False))
        dumper.emit(events.StreamEndEvent())
    except _Unusual:
        return dump_pure(data, width=width)
    finally:
        dumper.dispose()
    return stream.getvalue()


_CONSTANTS = ((None, "null"), (True, "true"), (False, "false"))


def dump_pure(data: Any, *, width: int = 100) -> str:
    """``data`` as ``dump`` writes it, by PyYAML's own writer in Python: what lies beyond
    the BMP as it is, which libyaml's emitter escapes ("\\U0001F600")."""
    result: str = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=width)
    return result


__all__ = [
    "parse",
    "parse_with_nodes",
    "line_of",
    "may_have_aliases_in",
    "may_hold_surrogates_in",
    "dump",
    "dump_pure",
]
