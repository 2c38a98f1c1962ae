"""Documents service: adapters."""
