"""The one way any service writes CSV for people to open: spreadsheet formulas neutralised.

A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is run as a formula
by Excel, LibreOffice and Google Sheets (OWASP "CSV Injection"): a trade's registry account,
a beneficiary or a site name set by any account admin could then run when finance opens
the export. Such a cell gets a leading `'` (shown as text, never evaluated); a plain
number (`-12.50`, `+3`) is left as it is, so amounts stay numbers. Quoting and line ends
are the `csv` module's (RFC 4180).

`defusedcsv` was considered: it does not treat a leading tab or carriage return as a
trigger, which OWASP lists, so the rule lives here (tests: `test_common_csv_export.py`;
`tests/unit/test_csv_exports.py` fails if a service writes CSV without this module).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import IO, Any

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[+-]?[0-9]+(\.[0-9]+)?$")


def neutralise(cell: str) -> str:
    """`cell` as a spreadsheet shows it and never evaluates it."""
    if cell.startswith(FORMULA_TRIGGERS) and not _PLAIN_NUMBER.match(cell):
        return "'" + cell
    return cell


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "|".join(_text(v) for v in value)
    return str(value)


class SafeCsvWriter:
    """`csv.writer` whose every cell is text with formulas neutralised (None: empty cell;
    a list: its items joined with `|`)."""

    def __init__(self, out: IO[str]) -> None:
        self._writer = csv.writer(out, lineterminator="\r\n")

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([neutralise(_text(cell)) for cell in row])
