"""My browsers for Web Push, and the key they subscribe with."""

from __future__ import annotations

from http import HTTPStatus

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router

from common.api import Caller
from common.openapi import errors
from services.notifications.handlers.context import (
    NotificationsPorts,
    SubscriptionId,
    subscription_view,
)
from services.notifications.logic import push_subscriptions as use
from services.notifications.models import api as m

router = Router()
TAGS = ["push"]


@router.get(
    "/v1/push/vapid-public-key",
    operation_id="getVapidPublicKey",
    summary="The applicationServerKey browsers subscribe with",
    tags=TAGS,
    responses=errors(),
)
def vapid_public_key(caller: Caller, ports: NotificationsPorts) -> m.VapidKey:
    return m.VapidKey(public_key=use.public_key(ports))


@router.get(
    "/v1/me/push-subscriptions",
    operation_id="listPushSubscriptions",
    summary="My browsers registered for push (at most 10, one page)",
    tags=TAGS,
    responses=errors(),
)
def list_subscriptions(caller: Caller, ports: NotificationsPorts) -> m.PushSubscriptionPage:
    found = use.mine(ports, caller)
    return m.PushSubscriptionPage(items=[subscription_view(s) for s in found], next_cursor=None)


@router.post(
    "/v1/me/push-subscriptions",
    operation_id="registerPushSubscription",
    summary="Register this browser's push subscription (a known push service's https URL)",
    tags=TAGS,
    status_code=HTTPStatus.CREATED,
    responses=errors(409, success=HTTPStatus.CREATED),
)
def register(
    body: m.PushSubscriptionBody, caller: Caller, ports: NotificationsPorts
) -> m.PushSubscriptionView:
    origins = tuple(ports.extra.get("push_origins", ()))
    created = use.register(
        ports, caller, body.endpoint, body.keys.p256dh, body.keys.auth, body.label, origins
    )
    return subscription_view(created)


@router.delete(
    "/v1/me/push-subscriptions/<subscription_id>",
    operation_id="removePushSubscription",
    summary="Remove one of my push subscriptions",
    tags=TAGS,
    responses=errors(404, success=HTTPStatus.NO_CONTENT),
)
def remove(
    subscription_id: SubscriptionId, caller: Caller, ports: NotificationsPorts
) -> Response[None]:
    use.remove(ports, caller, subscription_id)
    return Response(HTTPStatus.NO_CONTENT, None, None)
