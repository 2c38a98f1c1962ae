"""Provisioning service: logic."""
