"""Accounts pages: `public` (registration, sign-in, email links, password reset, the list
of associations) and `settings` (what a signed-in person changes about their account).

Both modules add their routes to `bp`; `engage.accounts.init_app` imports them, then
registers it.
"""

from flask import Blueprint

bp = Blueprint("accounts", __name__, url_prefix="/<lang_code>/account")
