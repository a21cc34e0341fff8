"""Accounts: users, roles, associations and who represents them."""
