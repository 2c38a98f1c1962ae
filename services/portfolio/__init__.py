"""Portfolio service."""
