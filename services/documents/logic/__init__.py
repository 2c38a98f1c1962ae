"""Documents service: logic."""
