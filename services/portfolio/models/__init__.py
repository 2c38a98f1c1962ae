"""Portfolio service: models."""
