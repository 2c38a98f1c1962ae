"""Fixtures for the tests of common/."""

from __future__ import annotations

import pytest

from tests.unit.common.jwt_tokens import Tokens


@pytest.fixture(scope="session")
def tokens() -> Tokens:
    return Tokens()
