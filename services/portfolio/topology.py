"""The portfolio service's cloud shape: read by the CDK app and by the local runtime."""

from common.topology import AuthKind, Function, Route, ServiceTopology

TOPOLOGY = ServiceTopology(
    service="portfolio",
    functions=(Function(name="api", handler="services.portfolio.handlers.api.handler"),),
    routes=(Route(method="GET", path="/v1/version", auth=AuthKind.PUBLIC, function="api"),),
)
