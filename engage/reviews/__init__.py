"""Lay review of funding calls."""
