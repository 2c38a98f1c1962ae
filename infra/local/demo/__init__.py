"""Demo data, loaded through the public APIs only (never by writing tables).

Each service's engineer owns a step module here (`identity.py`, `provisioning.py`, ...)
exposing `run(ctx: DemoContext) -> None`. Steps run in STEPS order; a module that does not
exist yet is simply absent. Steps record the logins and publishers they create with
`ctx.add_user` / `ctx.add_publisher`, which end up in `.local/endpoints.json`.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import requests

from infra.local.cognito import Login, UserPool, login

log = logging.getLogger("scts.local.demo")

STEPS = ("identity", "notifications", "provisioning", "documents")


class ApiClient:
    """HTTP client of one service's API; with tokens, every call carries the bearer."""

    def __init__(self, base_url: str, access_token: str | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.session = requests.Session()
        if access_token:
            self.session.headers["Authorization"] = f"Bearer {access_token}"

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", 30)
        return self.session.request(method, self.base_url + path, **kwargs)

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("POST", path, **kwargs)

    def put(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("PUT", path, **kwargs)

    def patch(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("PATCH", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("DELETE", path, **kwargs)


@dataclass
class DemoContext:
    """What a demo step may use: the endpoints, logins, and a place to record results."""

    services: dict[str, str]
    pool: UserPool
    mailbox_url: str
    cognito_client: Any
    ingest_apis: dict[str, str] = field(default_factory=dict)
    """Base URL of each service's REST ingest API (publisher routes, x-api-key)."""
    users: list[Login] = field(default_factory=list)
    publishers: list[dict[str, str]] = field(default_factory=list)
    push_service_url: str = ""
    """The local Web Push service (browsers' push subscriptions point there)."""
    notes: dict[str, Any] = field(default_factory=dict)
    """What a step wants in endpoints.json besides logins and publishers (by key)."""

    def login(self, user: Login) -> dict[str, Any]:
        """Cognito tokens for a recorded login (USER_PASSWORD_AUTH + TOTP when enrolled)."""
        return login(self.cognito_client, self.pool, user.username, user.password, user.totp_secret)

    def client(self, service: str, user: Login | None = None) -> ApiClient:
        """A client of `service`, authenticated as `user` (anonymous without one)."""
        token = self.login(user)["AccessToken"] if user else None
        return ApiClient(self.services[service], token)

    def user(self, role: str) -> Login:
        return next(u for u in self.users if u.role == role)

    def add_user(self, user: Login) -> None:
        self.users.append(user)

    def add_publisher(self, name: str, api_key: str) -> None:
        self.publishers.append({"name": name, "api_key": api_key})


def load_steps() -> list[tuple[str, Callable[[DemoContext], None]]]:
    steps = []
    for name in STEPS:
        module_name = f"{__name__}.{name}"
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue
        steps.append((name, module.run))
    return steps


def run_demo(ctx: DemoContext) -> list[str]:
    """Run every present step in order; the names of the steps that ran."""
    ran = []
    for name, step in load_steps():
        log.info("demo step %s", name)
        step(ctx)
        ran.append(name)
    return ran
