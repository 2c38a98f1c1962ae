"""Documents service: models."""
