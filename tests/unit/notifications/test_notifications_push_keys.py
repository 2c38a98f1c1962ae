"""A browser's key is where each push is encrypted to (RFC 8291): a key of the right length
that is no point of P-256 was registered (201), and then every push to its person failed
in the push stage ("Invalid EC key"), with the rest of the job after it."""

from __future__ import annotations

import base64

import pytest

from common.access import UserPrincipal
from common.errors import InvalidInput
from services.notifications.logic.push_subscriptions import register

from .fakes import World

pytestmark = pytest.mark.unit

ENDPOINT = "https://fcm.googleapis.com/fcm/send/abc"
AUTH = base64.urlsafe_b64encode(b"0123456789abcdef").rstrip(b"=").decode()


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def test_a_key_that_is_no_point_of_p256_is_refused_naming_the_field() -> None:
    world = World()
    off_the_curve = _b64(b"\x04" + b"\x01" * 64)
    alice = UserPrincipal(sub="alice", username="alice", claims={})
    with pytest.raises(InvalidInput) as refused:
        register(world.ports, alice, ENDPOINT, off_the_curve, AUTH, "", ())
    assert [p.path for p in refused.value.fields] == ["body.keys.p256dh"]
    assert world.store.push_subscriptions("alice") == []
