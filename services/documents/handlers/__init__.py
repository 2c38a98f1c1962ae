"""Documents service: handlers."""
