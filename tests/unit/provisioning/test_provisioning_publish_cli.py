"""`scts-publish` against a scripted ingest API on loopback: retries (Retry-After, backoff),
resuming, the rejection report, exact progress, wrong URLs, exit codes and --help.

The fake answers like provisioning's ingest API (routes, bodies, the 303 to the rejections
CSV); a script of failures is answered first. Waits are recorded, never slept."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from services.provisioning.cli import publish, transport
from services.provisioning.cli.resume import count_rows

pytestmark = pytest.mark.unit

REJECTIONS = "row,reference,field,reason\r\n3,STX-T-2,currency,EUX is not a currency\r\n"


@dataclass
class Upload:
    rows: int
    body: bytes = b""
    status: str = "awaiting_file"
    polls: int = 0


@dataclass
class FakeIngest:
    """The ingest API's upload routes; `failures` are (method, path regex, status, headers)
    answered, in order, before the route itself; `stuck` keeps uploads processing."""

    rows: int = 3
    rejected: int = 0
    stuck: bool = False
    failures: list[tuple[str, str, int, dict[str, str]]] = field(default_factory=list)
    calls: list[tuple[str, str]] = field(default_factory=list)
    uploads: dict[str, Upload] = field(default_factory=dict)
    base_url: str = ""

    def answer(self, method: str, path: str, body: bytes) -> tuple[int, dict[str, str], Any]:
        self.calls.append((method, path))
        for failure in self.failures:
            if failure[0] == method and re.fullmatch(failure[1], path):
                self.failures.remove(failure)
                return failure[2], failure[3], {"error": "x", "message": "try later"}
        if (method, path) == ("POST", "/v1/uploads"):
            upload_id = f"upl-{len(self.uploads):020d}"
            self.uploads[upload_id] = Upload(self.rows)
            return (
                201,
                {},
                {
                    "upload_id": upload_id,
                    "upload_url": f"{self.base_url}/bucket/{upload_id}?signature=x",
                    "method": "PUT",
                    "headers": {"Content-Type": "text/csv"},
                    "expires_in": 900,
                },
            )
        found = re.fullmatch(r"/bucket/(upl-\d+)", path) or re.fullmatch(
            r"/v1/uploads/(upl-\d+)(/complete|/rejections)?", path
        )
        upload = self.uploads.get(found.group(1)) if found else None
        if found is None or upload is None:
            return 404, {}, {"error": "not_found", "message": "No such upload."}
        if method == "PUT":
            upload.body = body
            return 200, {}, None
        if path.endswith("/complete"):
            if not upload.body:
                return 409, {}, {"error": "no_file", "message": "Nothing was uploaded."}
            upload.status = "queued"
            return 202, {}, self.view(found.group(1), upload)
        if path.endswith("/rejections"):
            return 303, {"Location": f"{self.base_url}/files/{found.group(1)}.csv"}, None
        upload.polls += 1
        if upload.status != "awaiting_file" and not self.stuck and upload.polls > 1:
            upload.status = "completed"
        return 200, {}, self.view(found.group(1), upload)

    def view(self, upload_id: str, upload: Upload) -> dict[str, Any]:
        done = upload.rows if upload.status == "completed" else 0
        return {
            "upload_id": upload_id,
            "status": upload.status,
            "dry_run": False,
            "rows_done": done,
            "counts": {
                "accepted": done - self.rejected if done else 0,
                "duplicate": 0,
                "rejected": self.rejected if done else 0,
            },
            "error": None,
        }


class Handler(BaseHTTPRequestHandler):
    server: Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _dispatch(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        path = self.path.split("?")[0]
        if path.startswith("/files/"):
            status, headers, payload = 200, {"Content-Type": "text/csv"}, REJECTIONS.encode()
        else:
            status, headers, answer = self.server.fake.answer(self.command, path, body)
            payload = json.dumps(answer).encode() if answer is not None else b""
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_PUT = _dispatch


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, fake: FakeIngest) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.fake = fake
        fake.base_url = f"http://127.0.0.1:{self.server_address[1]}"


class Waits:
    def __init__(self) -> None:
        self.seconds: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.seconds.append(seconds)


@pytest.fixture
def waits(monkeypatch: pytest.MonkeyPatch) -> Waits:
    recorded = Waits()
    monkeypatch.setattr(transport, "pause", recorded.sleep)
    return recorded


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, waits: Waits) -> Iterator[FakeIngest]:
    ingest = FakeIngest()
    server = Server(ingest)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("SCTS_PUBLISHER_KEY", "scts_pub_test")
    monkeypatch.setenv("SCTS_PUBLISH_STATE_DIR", str(tmp_path / "state"))
    yield ingest
    server.shutdown()
    server.server_close()


@pytest.fixture
def trades_file(tmp_path: Path) -> Path:
    path = tmp_path / "trades.csv"
    path.write_text('reference,version\nSTX-T-1,1\n\nSTX-T-2,1\n"STX-T-\n3",1\n')
    return path


def run(fake: FakeIngest, path: Path, *extra: str) -> int:
    return publish.main(
        [str(path), "--kind", "trades", "--url", fake.base_url, "--poll-seconds", "0", *extra]
    )


def test_429_and_5xx_are_retried_honouring_retry_after_while_uploading_and_polling(
    fake: FakeIngest, waits: Waits, trades_file: Path
) -> None:
    fake.failures = [
        ("POST", "/v1/uploads", 429, {"Retry-After": "7"}),
        ("PUT", "/bucket/.*", 503, {}),
        ("PUT", "/bucket/.*", 500, {"Retry-After": "2"}),
        ("POST", "/v1/uploads/.*/complete", 502, {}),
        ("GET", "/v1/uploads/[^/]*", 504, {"Retry-After": "3"}),
    ]
    assert run(fake, trades_file) == 0
    assert fake.failures == []
    (upload,) = fake.uploads.values()
    assert upload.body == trades_file.read_bytes()  # the retried PUT sent the whole file
    assert 7 in waits.seconds
    assert 2 in waits.seconds
    assert 3 in waits.seconds


def test_backoff_doubles_with_jitter_and_gives_up_after_the_attempts(
    fake: FakeIngest, waits: Waits, trades_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fake.failures = [("POST", "/v1/uploads", 503, {}) for _ in range(10)]
    assert run(fake, trades_file, "--attempts", "5") == 1
    assert fake.calls.count(("POST", "/v1/uploads")) == 5
    assert len(waits.seconds) == 4
    for tried, wait in enumerate(waits.seconds[1:], start=2):
        low = transport.BACKOFF_FACTOR * 2 ** (tried - 1)
        assert low <= wait <= low + transport.BACKOFF_JITTER
    err = capsys.readouterr().err
    assert "HTTP 503; trying again in" in err
    assert "POST /v1/uploads: 503 try later" in err


def test_an_interrupted_run_resumes_its_upload_without_sending_the_file_again(
    fake: FakeIngest, trades_file: Path, tmp_path: Path
) -> None:
    fake.stuck = True
    assert run(fake, trades_file, "--timeout-seconds", "0") == publish.PENDING
    assert len(list((tmp_path / "state").glob("*.json"))) == 1
    fake.stuck = False
    fake.calls.clear()
    assert run(fake, trades_file) == 0
    assert ("POST", "/v1/uploads") not in fake.calls
    assert not any(method == "PUT" for method, _ in fake.calls)
    assert len(fake.uploads) == 1
    assert list((tmp_path / "state").glob("*.json")) == []  # reported: forgotten


def test_a_remembered_upload_whose_file_never_arrived_is_uploaded_anew(
    fake: FakeIngest, trades_file: Path
) -> None:
    fake.failures = [("PUT", "/bucket/.*", 400, {})]
    assert run(fake, trades_file) == 1
    assert run(fake, trades_file) == 0
    first, second = fake.uploads.values()
    assert (first.status, second.status) == ("awaiting_file", "completed")


def test_restart_ignores_the_remembered_upload(fake: FakeIngest, trades_file: Path) -> None:
    fake.stuck = True
    assert run(fake, trades_file, "--timeout-seconds", "0") == publish.PENDING
    fake.stuck = False
    assert run(fake, trades_file, "--restart") == 0
    assert len(fake.uploads) == 2


def test_report_writes_every_rejected_row_as_csv(
    fake: FakeIngest, trades_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fake.rejected = 1
    report = tmp_path / "rejected.csv"
    assert run(fake, trades_file, "--report", str(report)) == 2
    assert report.read_bytes() == REJECTIONS.encode()
    out = capsys.readouterr().out
    assert "3 rows: accepted 2, duplicate 0, rejected 1" in out
    assert f"rejected rows: {report}" in out


def test_report_without_rejections_is_a_header(fake: FakeIngest, trades_file: Path) -> None:
    report = trades_file.with_name("rejected.csv")
    assert run(fake, trades_file, "--report", str(report)) == 0
    assert report.read_text().splitlines() == ["row,reference,field,reason"]


def test_progress_counts_data_rows_as_the_portal_does(tmp_path: Path) -> None:
    csv_file = tmp_path / "t.csv"
    csv_file.write_text("\ufeffa,b\n" + "".join(f"{n},x\n" for n in range(1000)) + "\n")
    jsonl = tmp_path / "t.jsonl"
    jsonl.write_text('{"a": 1}\n\n  \n{"a": 2}\n{broken\n')
    assert count_rows(csv_file, "csv") == 1000
    assert count_rows(jsonl, "jsonl") == 3


def test_the_http_api_as_url_is_named(
    fake: FakeIngest, trades_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fake.failures = [("POST", "/v1/uploads", 404, {"apigw-requestid": "abc"})]
    assert run(fake, trades_file) == 3
    err = capsys.readouterr().err
    assert "is the portal's HTTP API, which has no publisher routes" in err
    assert "ingest_apis.provisioning" in err


def test_a_url_where_nothing_answers_is_named(
    trades_file: Path,
    monkeypatch: pytest.MonkeyPatch,
    waits: Waits,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("SCTS_PUBLISHER_KEY", "scts_pub_test")
    code = publish.main([str(trades_file), "--kind", "trades", "--url", "http://127.0.0.1:9"])
    assert code == 3
    assert "nothing answers at http://127.0.0.1:9" in capsys.readouterr().err


def test_a_refused_key_exits_4(
    fake: FakeIngest, trades_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fake.failures = [("POST", "/v1/uploads", 401, {})]
    assert run(fake, trades_file) == 4
    assert "refused the publisher key" in capsys.readouterr().err


def test_help_shows_an_example_retries_resuming_and_exit_codes(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as shown:
        publish.main(["--help"])
    assert shown.value.code == 0
    text = capsys.readouterr().out
    assert "scts-publish trades.csv --kind trades --report rejected.csv" in text
    for section in ("examples:", "retries:", "resuming:", "exit codes:"):
        assert section in text
    for code in (0, 1, 2, 3, 4, 5, 64, 130):
        assert re.search(rf"^  {code} ", text, re.MULTILINE), code


def test_wrong_usage_exits_64_not_2_which_means_rejected_rows(trades_file: Path) -> None:
    with pytest.raises(SystemExit) as refused:
        publish.main([str(trades_file), "--kind", "nonsense"])
    assert refused.value.code == publish.USAGE
