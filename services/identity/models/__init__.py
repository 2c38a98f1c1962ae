"""Identity service: models."""
