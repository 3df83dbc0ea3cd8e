"""JSON and JSON Lines: whole records or summaries, as they are read."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import IO, TYPE_CHECKING, Any

from ..text import json_encoder

if TYPE_CHECKING:
    from . import Job


def write_json(
    stream: IO[str], value: Any, *, ascii_only: bool = False, indent: bool = False
) -> None:
    """JSON: ``indent`` for reading, else compact, with each item of a list on a line of
    its own (as sqlite-utils writes it). ``ascii_only`` for a stream whose encoding cannot
    hold every letter."""
    # Only the compact form has the C encoder (an indent makes json use its pure-Python
    # one, four times slower). A value is written in one piece, a list an item at a
    # time: json.dump writes each token apart, which costs more than the encoding.
    if isinstance(value, list):
        write_json_array(stream, value, ascii_only=ascii_only, indent=indent)
        return
    stream.write(json.dumps(value, ensure_ascii=ascii_only, indent=2 if indent else None) + "\n")


def write_json_array(
    stream: IO[str], items: Iterable[Any], *, ascii_only: bool = False, indent: bool = False
) -> None:
    """A JSON array written as it is read: ``[``, one compact item a line, ``]``; or, with
    ``indent``, the text ``json.dumps(items, indent=2)`` gives, an item at a time."""
    encode = (
        json.JSONEncoder(ensure_ascii=ascii_only, indent=2).encode
        if indent
        else json_encoder(ascii_only=ascii_only)
    )
    stream.write("[")
    first = True
    for item in items:
        text = encode(item)
        if indent:  # one level in, as inside the array
            text = "  " + text.replace("\n", "\n  ")
        stream.write(("\n" if first else ",\n") + text)
        first = False
    stream.write("]\n" if first else "\n]\n")


def write_encoded(stream: IO[str], texts: Iterable[str], *, lines: bool = False) -> None:
    """Records already encoded as compact JSON text, written as ``write_json_array``
    writes a list of them, or, with ``lines``, as ``write_ndjson`` does."""
    if lines:
        for text in texts:
            stream.write(text + "\n")
        return
    stream.write("[")
    first = True
    for text in texts:
        stream.write(("\n" if first else ",\n") + text)
        first = False
    stream.write("]\n" if first else "\n]\n")


def write_ndjson(stream: IO[str], records: Iterable[Any], *, ascii_only: bool = False) -> None:
    """JSON Lines: one compact object a line, each written as soon as it is made."""
    dumps = json_encoder(ascii_only=ascii_only, separators=(",", ":"))
    for record in records:
        stream.write(dumps(record) + "\n")


def write(stream: IO[str], job: Job) -> None:
    """The job's records as a JSON array written as it is read; with ``options.single``,
    the one record as that object (several still as an array)."""
    options, records = job.options, job.records
    if options.single:
        items = list(records)
        value = items[0] if len(items) == 1 else items
        write_json(stream, value, ascii_only=options.ascii_only, indent=options.indent)
    else:
        write_json_array(stream, records, ascii_only=options.ascii_only, indent=options.indent)


def write_lines(stream: IO[str], job: Job) -> None:
    """The job's records as JSON Lines."""
    write_ndjson(stream, job.records, ascii_only=job.options.ascii_only)
