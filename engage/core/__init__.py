"""Machinery shared by every area."""
