"""The notifications table's layout (one table; `ACCESS_PATTERNS.md` lists every read).

  item               pk                 sk                          indexes
  notification       P#<sub>            N#<notification id>         inbox, unread, byaccount
  waiting channel    P#<sub>            DUE#<kind>#<nid>#<channel>  due (HOLD#n / DIGEST#n)
  person (profile)   P#<sub>            PROFILE
  push subscription  P#<sub>            PUSH#<id>
  account name       A#<account>        ACCOUNT
  account defaults   A#<account>        DEFAULTS
  open invoice       A#<account>        INV#<reference>             due (INVOICE#0) while open
  newest version     A#<account>        VER#<entity>#<reference>
  occurrence plan    O#<occurrence id>  PLAN
  SES message        SES#<message id>   SES

Notification ids start with the occurrence's time, so every notification list sorts newest
first by its sort key; the indexes' sort key `nsk` repeats it. Index attributes are present
only while they apply (sparse): `inbox_pk` while the notice is in the inbox (not archived),
`unread_pk` while also unread, `acct_pk` for the per-account inbox.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from common.sortable_time import sortable_instant

DUE_SHARDS = 4
INVOICE_DUE = "INVOICE#0"


def person_pk(subject: str) -> str:
    return f"P#{subject}"


def notification_sk(notification_id: str) -> str:
    return f"N#{notification_id}"


def account_pk(account_id: str) -> str:
    return f"A#{account_id}"


def account_inbox_pk(subject: str, account_id: str) -> str:
    return f"P#{subject}#A#{account_id}"


def version_sk(entity: str, reference: str) -> str:
    return f"VER#{entity}#{reference}"


def plan_pk(occurrence_id: str) -> str:
    return f"O#{occurrence_id}"


def message_pk(message_id: str) -> str:
    return f"SES#{message_id}"


def due_sk(kind: str, notification_id: str, channel: str) -> str:
    return f"DUE#{kind}#{notification_id}#{channel}"


def due_shard(kind: str, subject: str) -> str:
    shard = int(hashlib.sha256(subject.encode()).hexdigest()[:4], 16) % DUE_SHARDS
    return f"{kind.upper()}#{shard}"


instant = sortable_instant
"""A UTC instant that sorts as text."""


def expires(value: datetime, days: int) -> int:
    return int(value.timestamp()) + days * 86400
