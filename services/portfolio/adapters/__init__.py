"""Portfolio service: adapters."""
