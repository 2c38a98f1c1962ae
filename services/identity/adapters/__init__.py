"""Identity service: adapters."""
