"""Benchmarks that print figures: `python -m bench.<name>` (no timing assertions in tests)."""
