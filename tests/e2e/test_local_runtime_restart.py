"""End-to-end: the runtime moves off a block of ports another runtime holds, survives being
killed (kill -9) and stops cleanly on Ctrl-C."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import requests

from infra.local import control
from infra.local.control import start_runtime
from infra.local.ports import PortBlockLock, Ports, port_is_free
from services.topologies import TOPOLOGIES

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]


def all_ports_released(base: int, timeout: float = 20) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if all(port_is_free(p) for p in Ports(base, len(TOPOLOGIES)).all()):
            return True
        time.sleep(0.3)
    return False


def test_a_taken_block_is_left_then_restart_after_kill_9_then_ctrl_c_exits_cleanly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pick = control.free_base_port
    held = PortBlockLock(pick())  # as another runtime (a second worker, a bench) holds it
    held.acquire()
    picks = iter([held.base])
    monkeypatch.setattr(control, "free_base_port", lambda: next(picks, None) or pick())
    # No demo data: this is about processes and ports, not about the demo book.
    first = start_runtime(tmp_path / "state", demo=False)
    try:
        first_endpoints = first.wait_ready()
        held.release()
        base = first.base_port
        assert base != held.base
        refusal = f"port {held.base} on 127.0.0.1 is in use by another local runtime"
        assert refusal in first.output.read_text()
        first.process.kill()  # SIGKILL: no cleanup code runs in the runtime
        first.process.wait()

        second = start_runtime(tmp_path / "state", demo=False, base_port=base)
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
        held.release()
        first.interrupt()
