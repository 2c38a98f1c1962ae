"""scts-publish: upload a CSV or JSON Lines file of records to the portal's ingest API.

Uploads the file to a presigned URL, waits while the portal validates and applies every
row (a progress bar counts the file's data rows), then prints the counts and the rejected
rows (row, reference, field, reason), or writes them to --report as CSV.

examples:
  export SCTS_PUBLISHER_KEY=scts_pub_...       # the publisher's API key (never an option)
  export SCTS_INGEST_URL=https://<api-id>.execute-api.eu-west-1.amazonaws.com/prod
  scts-publish trades.csv --kind trades --dry-run          # judge every row, apply nothing
  scts-publish trades.csv --kind trades --report rejected.csv
  scts-publish deliveries.jsonl --kind deliveries
  # locally (make run): --url is `ingest_apis.provisioning` in .local/endpoints.json
  IN=$(jq -r .ingest_apis.provisioning .local/endpoints.json)
  scts-publish trades.csv --kind trades --url "$IN"

retries:
  every call, the file's PUT included, is tried again on 429, 500, 502, 503 and 504 and when
  the connection fails: after the server's Retry-After when it sends one (at most 300 s),
  else at once, then after 1, 2, 4... s (at most 30 s) plus up to 1 s of random jitter;
  --attempts tries in all (default 8; 3 when nothing answers at all).

resuming:
  the upload id is kept in a state file (--state-dir, default $SCTS_PUBLISH_STATE_DIR or
  ~/.cache/scts-publish) until the result is reported. If a run stops (Ctrl-C, network,
  --timeout-seconds), running the same command on the same file goes on where it stopped:
  a file the portal had received is not sent again, only followed to its end; a file it
  never received is uploaded again. --restart ignores the state file.

exit codes:
  0  every row accepted or a duplicate (with --dry-run: would be)
  1  the upload failed (the portal could not process the file), or the portal kept
     answering an error
  2  some rows were rejected: they are printed, or written to --report
  3  the ingest API cannot be reached at --url, or --url is not the ingest API
  4  no publisher key, or the portal refused it (unknown, revoked, expired)
  5  still processing when --timeout-seconds ran out: run the same command again to follow
  64 wrong command-line usage
  130 interrupted (Ctrl-C): run the same command again to resume
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any, NoReturn, TextIO

from tqdm import tqdm

from common.csv_export import SafeCsvWriter
from services.provisioning.cli.resume import Publication, StateFile, default_state_dir
from services.provisioning.cli.transport import (
    DEFAULT_ATTEMPTS,
    Client,
    Conflict,
    KeyRefused,
    NotFound,
    PublishError,
)

KINDS = ("counterparties", "trades", "deliveries", "retirements", "invoices", "documents")
FORMATS = ("csv", "jsonl")
FINISHED = ("completed", "failed")
OK, FAILED, REJECTED, PENDING, USAGE, INTERRUPTED = 0, 1, 2, 5, 64, 130

__all__ = ["Client", "PublishError", "main", "upload", "wait"]


class StillProcessing(PublishError):
    exit_code = PENDING


class UsageError(PublishError):
    exit_code = USAGE


def file_format(path: Path, given: str | None) -> str:
    if given:
        return given
    if path.suffix.lower() == ".csv":
        return "csv"
    if path.suffix.lower() in (".jsonl", ".ndjson"):
        return "jsonl"
    raise UsageError(f"{path.name}: say --format csv or --format jsonl")


def create_upload(client: Client, publication: Publication) -> dict[str, Any]:
    """A new upload and its presigned URL (a 404 here means --url is not the ingest API:
    every ingest API has this route)."""
    try:
        return client.json(
            "POST",
            "/v1/uploads",
            json={
                "kind": publication.kind,
                "format": publication.upload_format,
                "size_bytes": publication.size,
                "dry_run": publication.dry_run,
            },
        )
    except NotFound as missing:
        raise client.not_the_ingest_api(missing) from missing


def send(client: Client, publication: Publication, state: StateFile | None = None) -> str:
    """Create the upload, remember it, PUT the file, say it is there; the upload id."""
    ticket = create_upload(client, publication)
    upload_id = str(ticket["upload_id"])
    if state is not None:
        state.remember(upload_id)
    with publication.path.open("rb") as source:
        client.put_file(
            ticket["upload_url"], ticket["headers"], source, publication.size, publication.path.name
        )
    client.call("POST", f"/v1/uploads/{upload_id}/complete")
    return upload_id


def upload(client: Client, path: Path, kind: str, fmt: str, dry_run: bool) -> str:
    """Upload a file without a state file (the benchmarks' entry); the upload id."""
    return send(client, Publication.of(client.base_url, kind, fmt, dry_run, path))


def resumable(client: Client, state: StateFile) -> str | None:
    """The remembered upload, if the portal has its file (or gets it now); else None."""
    upload_id = state.upload_id()
    if upload_id is None:
        return None
    try:
        status = client.json("GET", f"/v1/uploads/{upload_id}")
        if status["status"] == "awaiting_file":
            client.call("POST", f"/v1/uploads/{upload_id}/complete")
    except (NotFound, Conflict):
        return None  # an unknown upload, or one whose file never arrived
    print(f"scts-publish: resuming upload {upload_id} ({status['status']})", file=sys.stderr)
    return upload_id


def wait(
    client: Client,
    upload_id: str,
    poll_seconds: float,
    timeout_seconds: float,
    rows: int | None = None,
) -> dict[str, Any]:
    """Poll until the upload is completed or failed; the bar counts data rows done."""
    deadline = time.monotonic() + timeout_seconds
    with tqdm(total=rows, unit=" rows", desc="validate and apply") as bar:
        while True:
            status = client.json("GET", f"/v1/uploads/{upload_id}")
            bar.n = int(status["rows_done"])
            bar.refresh()
            if status["status"] in FINISHED:
                return status
            if time.monotonic() > deadline:
                raise StillProcessing(
                    f"upload {upload_id} is still {status['status']} "
                    f"({status['rows_done']} rows done); run the same command again to follow it"
                )
            time.sleep(poll_seconds)


def write_rejections(client: Client, upload_id: str, sink: TextIO) -> None:
    """Every rejected row as CSV (row, reference, field, reason; with a header line). The
    portal answers with a redirect to the file, fetched without the publisher key."""
    response = client.call("GET", f"/v1/uploads/{upload_id}/rejections", allow_redirects=False)
    location = response.headers.get("Location")
    if location:
        client.download(location, sink)
    else:
        sink.write(response.text)


def read_key(key_file: Path | None) -> str:
    key = key_file.read_text().strip() if key_file else os.environ.get("SCTS_PUBLISHER_KEY", "")
    if not key:
        raise KeyRefused("set SCTS_PUBLISHER_KEY or pass --key-file")
    return key


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(USAGE, f"{self.prog}: {message}\n")


def parser() -> argparse.ArgumentParser:
    summary, what, details = (__doc__ or "").split("\n\n", 2)
    parse = Parser(
        prog="scts-publish",
        description=f"{summary.split(': ', 1)[-1]}\n\n{what}",
        epilog=details,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parse.add_argument("file", type=Path, help="the CSV or JSON Lines file")
    parse.add_argument("--kind", required=True, choices=KINDS, help="what the rows are")
    parse.add_argument(
        "--url",
        default=os.environ.get("SCTS_INGEST_URL"),
        help="base URL of the ingest API (publisher routes); default: $SCTS_INGEST_URL",
    )
    parse.add_argument("--format", choices=FORMATS, help="default: from the file's suffix")
    parse.add_argument("--dry-run", action="store_true", help="judge every row, apply nothing")
    parse.add_argument(
        "--report",
        type=Path,
        metavar="CSV",
        help="write the rejected rows (row, reference, field, reason) to this file; "
        "written on every finished run, header only when none was rejected",
    )
    parse.add_argument("--key-file", type=Path, help="read the publisher key from this file")
    parse.add_argument("--attempts", type=int, default=DEFAULT_ATTEMPTS, help="tries per call")
    parse.add_argument("--poll-seconds", type=float, default=1.0)
    parse.add_argument("--timeout-seconds", type=float, default=3600)
    parse.add_argument("--state-dir", type=Path, default=None, help="where resume state lives")
    parse.add_argument("--restart", action="store_true", help="ignore a remembered upload")
    return parse


def report(client: Client, status: dict[str, Any], report_path: Path | None) -> int:
    counts = status["counts"]
    upload_id = status["upload_id"]
    print(
        f"upload {upload_id}: {status['status']}{' (dry run)' if status['dry_run'] else ''}"
        f" - {status['rows_done']} rows: accepted {counts['accepted']}, "
        f"duplicate {counts['duplicate']}, rejected {counts['rejected']}"
    )
    if status["status"] == "failed":
        print(f"scts-publish: the upload failed: {status.get('error')}", file=sys.stderr)
        return FAILED
    if report_path is not None:
        with report_path.open("w", encoding="utf-8", newline="") as sink:
            if counts["rejected"]:
                write_rejections(client, upload_id, sink)
            else:
                SafeCsvWriter(sink).writerow(("row", "reference", "field", "reason"))
        if counts["rejected"]:
            print(f"rejected rows: {report_path}")
    elif counts["rejected"]:
        write_rejections(client, upload_id, sys.stdout)
    return REJECTED if counts["rejected"] else OK


def publish(args: argparse.Namespace) -> int:
    if not args.url:
        raise UsageError("give --url (the ingest API's base URL) or set SCTS_INGEST_URL")
    client = Client(args.url, read_key(args.key_file), attempts=args.attempts)
    fmt = file_format(args.file, args.format)
    publication = Publication.of(args.url, args.kind, fmt, args.dry_run, args.file)
    state = StateFile(args.state_dir or default_state_dir(), publication)
    upload_id = None if args.restart else resumable(client, state)
    if upload_id is None:
        upload_id = send(client, publication, state)
        print(
            f"scts-publish: upload {upload_id} received; if this run stops, run the same "
            "command again to follow it",
            file=sys.stderr,
        )
    status = wait(client, upload_id, args.poll_seconds, args.timeout_seconds, publication.rows)
    code = report(client, status, args.report)
    state.forget()
    return code


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return publish(args)
    except PublishError as exc:
        print(f"scts-publish: {exc}", file=sys.stderr)
        return exc.exit_code
    except OSError as exc:
        print(f"scts-publish: {exc}", file=sys.stderr)
        return FAILED
    except KeyboardInterrupt:
        print("scts-publish: interrupted; run the same command again to resume", file=sys.stderr)
        return INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
