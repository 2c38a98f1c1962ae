"""One run at a time processes an upload: it holds the upload's claim (owner + lease).

SQS delivers UploadReceived at least once, and may hand it to a second execution while the
first still runs. The run that takes the claim (a conditional write on the upload) is the
only one whose progress the store accepts; a delivery that finds the claim held raises
UploadBusy, so its message fails and SQS delivers it again after the visibility timeout,
when it finds the upload finished (nothing to do) or the claim expired (its run was
killed: the retry takes over and resumes after the last saved chunk). A run that fails
knowingly gives its claim back first (the notifications stages' rule).
"""

from __future__ import annotations

import secrets
from datetime import datetime

from common.errors import Conflict
from services.provisioning.logic.ports import UploadClaims
from services.provisioning.models.uploads import FINISHED, Upload

LEASE_SECONDS = 16 * 60
"""How long a claim lasts: past the uploads function's timeout (15 minutes, the Lambda
maximum), so a run still holding it is dead; within the queue's visibility timeout (six
times the function's), so SQS's redelivery of a killed run's message can take it over."""


class UploadBusy(Conflict):
    """Another run holds the upload's claim: this delivery is retried later."""


class ClaimLost(Conflict):
    """The run's claim expired and another run took the upload over: its write was refused."""


def new_owner() -> str:
    """A name for one processing run (each delivery is a run of its own)."""
    return f"run-{secrets.token_hex(8)}"


def claim_upload(upload_id: str, uploads: UploadClaims, now: datetime) -> Upload | None:
    """The upload as stored, claimed by a new run (`Upload.claimed_by`); None when there is
    nothing to do (no such upload, or it finished). Raises UploadBusy while another run's
    claim lasts."""
    claimed = uploads.claim(upload_id, new_owner(), now, LEASE_SECONDS)
    if claimed is not None:
        return claimed
    found = uploads.get(upload_id)
    if found is None or found.status in FINISHED:
        return None
    raise UploadBusy(f"upload {upload_id} is being processed by another run")
