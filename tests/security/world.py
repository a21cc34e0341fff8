"""The objects the authorization matrix needs: one account per role and what they own.

Areas add builders to WORLD_BUILDERS: builder(app, world) adds keys to `world`.
"""

from engage.accounts.models import Association, Membership, Role, User
from engage.core.db import utcnow
from engage.extensions import db
from tests.conftest import PASSWORD

ROLE_ACCOUNTS = {
    "participant": {"role": Role.PARTICIPANT},
    "representative": {"role": Role.REPRESENTATIVE},
    "reviewer": {"role": Role.PARTICIPANT, "lay_reviewer": True},
    "moderator": {"role": Role.MODERATOR},
    "admin": {"role": Role.ADMIN},
    "blocked": {"role": Role.PARTICIPANT, "blocked_at": "now"},
}
WORLD_BUILDERS: list = []


def build_world(app) -> dict:
    world = {"static_file": "css/engage.css", "bad_token": "not-a-valid-token", "emails": {},
             "missing_job": "no-such-job"}
    with app.app_context():
        users = {}
        for name, fields in ROLE_ACCOUNTS.items():
            fields = dict(fields)
            if fields.get("blocked_at") == "now":
                fields["blocked_at"] = utcnow()
            user = User(email=f"{name}@matrix.example", display_name=name.title(),
                        language="en", email_confirmed_at=utcnow(),
                        privacy_consent_at=utcnow(), **fields)
            user.set_password(PASSWORD)
            db.session.add(user)
            users[name] = user
        association = Association(name="Matrix association")
        db.session.add(association)
        db.session.flush()
        db.session.add(Membership(user=users["representative"], association=association,
                                  status="approved"))
        applicant = User(email="applicant@matrix.example", display_name="Applicant",
                         language="en", email_confirmed_at=utcnow(),
                         privacy_consent_at=utcnow())
        applicant.set_password(PASSWORD)
        db.session.add(applicant)
        db.session.flush()
        membership = Membership(user=applicant, association=association)
        db.session.add(membership)
        db.session.commit()
        world.update(
            participant_id=users["participant"].id,
            association_id=association.id,
            membership_id=membership.id,
            user_ids={name: user.id for name, user in users.items()},
        )
        world["emails"] = {name: user.email for name, user in users.items()}
        for builder in WORLD_BUILDERS:
            builder(app, world)
    return world
