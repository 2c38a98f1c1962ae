"""Withdrawals against moto, through the handlers: a bundle built before a withdrawal stops
serving (its ZIP still holds the document), and a version arriving late, older than the
withdrawn head, is withdrawn with it."""

from __future__ import annotations

import pytest

from common.access import SCTS_ADMINS_GROUP
from services.documents.topology import ACCOUNT as ACCOUNT_PATH
from services.identity.logic.roles import BUILT_IN_ROLES, RoleName
from tests.unit.documents.documents_factories import trade

from .conftest import Documents
from .test_documents_api import DOC, DOWNLOAD, A, envelope, link

pytestmark = pytest.mark.integration

BUNDLES = f"{ACCOUNT_PATH}/bundles"


def members(documents: Documents) -> None:
    documents.create_account(A)
    for role in RoleName:
        documents.grant(A, role.value, role.value, sorted(BUILT_IN_ROLES[role]))
    documents.publish(link(A))


def withdraw(documents: Documents, document_id: str) -> None:
    status, body = documents.call(
        "POST",
        f"{DOC}/withdrawal",
        "scts",
        body={"reason": "wrong account"},
        groups=(SCTS_ADMINS_GROUP,),
        account_id=A,
        document_id=document_id,
    )
    assert (status, body["status"]) == (200, "withdrawn"), body


def test_a_bundle_built_before_a_withdrawal_no_longer_downloads(documents: Documents) -> None:
    members(documents)
    documents.publish(envelope(trade("STX-T-1")))
    period = {"issued_from": "2026-01-01", "issued_to": "2026-12-31"}
    status, bundle = documents.call("POST", BUNDLES, "trader", body=period, account_id=A)
    assert status == 202, bundle
    documents.build_bundles()
    path = f"{BUNDLES}/{{bundle_id}}/download"
    assert (
        documents.call("GET", path, "trader", account_id=A, bundle_id=bundle["bundle_id"])[0] == 200
    )

    withdraw(documents, "confirmation-STX-T-1")
    status, refused = documents.call(
        "GET", path, "trader", account_id=A, bundle_id=bundle["bundle_id"]
    )
    assert (status, refused["error"]) == (409, "not_ready")
    status, shown = documents.call(
        "GET", f"{BUNDLES}/{{bundle_id}}", "trader", account_id=A, bundle_id=bundle["bundle_id"]
    )
    assert (status, shown["status"]) == (200, "failed")
    assert "withdrawn" in shown["reason"]


def test_a_late_older_version_of_a_withdrawn_document_is_not_downloadable(
    documents: Documents,
) -> None:
    members(documents)
    documents.publish(envelope(trade("STX-T-1")), envelope(trade("STX-T-1", 3, status="amended")))
    withdraw(documents, "confirmation-STX-T-1")
    documents.publish(envelope(trade("STX-T-1", 2, status="amended")))
    status, refused = documents.call(
        "GET",
        DOWNLOAD,
        "trader",
        {"version": "2"},
        account_id=A,
        document_id="confirmation-STX-T-1",
    )
    assert (status, refused["error"]) == (409, "not_downloadable")
