"""The socket check the loopback e2e test relies on tells loopback from every interface."""

from __future__ import annotations

import os
import socket

import pytest

from tests.support.sockets import is_loopback, listening

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("family", "host", "loopback"),
    [
        (socket.AF_INET, "127.0.0.1", True),
        (socket.AF_INET, "0.0.0.0", False),  # noqa: S104 - what the check must catch
        (socket.AF_INET6, "::1", True),
        (socket.AF_INET6, "::", False),
    ],
)
def test_a_listening_socket_is_seen_with_its_address(
    family: socket.AddressFamily, host: str, loopback: bool
) -> None:
    with socket.socket(family, socket.SOCK_STREAM) as server:
        server.bind((host, 0))
        server.listen(1)
        port = server.getsockname()[1]

        found = listening(os.getpid())

    assert port in found
    assert is_loopback(found[port]) is loopback
