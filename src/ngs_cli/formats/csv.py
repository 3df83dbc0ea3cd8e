"""CSV (RFC 4180), and CSV for Excel: a byte order mark, ';' and formulas neutralised."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from . import Job

from ..summary import CSV_COLUMNS

# What a spreadsheet may read as the start of a formula (OWASP's list for CSV injection):
# the workbook quotes the same cells.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> str:
    """A value as a CSV cell. A list or mapping is JSON (``["a","b"]``), so that it reads
    back exactly whatever its items hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def neutralise_formula(cell: str) -> str:
    """OWASP's advice for CSV injection: a cell that could start a formula gets a quote."""
    return "'" + cell if cell.startswith(FORMULA_START) else cell


def write_csv(
    stream: IO[str],
    records: Iterable[Mapping[str, Any]],
    columns: Sequence[str] = CSV_COLUMNS,
    *,
    excel: bool = False,
) -> None:
    """RFC 4180 CSV with a header, one row per record; lists as JSON arrays.

    ``excel``: a byte order mark, ';' as delimiter and formula-like cells neutralised, so
    that Excel opens the file as intended and runs nothing from it.
    """
    import csv

    cols = list(columns)
    if excel:
        stream.write("\ufeff")
    writer = csv.writer(
        stream,
        delimiter=";" if excel else ",",
        lineterminator="\r\n",
        quoting=csv.QUOTE_ALL if excel else csv.QUOTE_MINIMAL,
    )
    writer.writerow(cols)
    for record in records:
        cells = [csv_cell(record.get(c)) for c in cols]
        writer.writerow([neutralise_formula(c) for c in cells] if excel else cells)


def write(stream: IO[str], job: Job) -> None:
    """The job's records as CSV in its ``options.columns``, for Excel with
    ``options.excel``."""
    write_csv(stream, job.records, job.options.columns or CSV_COLUMNS, excel=job.options.excel)
