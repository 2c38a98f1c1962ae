"""Notifications service: handlers."""
