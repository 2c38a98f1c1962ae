"""Notifications service: models."""
