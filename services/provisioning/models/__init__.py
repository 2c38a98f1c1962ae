"""Provisioning service: models."""
