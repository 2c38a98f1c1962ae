"""Portfolio service: handlers."""
