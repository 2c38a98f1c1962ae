"""Notifications service: logic."""
