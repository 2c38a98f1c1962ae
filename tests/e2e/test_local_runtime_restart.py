"""End-to-end: the runtime survives being killed (kill -9) and stops cleanly on Ctrl-C."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import requests

from infra.local.aws import port_is_free
from infra.local.control import free_base_port, start_runtime
from infra.local.runtime import Ports
from services.topologies import TOPOLOGIES

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]


def all_ports_released(base: int, timeout: float = 20) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if all(port_is_free(p) for p in Ports(base, len(TOPOLOGIES)).all()):
            return True
        time.sleep(0.3)
    return False


def test_restart_after_kill_9_then_ctrl_c_exits_cleanly(tmp_path: Path) -> None:
    base = free_base_port(len(TOPOLOGIES))
    # No demo data: this is about processes and ports, not about the demo book.
    first = start_runtime(base, tmp_path / "state", demo=False)
    try:
        first_endpoints = first.wait_ready()
        first.process.kill()  # SIGKILL: no cleanup code runs in the runtime
        first.process.wait()

        second = start_runtime(base, tmp_path / "state", demo=False)
        try:
            endpoints = second.wait_ready()
            assert endpoints["pid"] != first_endpoints["pid"]
            assert endpoints["services"] == first_endpoints["services"]
            for base_url in endpoints["services"].values():
                assert requests.get(base_url + "/v1/version", timeout=10).status_code == 200
        finally:
            assert second.interrupt() == 0
        assert not second.endpoints_file.exists()
        assert all_ports_released(base)
    finally:
        first.interrupt()
