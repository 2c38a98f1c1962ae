"""Provisioning service."""
