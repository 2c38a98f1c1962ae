"""Session-wide hooks: how tests share xdist workers (`tests/xdist_groups.py`), and the "API
fuzzing" section of the summary (`tests/e2e/test_api_fuzzing.py` records what it did as a user
property, which xdist carries back from its worker)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.xdist_groups import GroupedByPath, disagreements

FUZZ_PROPERTY = "api_fuzz"


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> GroupedByPath | None:
    """`--dist loadgroup` (what `make test` asks for) groups by path, as xdist no longer can."""
    return GroupedByPath(config, log) if config.getvalue("dist") == "loadgroup" else None


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    wrong = disagreements(items)
    if wrong:
        raise pytest.UsageError(
            "xdist_group marks and tests/xdist_groups.py disagree:\n" + "\n".join(wrong)
        )


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
