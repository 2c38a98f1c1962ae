"""Identity service: logic."""
