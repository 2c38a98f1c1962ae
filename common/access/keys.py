"""The access projection's item layout in a consuming service's table (the storage keys the
adapter, `common.access.dynamo`, writes and reads).

Items (in the consumer's table): pk `ACCESS#<account>`, sk `ACCOUNT` | `MEMBER#<sub>` |
`CAM#<sub>`, each with `status`, `sequence` and for members `role` + `permissions`; the
`ACCOUNT` item also keeps the account's `name`, an assigned CAM item the keys of the sparse
`bycam` index (`cam_subject`, `cam_account`); and `PERSON#<sub>` with the member's `email`
(from AccessGranted: what a page shows for a person).
A write is applied only if its event's sequence is newer than the item's, so duplicates
and reordering change nothing; revocations stay as tombstones to beat late grants.
Pure constants: importing this module imports nothing.
"""

from __future__ import annotations

PROJECTION_PK_PREFIX = "ACCESS#"
ACCOUNT_SK = "ACCOUNT"
MEMBER_ACTIVE = "active"
MEMBER_REVOKED = "revoked"
CAM_ASSIGNED = "assigned"
CAM_UNASSIGNED = "unassigned"

CAM_ACCOUNTS_INDEX = "bycam"
"""Sparse GSI of an access table declared with `access_table(cam_accounts=True)`: only a
CAM item whose latest event is `CamAssigned` carries its keys, so querying it by a CAM's
subject lists exactly the accounts assigned to that CAM (account id order)."""
CAM_INDEX_PK = "cam_subject"
CAM_INDEX_SK = "cam_account"


def member_sk(subject: str) -> str:
    return f"MEMBER#{subject}"


def cam_sk(subject: str) -> str:
    return f"CAM#{subject}"


def person_sk(subject: str) -> str:
    return f"PERSON#{subject}"
