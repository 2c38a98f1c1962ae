"""The mutation check (`python -m tests.mutations`, results in docs/reliability.md) breaks
code by replacing exact text. When that code changes, a break no longer applies and the
check stops there: this fails first, naming the break to update."""

from __future__ import annotations

import pytest

from tests.mutations import BREAKS, REPO

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("name", [b.name for b in BREAKS])
def test_every_break_still_applies_to_its_file_and_names_real_tests(name: str) -> None:
    (found,) = [b for b in BREAKS if b.name == name]
    source = (REPO / found.file).read_text()
    for old, _ in found.edits:
        assert source.count(old) == 1, f"{name}: {old!r} is not in {found.file} exactly once"
    for test in found.tests:
        assert (REPO / test.split("::")[0]).exists(), f"{name}: {test} does not exist"
