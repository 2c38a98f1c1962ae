"""Identity service: handlers."""
