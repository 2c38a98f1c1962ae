"""My notification choices, my email's state, and an account's defaults (its admins)."""

from __future__ import annotations

from http import HTTPStatus

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router

from common.api import Caller
from common.openapi import errors
from services.notifications.handlers.context import AccountId, NotificationsPorts
from services.notifications.logic import settings
from services.notifications.models import api as m
from services.notifications.models.domain import (
    ALWAYS_ON,
    AccountDefaults,
    Person,
    PersonPreferences,
    QuietHours,
)

router = Router()
TAGS = ["preferences"]


def preferences_view(person: Person, saved: PersonPreferences) -> m.PreferencesView:
    quiet = saved.quiet_hours
    suppression = person.suppression
    return m.PreferencesView(
        channels=saved.channels,
        email_mode=saved.email_mode,
        digest_hour=saved.digest_hour,
        quiet_hours=m.QuietHoursBody(start=quiet.start, end=quiet.end) if quiet else None,
        muted_accounts=list(saved.muted_accounts),
        version=saved.version,
        email=m.EmailStatus(
            address=person.contact.email,
            suppressed=(
                m.SuppressionView(
                    reason=suppression.reason, at=suppression.at, detail=suppression.detail
                )
                if suppression
                else None
            ),
        ),
        push_subscriptions=person.push_subscriptions,
        locked_categories=sorted(ALWAYS_ON),
    )


@router.get(
    "/v1/me/notification-preferences",
    operation_id="getNotificationPreferences",
    summary="My notification choices, my email's state and my push subscriptions' count",
    tags=TAGS,
    responses=errors(),
)
def get_preferences(caller: Caller, ports: NotificationsPorts) -> m.PreferencesView:
    person = settings.person(ports, caller.sub)
    return preferences_view(person, person.preferences)


@router.put(
    "/v1/me/notification-preferences",
    operation_id="putNotificationPreferences",
    summary="Replace my notification choices (security notices stay on)",
    tags=TAGS,
    responses=errors(409, 503),
)
def put_preferences(
    body: m.PreferencesBody, caller: Caller, ports: NotificationsPorts
) -> m.PreferencesView:
    wanted = PersonPreferences(
        channels=body.channels,
        email_mode=body.email_mode,
        digest_hour=body.digest_hour,
        quiet_hours=(
            QuietHours(start=body.quiet_hours.start, end=body.quiet_hours.end)
            if body.quiet_hours
            else None
        ),
        muted_accounts=body.muted_accounts,
        version=body.version,
    )
    saved = settings.save_preferences(ports, caller, wanted)
    return preferences_view(settings.person(ports, caller.sub), saved)


@router.delete(
    "/v1/me/email-suppression",
    operation_id="liftEmailSuppression",
    summary="Send me email again after a bounce or complaint stopped it",
    tags=TAGS,
    responses=errors(success=HTTPStatus.NO_CONTENT),
)
def lift_suppression(caller: Caller, ports: NotificationsPorts) -> Response[None]:
    settings.clear_suppression(ports, caller)
    return Response(HTTPStatus.NO_CONTENT, None, None)


def defaults_view(defaults: AccountDefaults) -> m.AccountDefaultsView:
    return m.AccountDefaultsView(
        account_id=defaults.account_id, channels=defaults.channels, version=defaults.version
    )


@router.get(
    "/v1/accounts/<account_id>/notification-defaults",
    operation_id="getNotificationDefaults",
    summary="The account's default channels per category (members override them)",
    tags=TAGS,
    responses=errors(403, 404),
)
def get_defaults(
    account_id: AccountId, caller: Caller, ports: NotificationsPorts
) -> m.AccountDefaultsView:
    return defaults_view(settings.account_defaults(ports, caller, account_id))


@router.put(
    "/v1/accounts/<account_id>/notification-defaults",
    operation_id="putNotificationDefaults",
    summary="Replace the account's default channels (notifications:manage)",
    tags=TAGS,
    responses=errors(403, 404, 409),
)
def put_defaults(
    account_id: AccountId, body: m.AccountDefaultsBody, caller: Caller, ports: NotificationsPorts
) -> m.AccountDefaultsView:
    wanted = AccountDefaults(account_id=account_id, channels=body.channels, version=body.version)
    return defaults_view(settings.save_account_defaults(ports, caller, account_id, wanted))
