"""The authorization matrix: every route × method × role, and the expected outcome.

Outcomes:
- OK: the role may use the route (any answer but a sign-in redirect, 403 or 404; a form
  error such as 422 still means the action was allowed);
- SIGN_IN: redirected to the sign-in page;
- FORBIDDEN: 403;
- NOT_FOUND: 404 (the object is not shown to this role at all);
- HOME: sent to the home page (signed-in people on the sign-in and registration pages).

Each area describes its routes with `Route(...)`; `url_args` names the objects of the test
world (built in `tests/security/world.py`) that fill the URL.
"""

from dataclasses import dataclass, field

OK, SIGN_IN, FORBIDDEN, NOT_FOUND, HOME = "ok", "sign-in", "forbidden", "not-found", "home"
ROLES = ("visitor", "participant", "representative", "reviewer", "moderator", "officer", "admin",
         "blocked")


def everyone():
    return dict.fromkeys(ROLES, OK)


def signed_in():
    return {**dict.fromkeys(ROLES, OK), "visitor": SIGN_IN}


def moderators():
    """Moderators and the roles above them (network officers, administrators)."""
    return {**dict.fromkeys(ROLES, FORBIDDEN), "visitor": SIGN_IN, "moderator": OK,
            "officer": OK, "admin": OK}


def admins():
    return {**moderators(), "moderator": FORBIDDEN, "officer": FORBIDDEN}


def officers():
    """Network officers and administrators (the network's record)."""
    return {**moderators(), "moderator": FORBIDDEN}


def visitors_only():
    """Pages for signed-out people (sign-in, registration): others are sent home."""
    return {**dict.fromkeys(ROLES, HOME), "visitor": OK}


@dataclass(frozen=True)
class Route:
    endpoint: str
    methods: dict  # method -> {role: outcome}
    url_args: dict = field(default_factory=dict)  # URL argument -> key in the world
    data: dict = field(default_factory=dict)  # form data for POST (besides the CSRF token)


MATRIX: list[Route] = []


def routes(*items: Route) -> None:
    MATRIX.extend(items)


# Foundation: pages, accounts, administration, health.
routes(
    Route("root", {"GET": everyone()}),
    Route("health.healthz", {"GET": everyone()}),
    Route("health.readyz", {"GET": everyone()}),
    Route("static", {"GET": everyone()}, url_args={"filename": "static_file"}),
    Route("pages.home", {"GET": everyone()}),
    Route("pages.about", {"GET": everyone()}),
    Route("pages.privacy", {"GET": everyone()}),
    Route("pages.accessibility", {"GET": everyone()}),
    Route("pages.legal", {"GET": everyone()}),
    Route("accounts.register", {"GET": visitors_only(), "POST": visitors_only()}),
    Route("accounts.check_your_email", {"GET": everyone()}),
    Route("accounts.confirm_email", {"GET": everyone()}, url_args={"token": "bad_token"}),
    Route("accounts.sign_in", {"GET": visitors_only(), "POST": visitors_only()}),
    Route("accounts.sign_out", {"POST": signed_in()}),
    Route("accounts.request_password_reset", {"GET": everyone(), "POST": everyone()}),
    Route("accounts.reset_password", {"GET": everyone(), "POST": everyone()},
          url_args={"token": "bad_token"}),
    Route("accounts.accept_invitation", {"GET": everyone(), "POST": everyone()},
          url_args={"token": "bad_token"}),
    Route("accounts.settings", {"GET": signed_in()}),
    Route("accounts.update_profile", {"POST": signed_in()}),
    Route("accounts.change_password", {"POST": signed_in()}),
    Route("accounts.change_email", {"POST": signed_in()}),
    Route("accounts.request_representation", {"POST": signed_in()}),
    Route("accounts.associations", {"GET": everyone()}),
    Route("accounts.my_data", {"GET": signed_in()}),
    Route("accounts.my_data_json", {"GET": signed_in()}),
    Route("accounts.withdraw_consent", {"POST": signed_in()}),
    Route("accounts.give_consent", {"POST": signed_in()}),
    Route("accounts.sign_out_everywhere", {"POST": signed_in()}),
    Route("accounts.delete_account", {"GET": signed_in(), "POST": signed_in()}),
    Route("admin.users", {"GET": admins()}),
    Route("admin.user", {"GET": admins()}, url_args={"user_id": "participant_id"}),
    Route("admin.invite", {"GET": admins(), "POST": admins()},
          data={"display_name": "Matrix guest", "email": "guest@matrix.example",
                "role": "participant", "language": "en"}),
    Route("admin.change_role", {"POST": admins()}, url_args={"user_id": "participant_id"},
          data={"role-role": "moderator", "role-reason": "Matrix"}),
    Route("admin.deactivate", {"POST": admins()}, url_args={"user_id": "participant_id"},
          data={"deactivate-reason": "Matrix"}),
    Route("admin.reactivate", {"POST": admins()}, url_args={"user_id": "participant_id"}),
    Route("admin.resend_confirmation", {"POST": admins()},
          url_args={"user_id": "participant_id"}),
    Route("admin.resend_invitation", {"POST": admins()}, url_args={"user_id": "participant_id"}),
    Route("admin.associations", {"GET": admins()}),
    Route("admin.new_association", {"GET": admins(), "POST": admins()}),
    Route("admin.edit_association", {"GET": admins(), "POST": admins()},
          url_args={"association_id": "association_id"}),
    Route("admin.representation_requests", {"GET": moderators()}),
    Route("admin.decide_representation", {"GET": moderators(), "POST": moderators()},
          url_args={"membership_id": "membership_id"},
          data={"decision": "decline", "message": "The association has no record of you."}),
    Route("admin.jobs", {"GET": admins()}),
    Route("admin.handle_job", {"POST": admins()}, url_args={"job_id": "missing_job"},
          data={"action": "delete"}),
    # A kept text opens only for the person it was kept for (an unknown key: nobody).
    Route("drafts.restore", {"GET": {**dict.fromkeys(ROLES, NOT_FOUND), "visitor": SIGN_IN}},
          url_args={"key": "bad_token"}),
)


def _register_areas() -> None:
    """Each area describes its own routes in tests/<area>/matrix.py (`register()`)."""
    import importlib
    import importlib.util

    for area in ("consultations", "priorities", "reviews", "moderation", "summaries", "api",
                 "space", "accountability", "newsletter"):
        if importlib.util.find_spec(f"tests.{area}.matrix"):
            importlib.import_module(f"tests.{area}.matrix").register()


def all_routes() -> list[Route]:
    """The whole matrix, every area's rows included."""
    _register_areas()
    return MATRIX
