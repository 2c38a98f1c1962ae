"""Which tests share an xdist worker (`make test` runs `pytest -n 2 --dist loadgroup`).

pytest-xdist 3.8 groups `xdist_group` tests by rewriting `item._nodeid`, which pytest 9 no
longer reads, so its own `loadgroup` spreads a group over every worker: each worker handed
end-to-end tests started a local runtime of its own, both at once on the same two cores.
Here the controller groups by path instead (it sees only node ids): a group's tests go to
one worker together, every other test file is a unit of its own (its module fixtures are
built once), largest units first. The `xdist_group` marks stay as the tests' own record,
and collection fails where a mark and `WORKER_GROUPS` disagree.
"""

from __future__ import annotations

from collections.abc import Iterable

import pytest
from xdist.scheduler import LoadScopeScheduling  # type: ignore[import-untyped]

WORKER_GROUPS: dict[str, str] = {
    "tests/e2e/": "e2e",
    "tests/infra/": "infra",
    "tests/integration/identity/test_identity_openapi.py": "identity-openapi",
}
"""Node id prefix -> group: the tests that must share one worker (and its session fixtures)."""


def worker_group(nodeid: str) -> str | None:
    return next(
        (group for prefix, group in WORKER_GROUPS.items() if nodeid.startswith(prefix)), None
    )


def marked_group(item: pytest.Item) -> str | None:
    mark = item.get_closest_marker("xdist_group")
    if mark is None:
        return None
    return str(mark.kwargs.get("name", mark.args[0] if mark.args else ""))


def disagreements(items: Iterable[pytest.Item]) -> list[str]:
    """Tests whose `xdist_group` mark is not the group their path puts them in."""
    return [
        f"{item.nodeid}: marked {marked!r}, WORKER_GROUPS says {grouped!r}"
        for item in items
        if (marked := marked_group(item)) != (grouped := worker_group(item.nodeid))
    ]


def scope_of(nodeid: str) -> str:
    """The unit of work a test belongs to: its group, else its file."""
    group = worker_group(nodeid)
    return f"group:{group}" if group else nodeid.split("::", 1)[0]


class GroupedByPath(LoadScopeScheduling):  # type: ignore[misc]  # xdist ships no types
    """`loadscope` whose scope is the test's group, else its file."""

    def _split_scope(self, nodeid: str) -> str:
        return scope_of(nodeid)
