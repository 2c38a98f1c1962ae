"""`gadgets`, a test-only service for the local gateways: one function per routed name plus
its publisher authorizer `authorize`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from common.topology import Function, Route, ServiceTopology, UsagePlan
from infra.local.gateway import Gateway, GatewayServer
from infra.local.invoke import FunctionSpec, InProcessInvoker

AUTHORIZER = "authorize"


def gadgets_topology(*routes: Route, usage_plan: UsagePlan | None = None) -> ServiceTopology:
    routed = dict.fromkeys(route.function for route in routes)
    return ServiceTopology(
        service="gadgets",
        functions=tuple(
            Function(name=name, handler=f"tests.unused.{name}") for name in [*routed, AUTHORIZER]
        ),
        routes=routes,
        publisher_authorizer=AUTHORIZER,
        publisher_usage_plan=usage_plan,
    )


def function_names(topology: ServiceTopology) -> dict[str, str]:
    """What the runtime would deploy each function as."""
    return {function.name: f"gadgets-{function.name}" for function in topology.functions}


def register(invoker: InProcessInvoker, name: str, handler: Any) -> None:
    """Run `handler` in-process for function `name` of the gadgets service."""
    invoker.register(FunctionSpec(f"gadgets-{name}", f"tests.unused.{name}", 5, 128), handler)


@contextmanager
def serving(gateway: Gateway) -> Iterator[str]:
    """The gateway on a free loopback port: its base URL, until the block ends."""
    server = GatewayServer(0, gateway)
    server.start()
    try:
        yield server.base_url
    finally:
        server.shutdown()
        server.server_close()
