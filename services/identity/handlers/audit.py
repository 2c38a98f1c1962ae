"""An account's audit log (who may read its users): pages newest first, and verification."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Query

from common.api_types import PageQuery
from common.openapi import errors
from services.identity.handlers.context import AccountId, Acting, IdentityPorts, page_request
from services.identity.logic import audit_log
from services.identity.logic.audit import Verification
from services.identity.models import api as m

router = Router()
TAGS = ["audit"]


@router.get(
    "/v1/accounts/<account_id>/audit",
    operation_id="listAuditEntries",
    summary="The account's audit log, newest first",
    tags=TAGS,
    responses=errors(403, 404),
)
def list_audit_entries(
    account_id: AccountId,
    query: Annotated[PageQuery, Query()],
    actor: Acting,
    ports: IdentityPorts,
) -> m.AuditPage:
    view = audit_log.audit_page_view(ports, actor, account_id, page_request(query))
    page = view.page
    return m.AuditPage(
        items=[
            m.AuditEntryView(
                seq=e.seq,
                entry_id=e.entry_id,
                actor=e.actor,
                actor_name=view.person(e.actor),
                action=e.action,
                target=e.target,
                target_name=view.target(e.target),
                account_id=e.account_id,
                at=e.at,
                request_hash=e.request_hash,
                outcome=e.outcome,
                prev_hash=e.prev_hash,
                hash=e.hash,
            )
            for e in page.items
        ],
        next_cursor=page.next_cursor,
    )


@router.get(
    "/v1/accounts/<account_id>/audit/verify",
    operation_id="verifyAuditChain",
    summary="Recompute the audit chain; name the first broken entry",
    tags=TAGS,
    responses=errors(403, 404),
)
def verify_audit_chain(
    account_id: AccountId, actor: Acting, ports: IdentityPorts
) -> m.VerifyResponse:
    return _verified(audit_log.verify_audit(ports, actor, account_id))


@router.get(
    "/v1/audit/verify",
    operation_id="verifyPlatformAuditChain",
    summary="Recompute the platform's audit chain (SCTS administrators)",
    description=(
        "The chain of what belongs to no account: CAM creation, publishers and their keys, "
        "sign-in security (MFA enrolment, password resets) and refusals of outsiders."
    ),
    tags=TAGS,
    responses=errors(403),
)
def verify_platform_audit_chain(actor: Acting, ports: IdentityPorts) -> m.VerifyResponse:
    return _verified(audit_log.verify_platform_audit(ports, actor))


def _verified(result: Verification) -> m.VerifyResponse:
    broken = result.broken
    return m.VerifyResponse(
        ok=result.ok,
        checked=result.checked,
        head_seq=result.head_seq,
        broken=(
            m.BrokenLinkView(seq=broken.seq, entry_id=broken.entry_id, reason=broken.reason)
            if broken
            else None
        ),
    )


@router.get(
    "/v1/audit",
    operation_id="listStaffAudit",
    summary="Staff actions on accounts, CAMs and publishers, newest first (SCTS administrators)",
    description=(
        "Account creation, suspension and reactivation, CAM creation, assignment and "
        "unassignment, and their refusals, from every audit chain; each entry names its "
        "chain and position, verifiable with the chain's own verify route (an account's, or "
        "`/v1/audit/verify` for the platform chain). Publisher "
        "registration, key rotation and key revocation (done in provisioning, recorded from "
        "its events in the platform chain) target `publisher:<id>` or "
        "`publisher:<id>:key:<prefix>`, with the publisher's name as `target_name`."
    ),
    tags=TAGS,
    responses=errors(403),
)
def list_staff_audit(
    query: Annotated[PageQuery, Query()], actor: Acting, ports: IdentityPorts
) -> m.StaffAuditPage:
    view = audit_log.staff_audit_view(ports, actor, page_request(query))
    return m.StaffAuditPage(
        items=[
            m.StaffAuditEntryView(
                chain=e.chain,
                seq=e.seq,
                entry_id=e.entry_id,
                actor=e.actor,
                actor_email=view.person(e.actor),
                action=e.action,
                target=e.target,
                target_name=view.target(e.target),
                account_id=e.account_id,
                at=e.at,
                outcome=e.outcome,
            )
            for e in view.page.items
        ],
        next_cursor=view.page.next_cursor,
    )
