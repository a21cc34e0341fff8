"""Who may do what with accounts and associations: pure functions."""



def can_request_representation(user) -> bool:
    return user.is_authenticated and user.is_confirmed
