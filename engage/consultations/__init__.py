"""Consultations: questionnaires, contributions, replies, support, association positions."""
