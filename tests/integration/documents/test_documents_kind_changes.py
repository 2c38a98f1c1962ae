"""A published document keeps the kind of its first version, through the handlers on moto:
a version published as another kind is refused at intake (nothing quarantined), and the
document reads as its one kind on the API."""

from __future__ import annotations

import pytest

from tests.integration.documents.conftest import PROVISIONING_BUCKET, Documents
from tests.integration.documents.test_documents_api import DOC, LIST, A, envelope, setup_book
from tests.integration.documents.test_documents_files import quarantined, scan
from tests.unit.documents.documents_factories import published

pytestmark = pytest.mark.integration
PDF = b"%PDF-1.4\n% STX document\n%%EOF\n"
DOCUMENT = "published-DOC-7"


def publish_version(documents: Documents, version: int, document_type: str) -> None:
    fact = published("DOC-7", PDF, account=A, version=version, document_type=document_type)
    documents.s3.put_object(Bucket=PROVISIONING_BUCKET, Key=fact.data["object_key"], Body=PDF)
    documents.publish(envelope(fact))
    for key in quarantined(documents):
        scan(documents, key)


def test_a_version_published_as_another_kind_is_refused_and_never_read_as_it(
    documents: Documents,
) -> None:
    setup_book(documents)
    publish_version(documents, 1, "invoice")
    publish_version(documents, 2, "trade_confirmation")

    status, _ = documents.call("GET", DOC, "trader", account_id=A, document_id=DOCUMENT)
    assert status == 403
    status, page = documents.call("GET", LIST, "trader", account_id=A)
    assert status == 200
    assert DOCUMENT not in {item["document_id"] for item in page["items"]}
    status, detail = documents.call("GET", DOC, "finance", account_id=A, document_id=DOCUMENT)
    assert (status, detail["kind"], detail["version"]) == (200, "invoice", 1)
    assert [(v["version"], v["status"]) for v in detail["versions"]] == [
        (2, "refused"),
        (1, "available"),
    ]
    assert "published as a trade confirmation" in detail["versions"][0]["reason"]
