"""Push endpoints are where the push stage POSTs: only an https URL whose host is exactly a
known push service's, as the HTTP client that sends will read it. Python's `urlsplit` and
urllib3 (what requests sends with) split some URLs differently: a backslash ends the host
for urllib3 but not for `urlsplit`, so `https://10.0.0.1\\.push.apple.com/` passed the
allow-list (`*.push.apple.com`) while the sender called 10.0.0.1 (SSRF)."""

from __future__ import annotations

import pytest
from urllib3.util import parse_url

from services.notifications.logic.push_subscriptions import PUBLIC_PUSH_SERVICES, endpoint_allowed

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    "endpoint",
    [
        "https://169.254.169.254\\.push.apple.com/x",
        "https://10.0.0.1\\x.notify.windows.com/wpn",
        "https://internal.corp\\@fcm.googleapis.com/fcm/send/a",
        "https://localhost\\.push.apple.com:443/x",
        "https://10.0.0.1\t.push.apple.com/x",
        "https://fcm.googleapis.com\n/fcm/send/a",
        "https://fcm.googleapis.com%2F@10.0.0.1/x",
        "https://fcm.googleapis.com./fcm/send/a",
        "https://x.push.apple.com\u3002evil/x",
    ],
    ids=[
        "backslash-wildcard-apple",
        "backslash-wildcard-windows",
        "backslash-userinfo",
        "backslash-with-port",
        "tab-in-host",
        "newline-in-host",
        "encoded-userinfo",
        "trailing-dot",
        "unicode-dot",
    ],
)
def test_an_endpoint_the_sender_would_read_elsewhere_is_refused(endpoint: str) -> None:
    assert not endpoint_allowed(endpoint, ())


def test_every_allowed_endpoint_is_sent_to_the_host_that_was_checked() -> None:
    for endpoint in [
        "https://fcm.googleapis.com/fcm/send/abc:DEF-ghi_123",
        "https://updates.push.services.mozilla.com/wpush/v2/gAAAA",
        "https://web.push.apple.com/QGz2",
        "https://db5p.notify.windows.com/w/?token=AwYAAAB",
        "https://api.push.apple.com:443/3/device/abc",
    ]:
        assert endpoint_allowed(endpoint, ()), endpoint
        host = (parse_url(endpoint).host or "").lower()
        assert any(
            host == allowed or (allowed.startswith("*.") and host.endswith(allowed[1:]))
            for allowed in PUBLIC_PUSH_SERVICES
        ), endpoint
