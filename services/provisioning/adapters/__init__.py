"""Provisioning service: adapters."""
