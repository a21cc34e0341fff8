"""Administration: users, roles, associations and representation requests."""
