"""Portfolio service."""

SERVICE = "portfolio"
"""The service's name (its topology's `service`): what its functions log and measure under.
Consumers take it from here rather than from the topology, which they need not build."""
