"""Portfolio service: logic."""
