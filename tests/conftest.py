"""Session-wide hooks: the "API fuzzing" section of the summary (`tests/e2e/test_api_fuzzing.py`
records what it did as a user property, which xdist carries back from its worker)."""

from __future__ import annotations

import pytest

FUZZ_PROPERTY = "api_fuzz"


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    lines = [
        str(value)
        for reports in terminalreporter.stats.values()
        for report in reports
        if isinstance(report, pytest.TestReport) and report.when == "call"
        for name, value in report.user_properties
        if name == FUZZ_PROPERTY
    ]
    if lines:
        terminalreporter.write_sep("-", "API fuzzing (requests per document and principal)")
        for line in lines:
            terminalreporter.write_line(line)
