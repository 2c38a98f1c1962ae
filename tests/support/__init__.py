"""Helpers shared by test layers (not fixtures: plain functions and classes)."""
