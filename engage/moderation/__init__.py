"""Moderation: the queue of pending and reported items, actions and their audit log, themes."""
