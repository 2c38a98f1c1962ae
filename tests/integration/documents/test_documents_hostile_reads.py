"""What a hostile or careless caller can send to the library's read routes: every bad
input is a 4xx naming its field."""

from __future__ import annotations

import pytest

from services.documents.topology import ACCOUNT as ACCOUNT_PATH
from tests.integration.documents.conftest import Documents
from tests.integration.documents.test_documents_api import LIST, A, setup_book

pytestmark = pytest.mark.integration

BUNDLES = f"{ACCOUNT_PATH}/bundles"


def test_an_issued_period_in_the_wrong_order_is_422_naming_its_field(
    documents: Documents,
) -> None:
    setup_book(documents)
    status, error = documents.call(
        "GET", LIST, "trader", {"issued_from": "2024-03-01", "issued_to": "2024-02-29"},
        account_id=A,
    )  # fmt: skip
    assert status == 422, error
    assert [f["path"] for f in error["fields"]] == ["query.issued_to"], error


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("issued_from", "0"),
        ("issued_to", "1767225600"),
        ("issued_from", "2026-01-01T00:00:00+14:00"),
    ],
)
def test_an_issued_day_takes_a_day_not_a_timestamp_or_a_time_in_some_zone(
    documents: Documents, name: str, value: str
) -> None:
    setup_book(documents)
    status, error = documents.call("GET", LIST, "trader", {name: value}, account_id=A)
    assert status == 422, error
    assert [f["path"] for f in error["fields"]] == [f"query.{name}"], error
    period: dict[str, object] = {"issued_from": "2026-01-01", "issued_to": "2026-12-31"}
    status, error = documents.call(
        "POST", BUNDLES, "trader", body={**period, name: value}, account_id=A
    )
    assert status == 422, error
    assert [f["path"] for f in error["fields"]] == [f"body.{name}"], error
    status, error = documents.call(
        "POST", BUNDLES, "trader", body={**period, name: 0}, account_id=A
    )
    assert status == 422, error
    assert [f["path"] for f in error["fields"]] == [f"body.{name}"], error
