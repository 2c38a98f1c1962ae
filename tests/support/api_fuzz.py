"""API fuzzing of every OpenAPI document against a running local runtime (schemathesis).

Each operation of `contracts/openapi/<doc>.json` is called with generated requests as each
principal its `security` admits: every demo role for the HTTP API's Cognito routes, the demo
publisher's key for the ingest API, nobody for public routes. The first principal of each
scheme sends valid and invalid requests (schemathesis' positive and negative modes: wrong
types, missing fields, dropped credentials...), the other roles valid ones. Valid requests
also carry the real ids the principal can see in the path (its account, a trade of it...),
so success responses are checked, not only refusals. Every response must be: no 5xx, a
status the operation documents, its documented content type, and a body that validates
against the documented schema.

Which API a document describes comes from its name: `<service>.json` is the service's HTTP
API (`endpoints["services"][service]`), `<service>-ingest.json` its ingest API
(`endpoints["ingest_apis"][service]`); a new document is fuzzed as soon as it is committed.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import hypothesis.strategies as st
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, seed, settings
from schemathesis import Case, GenerationMode
from schemathesis.checks import CheckFunction, not_a_server_error
from schemathesis.schemas import APIOperation
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

Operation = APIOperation[Any, Any, Any, Any]

INGEST_SUFFIX = "-ingest"
JWT_SCHEME = "cognitoAccessToken"
API_KEY_SCHEME = "publisherApiKey"
ANONYMOUS = "anonymous"
PUBLISHER = "publisher"

EXAMPLES_PER_OPERATION = int(os.environ.get("SCTS_FUZZ_EXAMPLES", "4"))
"""Generated requests per operation for the first principal of each security scheme, with
valid and invalid input (raise it for a deeper local run)."""
EXAMPLES_PER_OTHER_ROLE = max(1, EXAMPLES_PER_OPERATION // 2)
"""Valid requests per operation for each further role: invalid input is refused before any
authorization (`docs/api-conventions.md`, order of checks), so it is sent as one role only;
what differs between roles is what valid requests (with their real ids) are answered."""

CHECKS: list[CheckFunction] = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
_PATH_PARAM = re.compile(r"\{([^}]+)\}")
_TIMEOUT = 30


@dataclass(frozen=True)
class Principal:
    """Who calls: a role's Cognito access token, the publisher's key, or nobody."""

    name: str
    headers: dict[str, str]
    scheme: str | None  # the security scheme it satisfies; None = public routes only


@dataclass
class Finding:
    principal: str
    operation: str
    status: int
    problem: str
    reproduce: str

    def __str__(self) -> str:
        head = f"{self.operation} as {self.principal}: {self.status} {self.problem}"
        return f"{head}\n    {self.reproduce}"


@dataclass
class FuzzRun:
    """What one document's run did: requests per principal, and what went wrong."""

    document: str
    requests: Counter[str] = field(default_factory=Counter)
    statuses: Counter[str] = field(default_factory=Counter)
    findings: dict[tuple[str, int, str], Finding] = field(default_factory=dict)

    def summary(self) -> str:
        per_principal = ", ".join(f"{name} {count}" for name, count in self.requests.items())
        total = sum(self.requests.values())
        answers = ", ".join(f"{k} {v}" for k, v in sorted(self.statuses.items()))
        return (
            f"{self.document}: {total} requests ({per_principal}); answers {answers}; "
            f"{len(self.findings)} findings"
        )


def base_url(document: str, endpoints: dict[str, Any]) -> str:
    """The API the document describes, on the running runtime."""
    if document.endswith(INGEST_SUFFIX):
        return str(endpoints["ingest_apis"][document.removesuffix(INGEST_SUFFIX)])
    return str(endpoints["services"][document])


def schemes(operation: Operation) -> set[str | None]:
    """The security schemes that admit a caller (None: the operation is public)."""
    security = operation.definition.raw.get("security")
    if not security:
        return {None}
    return {name for requirement in security for name in requirement}


def _problems(error: BaseException) -> str:
    """Each check that failed, in a stable order (`ST101 Server error; ST103 ...`)."""
    found = sorted(set(re.findall(r"- (ST\d+ [^\n]*)", str(error))))
    return "; ".join(found) if found else str(error).splitlines()[0][:200]


def _operations(schema: Any) -> Iterator[Operation]:
    for result in schema.get_all_operations():
        yield result.ok()


