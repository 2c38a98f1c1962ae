"""The caller's own inbox: list, unread count, one notification with its deliveries, read /
unread, archive, mark all read."""

from __future__ import annotations

from http import HTTPStatus
from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Query

from common.api import Caller
from common.openapi import errors
from services.notifications.handlers.context import (
    NotificationId,
    NotificationsPorts,
    notification_detail,
    notification_view,
)
from services.notifications.logic import inbox, views
from services.notifications.logic.ports import InboxFilter
from services.notifications.models import api as m

router = Router()
TAGS = ["inbox"]


def no_content() -> Response[None]:
    return Response(HTTPStatus.NO_CONTENT, None, None)


@router.get(
    "/v1/me/notifications",
    operation_id="listNotifications",
    summary="My notifications, newest first (filters: account, category, unread)",
    tags=TAGS,
    responses=errors(413),
)
def list_notifications(
    query: Annotated[m.InboxQuery, Query()], caller: Caller, ports: NotificationsPorts
) -> m.NotificationPage:
    where = InboxFilter(
        account_id=query.account_id,
        category=query.category.value if query.category else None,
        unread=query.unread,
    )
    shown = views.page(ports, caller, where, query.limit, query.cursor)
    return m.NotificationPage(
        items=[notification_view(s) for s in shown.items], next_cursor=shown.next_cursor
    )


@router.get(
    "/v1/me/notifications/unread-count",
    operation_id="countUnreadNotifications",
    summary="How many of my notifications are unread (for the bell)",
    tags=TAGS,
    responses=errors(),
)
def unread_count(caller: Caller, ports: NotificationsPorts) -> m.UnreadCount:
    counted = inbox.unread_count(ports, caller)
    return m.UnreadCount(unread=counted.unread, capped=counted.capped)


@router.post(
    "/v1/me/notifications/read-all",
    operation_id="markAllNotificationsRead",
    summary="Mark my unread notifications read (up to 500 per call; optionally one account)",
    tags=TAGS,
    responses=errors(),
)
def read_all(body: m.ReadAllRequest, caller: Caller, ports: NotificationsPorts) -> m.Marked:
    return m.Marked(marked=inbox.mark_all_read(ports, caller, body.account_id))


@router.get(
    "/v1/me/notifications/<notification_id>",
    operation_id="getNotification",
    summary="One of my notifications, with what became of it on each channel",
    tags=TAGS,
    responses=errors(404),
)
def get_notification(
    notification_id: NotificationId, caller: Caller, ports: NotificationsPorts
) -> m.NotificationDetail:
    return notification_detail(views.one(ports, caller, notification_id))


@router.post(
    "/v1/me/notifications/<notification_id>/read",
    operation_id="markNotificationRead",
    summary="Mark one of my notifications read",
    tags=TAGS,
    responses=errors(404, success=HTTPStatus.NO_CONTENT),
)
def mark_read(
    notification_id: NotificationId, caller: Caller, ports: NotificationsPorts
) -> Response[None]:
    inbox.mark(ports, caller, notification_id, read=True)
    return no_content()


@router.post(
    "/v1/me/notifications/<notification_id>/unread",
    operation_id="markNotificationUnread",
    summary="Mark one of my notifications unread",
    tags=TAGS,
    responses=errors(404, success=HTTPStatus.NO_CONTENT),
)
def mark_unread(
    notification_id: NotificationId, caller: Caller, ports: NotificationsPorts
) -> Response[None]:
    inbox.mark(ports, caller, notification_id, read=False)
    return no_content()


@router.post(
    "/v1/me/notifications/<notification_id>/archive",
    operation_id="archiveNotification",
    summary="Archive one of my notifications (it leaves the inbox)",
    tags=TAGS,
    responses=errors(404, success=HTTPStatus.NO_CONTENT),
)
def archive(
    notification_id: NotificationId, caller: Caller, ports: NotificationsPorts
) -> Response[None]:
    inbox.archive(ports, caller, notification_id)
    return no_content()
