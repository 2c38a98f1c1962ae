"""Notifications service: adapters."""
