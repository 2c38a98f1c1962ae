"""End-to-end: README.md's examples run as written against a started runtime.

Every ```bash block runs in a folder laid out like the repository as `make run` leaves it
(`.local/` is the test runtime's state dir, `.venv/` and `examples/` the repository's), with
`bash -euo pipefail`: a failing command (curl -f on an HTTP error, scts-publish on a rejected
row) fails the test. Blocks fenced `sh` or without a language are not run (`make run`
itself, deployment steps).
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from infra.local.runtime import REPO

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]

README = REPO / "README.md"
BASH_BLOCK = re.compile(r"^```bash\n(.*?)^```", re.DOTALL | re.MULTILINE)
LOGIN_ROW = re.compile(r"^\| (scts-admin|cam|admin|trader|finance|viewer) \| (\S+) \| (.+) \|$")


def bash_blocks() -> list[str]:
    return BASH_BLOCK.findall(README.read_text())


@pytest.fixture(scope="module")
def checkout(local_runtime: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder where `.local`, `.venv` and `examples` are where the README expects them."""
    folder = tmp_path_factory.mktemp("readme")
    (folder / ".local").symlink_to(Path(local_runtime["request_log"]).parents[1])
    (folder / ".venv").symlink_to(REPO / ".venv")
    (folder / "examples").symlink_to(REPO / "examples")
    (folder / "tmp").mkdir()
    return folder


def test_the_readme_has_runnable_examples() -> None:
    blocks = bash_blocks()
    assert len(blocks) >= 2
    assert all("$ADMIN_TOKEN" not in b or "ADMIN_TOKEN=" in b for b in blocks)
    assert not any(re.search(r"^\s*USER=", b, re.MULTILINE) for b in blocks), "keeps $USER"


@pytest.mark.parametrize("number", range(len(bash_blocks())))
def test_a_readme_bash_block_runs_as_written(checkout: Path, number: int) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "SCTS_"))}
    env.update(
        SCTS_LOCAL_STATE_DIR=str(checkout / ".local"),  # the login tool's default is REPO/.local
        SCTS_PUBLISH_STATE_DIR=str(checkout / "tmp" / "publish"),
        TMPDIR=str(checkout / "tmp"),
    )
    done = subprocess.run(  # noqa: S603 - the README's own examples, which is the point
        ["bash", "-euo", "pipefail", "-c", bash_blocks()[number]],  # noqa: S607 - bash from PATH
        cwd=checkout,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )

    assert done.returncode == 0, f"README bash block {number + 1}:\n{done.stdout}\n{done.stderr}"


def test_the_readme_s_demo_logins_are_the_runtime_s(local_runtime: dict[str, Any]) -> None:
    rows = [LOGIN_ROW.match(line) for line in README.read_text().splitlines()]
    stated = {(m[1], m[2]) for m in rows if m}
    accounts = {m[2]: m[3] for m in rows if m and m[1] not in ("scts-admin", "cam")}

    assert stated == {(u["role"], u["username"]) for u in local_runtime["users"]}
    for user in local_runtime["users"]:
        if user["username"] in accounts:
            assert accounts[user["username"]] == user["account"]
