"""The one CSV writer: formulas neutralised (OWASP CSV injection), numbers left as numbers."""

from __future__ import annotations

import csv
import io

import pytest

from common.csv_export import SafeCsvWriter, neutralise

pytestmark = pytest.mark.unit

ATTACKS = [
    '=HYPERLINK("http://evil.example","click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
    "=",
    "-\u0661\u0662",  # digits of another script: not a plain number
]


@pytest.mark.parametrize("cell", ATTACKS)
def test_a_formula_cell_is_shown_as_text(cell: str) -> None:
    assert neutralise(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["-12.50", "+3", "-1000000", "12.345", "REG-1", "", "O'Neil"])
def test_numbers_and_plain_text_are_unchanged(cell: str) -> None:
    assert neutralise(cell) == cell


def test_the_writer_neutralises_every_cell_and_keeps_quoting() -> None:
    out = io.StringIO()
    writer = SafeCsvWriter(out)
    writer.writerow(["reference", "site", "amount", "tags"])
    writer.writerow(["T-1", '=1+1,"x"', "-5.00", ["@a", "b"]])
    writer.writerow(["T-2", None, 3, []])
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows[1] == ["T-1", '\'=1+1,"x"', "-5.00", "'@a|b"]
    assert rows[2] == ["T-2", "", "3", ""]
    assert out.getvalue().endswith("\r\n")
