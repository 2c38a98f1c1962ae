"""Bad input on DynamoDB Local (AWS's own engine: its key limits, which moto does not
enforce): a value the routes accept never reaches a table as a key it cannot take."""

from __future__ import annotations

from collections.abc import Iterator

import boto3
import pytest

from services.documents import dependencies
from services.documents.adapters.documents_store import DynamoDocumentStore
from services.documents.topology import TOPOLOGY
from services.identity.logic.roles import BUILT_IN_ROLES, RoleName
from tests.support.dynamodb_local import dynamodb_local_url
from tests.support.tables import create_table

from .conftest import REGION, Documents
from .test_documents_api import DOWNLOAD, A

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def local_url() -> Iterator[str]:
    with dynamodb_local_url() as url:
        yield url


@pytest.fixture
def on_local_engine(documents: Documents, local_url: str) -> Iterator[Documents]:
    """The documents table on DynamoDB Local, everything else as the fixture has it."""
    client = boto3.client(
        "dynamodb", endpoint_url=local_url, region_name=REGION,
        aws_access_key_id="local", aws_secret_access_key="local",
    )  # fmt: skip
    table = next(t for t in TOPOLOGY.tables if t.name == "documents")
    name = "documents-bad-input"
    if name not in client.list_tables()["TableNames"]:
        create_table(client, name, table)
    with dependencies.document_store.override(DynamoDocumentStore(client, name)):
        yield documents


@pytest.mark.parametrize("digits", [11, 1100])
def test_a_version_beyond_any_document_is_refused_with_its_field(
    on_local_engine: Documents, digits: int
) -> None:
    documents = on_local_engine
    documents.create_account(A)
    documents.grant(A, "trader", "trader", sorted(BUILT_IN_ROLES[RoleName.TRADER]))
    status, error = documents.call(
        "GET", DOWNLOAD, "trader", {"version": "9" * digits},
        account_id=A, document_id="confirmation-STX-T-1",
    )  # fmt: skip
    assert (status, error["fields"][0]["path"]) == (422, "query.version"), error
