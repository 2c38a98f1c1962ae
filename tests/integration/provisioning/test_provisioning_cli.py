"""`scts-publish` end to end against the handlers (HTTP calls routed in-process)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import requests
from requests.adapters import BaseAdapter

from infra.local.demo import records as testdata
from services.provisioning.cli import publish
from services.provisioning.topology import TOPOLOGY

from .conftest import Cloud
from .test_provisioning_uploads import trades_csv

pytestmark = pytest.mark.integration

PORTAL = "http://portal.test"


def _template(path: str) -> str:
    for route in TOPOLOGY.routes:
        pattern = "^" + re.sub(r"\{[a-z_]+\}", "[^/]+", route.path) + "$"
        if re.match(pattern, path):
            return route.path
    raise AssertionError(f"no route for {path}")


class InProcessPortal(BaseAdapter):
    """HTTP to the provisioning API, answered by its Lambda handler (as the gateway would)."""

    def __init__(self, cloud: Cloud) -> None:
        super().__init__()
        self.cloud = cloud

    def send(self, request: requests.PreparedRequest, **_: Any) -> requests.Response:  # type: ignore[override]
        path = (request.path_url or "/").split("?")[0]
        method = str(request.method)
        headers: dict[str, str] = {k.lower(): v for k, v in request.headers.items()}
        body = request.body.decode() if isinstance(request.body, bytes) else request.body
        reply = self.cloud.call(
            method,
            _template(path),
            raw_body=body,
            content_type=headers.pop("content-type", "application/json"),
            headers=headers,
            **_params(_template(path), path),  # type: ignore[arg-type]
        )
        if path.endswith("/complete"):
            self.cloud.deliver_uploads()  # the uploads subscription reacts to the event
        response = requests.Response()
        response.status_code = reply.status
        response.headers.update(reply.headers)
        response._content = (
            reply.body.encode() if isinstance(reply.body, str) else json.dumps(reply.body).encode()
        )
        response.url = str(request.url)
        response.request = request
        return response

    def close(self) -> None:
        pass


def _params(template: str, path: str) -> dict[str, str]:
    names = re.findall(r"\{([a-z_]+)\}", template)
    pattern = "^" + re.sub(r"\{[a-z_]+\}", "([^/]+)", template) + "$"
    match = re.match(pattern, path)
    assert match
    return dict(zip(names, match.groups(), strict=True))


def serve_in_process(cloud: Cloud, url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every new requests.Session sends what it calls under `url` to the handlers."""
    real_session = requests.Session

    def session() -> requests.Session:
        made = real_session()
        made.mount(url, InProcessPortal(cloud))
        return made

    monkeypatch.setattr(requests, "Session", session)


@pytest.fixture
def portal(cloud: Cloud, key: str, monkeypatch: pytest.MonkeyPatch) -> str:
    serve_in_process(cloud, PORTAL, monkeypatch)
    monkeypatch.setenv("SCTS_PUBLISHER_KEY", key)
    return key


def test_publish_prints_counts_and_rejected_rows(
    portal: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = testdata.trade("STX-T-BAD")
    bad["total"] = "1.00"
    path = tmp_path / "trades.csv"
    path.write_bytes(trades_csv([testdata.trade("STX-T-1"), bad, testdata.trade("STX-T-2")]))
    code = publish.main([str(path), "--kind", "trades", "--url", PORTAL, "--poll-seconds", "0"])
    out = capsys.readouterr().out
    assert code == 2
    assert "accepted 2, duplicate 0, rejected 1" in out
    assert "3,STX-T-BAD,total,1.00 does not match volume_mwh x unit_price = 2938.68" in out


def test_publish_all_good_exits_0_and_again_reports_duplicates(
    portal: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "trades.csv"
    path.write_bytes(trades_csv([testdata.trade("STX-T-1")]))
    args = [str(path), "--kind", "trades", "--url", PORTAL, "--poll-seconds", "0"]
    assert publish.main(args) == 0
    assert publish.main(args) == 0
    assert "accepted 0, duplicate 1, rejected 0" in capsys.readouterr().out


def test_publish_without_a_key_fails_cleanly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("SCTS_PUBLISHER_KEY", raising=False)
    path = tmp_path / "trades.csv"
    path.write_text("reference\n")
    assert publish.main([str(path), "--kind", "trades", "--url", PORTAL]) == 1
    assert "SCTS_PUBLISHER_KEY" in capsys.readouterr().err
