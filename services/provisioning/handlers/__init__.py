"""Provisioning service: handlers."""
