"""How `make test` shares tests between its two xdist workers (`tests/xdist_groups.py`)."""

from __future__ import annotations

import pytest

from tests.xdist_groups import scope_of as scope
from tests.xdist_groups import worker_group

pytestmark = pytest.mark.unit


def test_a_scope_is_the_tests_group_else_its_file() -> None:
    e2e = {
        scope("tests/e2e/test_identity_flows.py::test_sign_in"),
        scope("tests/e2e/web/test_web_portal.py::test_sign_in[chromium]"),
        scope("tests/e2e/test_api_fuzzing.py::test_every_response_keeps_the_document[portfolio]"),
    }
    assert e2e == {"group:e2e"}
    assert scope("tests/unit/test_layering.py::test_a") == "tests/unit/test_layering.py"
    assert scope("tests/unit/test_layering.py::test_b[x]") == "tests/unit/test_layering.py"
    assert worker_group("tests/unit/test_layering.py::test_a") is None
