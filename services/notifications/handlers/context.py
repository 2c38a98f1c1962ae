"""What every notifications route takes (the ports, path parameters) and the mapping of
logic's results to response models (allow-lists, built field by field)."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

from aws_lambda_powertools.event_handler import Depends
from aws_lambda_powertools.event_handler.openapi.params import Path

from common.api_types import ID_PATTERN
from services.notifications import dependencies
from services.notifications.logic import links
from services.notifications.logic.ports import Ports
from services.notifications.logic.views import Shown
from services.notifications.models import api as m
from services.notifications.models.domain import PushSubscription

NotificationsPorts = Annotated[Ports, Depends(dependencies.ports)]
NotificationId = Annotated[
    str,
    Path(
        pattern=r"^[0-9]{8}T[0-9]{12}Z-[0-9a-f]{20}$",
        description="A notification's id.",
        examples=["20260302T091427512000Z-3f1c2e9a5b7d4e8f9a0b"],
    ),
]
AccountId = Annotated[str, Path(pattern=ID_PATTERN, description="The account's id.")]
SubscriptionId = Annotated[
    str, Path(pattern=r"^[0-9a-f]{32}$", description="A push subscription's id.")
]
Token = Annotated[
    str,
    Path(
        pattern=r"^[A-Za-z0-9_-]{10,500}\.[A-Za-z0-9_-]{20,100}$",
        description="The signed token of an unsubscribe link.",
    ),
]


def notification_view(shown: Shown) -> m.NotificationView:
    n = shown.notification
    target = links.target(n.kind, n.facts, n.account_id)
    return m.NotificationView(
        notification_id=n.notification_id,
        account_id=n.account_id,
        kind=n.kind,
        category=n.category,
        title=shown.said.title,
        summary=shown.said.summary,
        occurred_at=n.occurred_at,
        read=n.read,
        target=m.NotificationTarget(
            page=target.page, account_id=target.account_id, reference=target.reference
        ),
        link=target.path,
    )


def notification_detail(shown: Shown) -> m.NotificationDetail:
    n = shown.notification
    return m.NotificationDetail(
        **notification_view(shown).model_dump(),
        lines=[m.FactLine(label=label, value=value) for label, value in shown.said.lines],
        deliveries=[
            m.DeliveryView(
                channel=channel, status=d.status, reason=d.reason, at=d.at, due_at=d.due_at
            )
            for channel, d in sorted(n.deliveries.items())
        ],
    )


def subscription_view(subscription: PushSubscription) -> m.PushSubscriptionView:
    parts = urlsplit(subscription.endpoint)
    return m.PushSubscriptionView(
        subscription_id=subscription.subscription_id,
        push_service=f"{parts.scheme}://{parts.netloc}",
        label=subscription.label,
        created_at=subscription.created_at,
    )