def real_path_values(
    schema: Any, url: str, principal: Principal, known: dict[str, str]
) -> dict[str, dict[str, str]]:
    """Path parameters with values the principal can see, per operation label.

    A GET gets `known` (its account, from identity) and each other `{name}` read from the
    first item of its parent list (`GET .../trades` gives `reference` for `GET
    .../trades/{reference}`). A PUT or DELETE gets `known` only (its own account; the rest
    generated: a target it creates, a member that does not exist): real members or CAMs
    removed or re-roled would change what the later cases may do. A POST on an object is an
    action (suspend, accept...) and gets none.
    """
    found: dict[str, dict[str, str]] = {}
    session = requests.Session()
    session.headers.update(principal.headers)
    gets = {op.path for op in _operations(schema) if op.method.upper() == "GET"}
    for operation in _operations(schema):
        names = _PATH_PARAM.findall(operation.path)
        method = operation.method.upper()
        values = {name: known[name] for name in names if name in known}
        if method == "GET" and len(values) == len(names) - 1:
            last, parent = names[-1], operation.path.rsplit("/", 1)[0]
            if operation.path.endswith(f"{{{last}}}") and parent in gets:
                answer = session.get(url + parent.format(**values), timeout=_TIMEOUT)
                items = answer.json().get("items") if answer.status_code == 200 else None
                if items and isinstance(items[0].get(last), str):
                    values[last] = items[0][last]
        if values and method in ("GET", "PUT", "DELETE"):
            found[operation.label] = values
    return found


def fuzz_operation(
    operation: Operation,
    url: str,
    principal: Principal,
    real_values: dict[str, str] | None,
    run: FuzzRun,
    *,
    thorough: bool,
    fuzz_seed: int | None = None,
) -> None:
    """Generated cases: `thorough`, EXAMPLES_PER_OPERATION valid and invalid ones (half of
    the valid ones with real ids when there are); else EXAMPLES_PER_OTHER_ROLE valid ones
    (with real ids when there are). Every response checked; failures recorded (the first
    per operation, status and problem)."""
    strategies = [operation.as_strategy(GenerationMode.POSITIVE)]
    if real_values is not None:
        real = operation.as_strategy(GenerationMode.POSITIVE, path_parameters=real_values)
        strategies = [real] if not thorough else [real, *strategies]
    if thorough:
        strategies.append(operation.as_strategy(GenerationMode.NEGATIVE))
    session = requests.Session()

    @settings(
        max_examples=EXAMPLES_PER_OPERATION if thorough else EXAMPLES_PER_OTHER_ROLE,
        deadline=None,
        database=None,
        derandomize=fuzz_seed is None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=st.one_of(strategies))
    def call(case: Case[Any]) -> None:
        run.requests[principal.name] += 1
        response = case.call(base_url=url, session=session, headers=principal.headers)
        run.statuses[f"{response.status_code // 100}xx"] += 1
        try:
            case.validate_response(response, checks=CHECKS)
        except (AssertionError, BaseExceptionGroup) as error:
            problem = _problems(error)
            key = (operation.label, response.status_code, problem.split(" ", 1)[0])
            run.findings.setdefault(
                key,
                Finding(
                    principal.name,
                    operation.label,
                    response.status_code,
                    f"{problem}: {response.text[:300]}",
                    case.as_curl_command(headers=principal.headers)[:800],
                ),
            )

    test: Callable[[], None] = call if fuzz_seed is None else seed(fuzz_seed)(call)
    test()


def fuzz_document(
    path: Path,
    endpoints: dict[str, Any],
    principals: list[Principal],
    known: Callable[[Principal], dict[str, str]],
) -> FuzzRun:
    """Every operation of the document as every principal its security admits."""
    schema = schemathesis.openapi.from_path(str(path))
    url = base_url(path.stem, endpoints)
    run = FuzzRun(path.stem)
    fuzz_seed = int(os.environ["SCTS_FUZZ_SEED"]) if os.environ.get("SCTS_FUZZ_SEED") else None
    operations = list(_operations(schema))
    fuzzed_schemes: set[str | None] = set()
    for principal in principals:
        mine = [op for op in operations if principal.scheme in schemes(op)]
        if not mine:
            continue
        thorough = principal.scheme not in fuzzed_schemes
        fuzzed_schemes.add(principal.scheme)
        real = real_path_values(schema, url, principal, known(principal))
        for operation in mine:
            values = real.get(operation.label)
            fuzz_operation(
                operation, url, principal, values, run, thorough=thorough, fuzz_seed=fuzz_seed
            )
    return run
