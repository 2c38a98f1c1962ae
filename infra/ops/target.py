"""Where an operator command acts: an AWS account (boto3's standard credentials, e.g.
AWS_PROFILE) or the local runtime (`--local`: the endpoints in `.local/endpoints.json`)."""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3

from infra.local import aws
from infra.local.runtime import ENDPOINTS_FILE, STAGE

DEFAULT_ENDPOINTS = Path(".local") / ENDPOINTS_FILE
"""Where `make run` writes it, from the directory the command runs in (the repository)."""


@dataclass(frozen=True)
class Target:
    stage: str
    endpoints: dict[str, Any] | None = None
    """The local runtime's endpoints.json; None for an AWS account."""

    @property
    def local(self) -> bool:
        return self.endpoints is not None

    def client(self, service: str) -> Any:
        if self.endpoints is None:
            return boto3.client(service)
        url = (
            self.endpoints["dynamodb_endpoint"]
            if service in ("dynamodb", "dynamodbstreams")
            else self.endpoints["aws_endpoint"]
        )
        return aws.client(service, url)


def add_target_arguments(parser: argparse.ArgumentParser) -> None:
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument(
        "--local",
        nargs="?",
        const=str(DEFAULT_ENDPOINTS),
        metavar="ENDPOINTS_JSON",
        help=f"act on a running local runtime (default {DEFAULT_ENDPOINTS})",
    )
    where.add_argument("--stage", help="act on this stage's AWS account (boto3 credentials)")


def target_from(args: argparse.Namespace) -> Target:
    if args.local:
        endpoints = json.loads(Path(args.local).read_text())
        return Target(STAGE, endpoints)
    return Target(args.stage)
