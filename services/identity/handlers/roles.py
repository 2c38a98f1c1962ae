"""The built-in roles and the permissions each grants (the same for every account)."""

from __future__ import annotations

from aws_lambda_powertools.event_handler.api_gateway import Router

from common.openapi import errors
from services.identity.handlers.context import Acting
from services.identity.logic.roles import BUILT_IN_ROLES, ROLE_DESCRIPTIONS
from services.identity.models import api as m

router = Router()


@router.get(
    "/v1/roles",
    operation_id="listRoles",
    summary="The built-in roles and the permissions each grants",
    tags=["roles"],
    responses=errors(),
)
def list_roles(actor: Acting) -> m.RolePage:
    return m.RolePage(
        items=[
            m.RoleView(name=name, description=ROLE_DESCRIPTIONS[name], permissions=sorted(perms))
            for name, perms in BUILT_IN_ROLES.items()
        ],
        next_cursor=None,
    )
