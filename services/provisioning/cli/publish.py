"""`scts-publish`: upload a CSV or JSON Lines file to the portal's ingest API.

    SCTS_PUBLISHER_KEY=scts_pub_... scts-publish trades.csv --kind trades \\
        --url https://<api-id>.execute-api.<region>.amazonaws.com/<stage> [--dry-run]

`--url` (or SCTS_INGEST_URL) is the base URL of provisioning's ingest API, the REST API
serving the publisher routes (locally: `ingest_apis.provisioning` in .local/endpoints.json),
not the portal's HTTP API.

Uploads with a progress bar, waits while the portal validates and applies the rows,
then prints the counts and every rejected row (row, reference, field, reason). Exit code
0 when every row was accepted or a duplicate, 2 when rows were rejected, 1 on failure.
The key is read from the environment (or --key-file), never from the command line.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import sys
import time
from pathlib import Path
from typing import Any, BinaryIO

import requests
from tqdm import tqdm

from common.csv_export import SafeCsvWriter

KINDS = ("counterparties", "trades", "deliveries", "retirements", "invoices", "documents")
CONTENT_TYPES = {"csv": "text/csv", "jsonl": "application/x-ndjson"}
FINISHED = ("completed", "failed")


class ProgressReader(io.RawIOBase):
    """A file whose reads advance a progress bar (requests streams it as the PUT body)."""

    def __init__(self, source: BinaryIO, bar: tqdm[Any]) -> None:
        self._source = source
        self._bar = bar
        self._position = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        chunk = self._source.read(size)
        self._bar.update(len(chunk))
        self._position += len(chunk)
        return chunk

    def tell(self) -> int:
        """requests sizes the body as len - tell: a known length, never a chunked PUT."""
        return self._position

    def __len__(self) -> int:
        return int(self._bar.total or 0)


class PublishError(Exception):
    pass


class Client:
    def __init__(self, base_url: str, key: str, timeout: float = 30) -> None:
        self.base_url = base_url.rstrip("/")
        self.session = requests.Session()
        self.session.headers["x-api-key"] = key
        self.timeout = timeout

    def call(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", self.timeout)
        response = self.session.request(method, self.base_url + path, **kwargs)
        if response.status_code >= 400:
            raise PublishError(f"{method} {path}: {response.status_code} {response.text}")
        return response


def file_format(path: Path, given: str | None) -> str:
    if given:
        return given
    if path.suffix.lower() == ".csv":
        return "csv"
    if path.suffix.lower() in (".jsonl", ".ndjson"):
        return "jsonl"
    raise PublishError(f"{path.name}: say --format csv or --format jsonl")


def upload(client: Client, path: Path, kind: str, fmt: str, dry_run: bool) -> str:
    size = path.stat().st_size
    ticket = client.call(
        "POST",
        "/v1/uploads",
        json={"kind": kind, "format": fmt, "size_bytes": size, "dry_run": dry_run},
    ).json()
    with (
        path.open("rb") as source,
        tqdm(total=size, unit="B", unit_scale=True, desc=f"upload {path.name}") as bar,
    ):
        put = requests.put(
            ticket["upload_url"],
            data=ProgressReader(source, bar),
            headers=ticket["headers"],
            timeout=600,
        )
    if put.status_code >= 300:
        raise PublishError(f"upload refused: {put.status_code} {put.text[:300]}")
    client.call("POST", f"/v1/uploads/{ticket['upload_id']}/complete")
    return str(ticket["upload_id"])


def wait(
    client: Client, upload_id: str, poll_seconds: float, timeout_seconds: float
) -> dict[str, Any]:
    deadline = time.monotonic() + timeout_seconds
    with tqdm(unit=" rows", desc="validate and apply") as bar:
        while True:
            status: dict[str, Any] = client.call("GET", f"/v1/uploads/{upload_id}").json()
            bar.update(sum(status["counts"].values()) - bar.n)
            if status["status"] in FINISHED:
                return status
            if time.monotonic() > deadline:
                raise PublishError(f"upload {upload_id} still {status['status']}; check later")
            time.sleep(poll_seconds)


def rejected_rows(client: Client, upload_id: str) -> list[list[str]]:
    response = client.call("GET", f"/v1/uploads/{upload_id}/rejections", allow_redirects=False)
    location = response.headers.get("Location")
    text = requests.get(location, timeout=60).text if location else response.text
    return list(csv.reader(io.StringIO(text)))


def read_key(key_file: Path | None) -> str:
    key = key_file.read_text().strip() if key_file else os.environ.get("SCTS_PUBLISHER_KEY", "")
    if not key:
        raise PublishError("set SCTS_PUBLISHER_KEY or pass --key-file")
    return key


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="scts-publish", description=__doc__.split("\n")[0])
    parser.add_argument("file", type=Path)
    parser.add_argument("--kind", required=True, choices=KINDS)
    parser.add_argument(
        "--url",
        default=os.environ.get("SCTS_INGEST_URL"),
        required=False,
        help="base URL of the ingest API (publisher routes); default: $SCTS_INGEST_URL",
    )
    parser.add_argument("--format", choices=sorted(CONTENT_TYPES), default=None)
    parser.add_argument("--dry-run", action="store_true", help="validate only, apply nothing")
    parser.add_argument("--key-file", type=Path, default=None)
    parser.add_argument("--poll-seconds", type=float, default=1.0)
    parser.add_argument("--timeout-seconds", type=float, default=3600)
    args = parser.parse_args(argv)
    try:
        if not args.url:
            raise PublishError("give --url (the ingest API's base URL) or set SCTS_INGEST_URL")
        client = Client(args.url, read_key(args.key_file))
        fmt = file_format(args.file, args.format)
        upload_id = upload(client, args.file, args.kind, fmt, args.dry_run)
        status = wait(client, upload_id, args.poll_seconds, args.timeout_seconds)
    except (PublishError, OSError, requests.RequestException) as exc:
        print(f"scts-publish: {exc}", file=sys.stderr)
        return 1
    counts = status["counts"]
    print(
        f"upload {upload_id}: {status['status']}"
        f"{' (dry run)' if status['dry_run'] else ''} - accepted {counts['accepted']}, "
        f"duplicate {counts['duplicate']}, rejected {counts['rejected']}"
    )
    if status["status"] == "failed":
        print(f"failed: {status.get('error')}", file=sys.stderr)
        return 1
    if counts["rejected"]:
        writer = SafeCsvWriter(sys.stdout)
        for row in rejected_rows(client, upload_id):
            writer.writerow(row)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
