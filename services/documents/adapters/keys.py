"""Key layout of the documents service's tables (the only place that knows it).

`documents` table (pk, sk; index `bykind` on gsi1pk, gsi1sk):
- head of a document:    `ACC#<account>` / `DOC#<document_id>#H`
  (gsi1pk `ACC#<account>#K#<kind>`, gsi1sk `<issued_on>#<document_id>`: the lists)
- a version:             `ACC#<account>` / `DOC#<document_id>#V#<version, 10 digits>`
- a quarantined file:    `ACC#<account>` / `Q#<document_id>#V#<version>`
- a bundle:              `ACC#<account>` / `BUNDLE#<bundle_id>` (TTL `expires_at`)
- outbox events:         `OUTBOX#<event_id>` / `OUTBOX` (common.outbox)

`facts` table (pk, sk):
- a fact:                `ACC#<account>` / `<KIND>#<reference>#<version, 10 digits>`
- published about a ref: `ACC#<account>` / `PUBREL#<related_reference>#<reference>#<version>`
- accounts with facts:   `ACCOUNTS` / `<account>`
"""

from __future__ import annotations

from services.documents.models.domain import DocumentKind
from services.documents.models.facts import FactKind

ACCOUNTS_PK = "ACCOUNTS"
HIGHEST = "~"
"""Sorts after every character of a document id or a date."""


def account_pk(account_id: str) -> str:
    return f"ACC#{account_id}"


def document_prefix(document_id: str) -> str:
    return f"DOC#{document_id}#"


def head_sk(document_id: str) -> str:
    return f"{document_prefix(document_id)}H"


def version_sk(document_id: str, version: int) -> str:
    return f"{document_prefix(document_id)}V#{version:010d}"


def pending_sk(document_id: str, version: int) -> str:
    return f"Q#{document_id}#V#{version:010d}"


def bundle_sk(bundle_id: str) -> str:
    return f"BUNDLE#{bundle_id}"


def kind_pk(account_id: str, kind: DocumentKind) -> str:
    return f"ACC#{account_id}#K#{kind.value}"


def list_sk(issued_on: str, document_id: str) -> str:
    return f"{issued_on}#{document_id}"


def fact_prefix(kind: FactKind, reference: str | None = None) -> str:
    return f"{kind.value}#" if reference is None else f"{kind.value}#{reference}#"


def fact_sk(kind: FactKind, reference: str, version: int) -> str:
    return f"{fact_prefix(kind, reference)}{version:010d}"


def published_about_prefix(related_reference: str) -> str:
    return f"PUBREL#{related_reference}#"


def published_about_sk(related_reference: str, reference: str, version: int) -> str:
    return f"{published_about_prefix(related_reference)}{reference}#{version:010d}"
