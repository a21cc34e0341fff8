"""GDPR self-service: what we hold about a person, shown and downloaded, and erasing it.

The download (`collect_personal_data`) keeps each area's rows as they are, keyed in English
for programs. The "my data" page (`readable_personal_data`) shows the same rows to a
person: each field under a label in their language, codes by their names, moments and
yes/no in words.
"""

import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from engage.accounts.models import Departement, MembershipStatus, ParticipantType, Role, User
from engage.core.db import utcnow
from engage.core.i18n import language_label
from engage.core.moderated import ModerationStatus, ReportStatus
from engage.core.registry import PersonalDataSection, Registry
from engage.core.registry import of as registry_of
from engage.core.sessions import SignInSession, end_all_sessions
from engage.extensions import db


def _iso(value):
    return value.isoformat() if value else None


def _profile(user: User) -> list[dict]:
    return [{
        "email": user.email,
        "display_name": user.display_name,
        "pseudonym": user.pseudonym,
        "publish_under_pseudonym": user.use_pseudonym,
        "language": user.language,
        "participant_type": user.participant_type,
        "departement": user.departement,
        "lay_reviewer": user.lay_reviewer,
        "role": user.role,
        "registered_at": _iso(user.created_at),
        "email_confirmed_at": _iso(user.email_confirmed_at),
        "last_sign_in_at": _iso(user.last_sign_in_at),
    }]


PRIVACY_CONSENT = "privacy notice and processing of health information"


def _consents(user: User) -> list[dict]:
    return [{
        "consent": PRIVACY_CONSENT,
        "given_at": _iso(user.privacy_consent_at),
        "withdrawn_at": _iso(user.consent_withdrawn_at),
    }]


def _memberships(user: User) -> list[dict]:
    return [{
        "association": m.association.name,
        "status": m.status,
        "message": m.message,
        "asked_at": _iso(m.created_at),
        "decided_at": _iso(m.decided_at),
        "note": m.decision_message,
    } for m in user.memberships]


def _sign_in_sessions(user: User) -> list[dict]:
    # Their keys are left out: whoever holds the file must not be able to sign in with it.
    started = db.session.scalars(select(SignInSession.created_at).where(
        SignInSession.user_id == user.id).order_by(SignInSession.created_at))
    return [{"signed_in_at": _iso(moment)} for moment in started]


def register(registry: Registry) -> None:
    """What this area adds to "download my data" and to account deletion."""
    registry.personal_data.extend([
        PersonalDataSection("profile", _l("Profile"), _profile),
        PersonalDataSection("consents", _l("Consents"), _consents),
        PersonalDataSection("associations", _l("Associations you asked to represent"),
                            _memberships),
        PersonalDataSection("sign_in_sessions",
                            _l("Sign-in sessions open on your devices"), _sign_in_sessions),
    ])


def collect_personal_data(user: User) -> dict:
    """Everything every area holds about `user`, section by section."""
    return {section.key: section.collect(user) for section in registry_of().personal_data}


# The "my data" page


# What the page calls each field. A key means the same in every section that uses it;
# SECTION_LABELS names a section's key otherwise. Every key of every section registered
# has a label (tests/accounts/test_my_data.py checks them on a person who did everything).
FIELD_LABELS = {
    # accounts
    "email": _l("Email address"),
    "display_name": _l("Display name"),
    "pseudonym": _l("Pseudonym"),
    "publish_under_pseudonym": _l("Publish my contributions under my pseudonym"),
    "language": _l("Language of the site and of our emails"),
    "participant_type": _l("I take part as"),
    "departement": _l("Département"),
    "lay_reviewer": _l("Lay reviewer"),
    "role": _l("Role"),
    "registered_at": _l("Registered on"),
    "email_confirmed_at": _l("Email address confirmed on"),
    "last_sign_in_at": _l("Last signed in on"),
    "consent": _l("Consent to"),
    "given_at": _l("Given on"),
    "withdrawn_at": _l("Withdrawn on"),
    "association": _l("Association"),
    "status": _l("Status"),
    "message": _l("Your message"),
    "asked_at": _l("Asked on"),
    "decided_at": _l("Decided on"),
    "signed_in_at": _l("Signed in on"),
    # kept texts
    "kept_at": _l("Kept on"),
    "sent_to": _l("Page it was sent to"),
    "fields": _l("What you wrote"),
    # consultations
    "consultation": _l("Consultation"),
    "reply_to": _l("Reply to contribution no."),
    "on_behalf_of": _l("On behalf of"),
    "text": _l("Text"),
    "earlier_versions": _l("Earlier versions"),
    "moderation_status": _l("Moderation"),
    "written_at": _l("Written on"),
    "edited_at": _l("Edited on"),
    "question": _l("Question"),
    "answer": _l("Answer"),
    "sent_at": _l("Sent on"),
    "follows_consultation": _l("You follow consultation no."),
    "supports_contribution": _l("You support contribution no."),
    "since": _l("Since"),
    # moderation
    "reported": _l("What you reported"),
    "item_number": _l("Number"),
    "reason": _l("Reason"),
    "details": _l("Details"),
    "reported_at": _l("Reported on"),
    "decision": _l("Decision"),
    "reason_given": _l("Reason given"),
    "on": _l("Date"),
    "action": _l("Action"),
    "item": _l("Item"),
    "note": _l("Moderators’ note"),
    # lay review
    "themes": _l("Themes"),
    "institutions": _l("Institutions"),
    "saved_at": _l("Saved on"),
    "call": _l("Funding call"),
    "application": _l("Application"),
    "assigned_at": _l("Assigned on"),
    "assignment": _l("Assignment"),
    "no_conflict_declared_at": _l("No conflict of interest declared on"),
    "confidentiality_accepted_at": _l("Confidentiality agreement accepted on"),
    "declared_at": _l("Declared on"),
    "links_of_interest": _l("Links of interest"),
    "conflict": _l("Conflict of interest"),
    "confidentiality_accepted": _l("Confidentiality agreement accepted"),
    "overall_score": _l("Overall score"),
    "overall_comment_for_the_applicants": _l("Overall comment for the applicants"),
    "overall_comment_for_the_committee": _l("Overall comment for the committee"),
    "criteria_scores_and_comments": _l("Scores and comments per criterion"),
    "submitted_at": _l("Submitted on"),
    # research priorities
    "exercise": _l("Research priorities"),
    "group": _l("Group"),
    "moderation": _l("Moderation"),
    "indicative_question": _l("Indicative question no."),
    "comment": _l("Comment"),
    "posted_at": _l("Posted on"),
    "questions_in_order": _l("Questions, in your order"),
    # notifications and My space
    "notification_kind": _l("Notifications about"),
    "delivery": _l("How you receive them"),
    "notification": _l("Notification"),
    "about": _l("Concerning"),
    "at": _l("Date"),
    "read_at": _l("Read on"),
    "in_a_digest_at": _l("Sent in a digest on"),
    "digest": _l("Digest"),
    "for": _l("Period starting"),
    "notifications": _l("Notifications"),
    "my_space_visit_started_at": _l("Last visit to My space"),
    "previous_visit_started_at": _l("Previous visit"),
}
SECTION_LABELS = {
    "associations": {"status": _l("Your request")},
    "reports_made": {"status": _l("What the moderators decided")},
    "reviews": {"status": _l("Your review")},
}
# Codes stored by the areas, shown by their names: (section, key) -> {code: label}.
_REVIEW_STATUSES = {"draft": _l("Draft saved"), "submitted": _l("Submitted")}
VALUE_LABELS = {
    ("profile", "role"): Role.labels(),
    ("profile", "participant_type"): ParticipantType.labels(),
    ("profile", "departement"): Departement.labels(),
    ("consents", "consent"): {
        PRIVACY_CONSENT: _l("The privacy notice and the processing of health information"),
    },
    ("associations", "status"): MembershipStatus.labels(),
    ("consultation_contributions", "moderation_status"): ModerationStatus.labels(),
    ("reports_made", "status"): ReportStatus.labels(),
    ("reviews", "status"): _REVIEW_STATUSES,
    ("priority_submissions", "moderation"): ModerationStatus.labels(),
    ("priority_comments", "moderation"): ModerationStatus.labels(),
}
_LANGUAGE_KEYS = {("profile", "language")}
_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


@dataclass(frozen=True)
class ShownField:
    label: object  # a lazy string
    kind: str  # "moment", "yes_no", "lines", "text" or "nothing"
    value: object  # a datetime, a bool, a list of texts, a text, or None


@dataclass(frozen=True)
class ShownSection:
    key: str
    title: object  # a lazy string
    rows: list[list[ShownField]]


def field_label(section: str, key: str):
    """The page's name for `key` in `section` (its own words if an area forgot to name it)."""
    return SECTION_LABELS.get(section, {}).get(key) or FIELD_LABELS.get(key) \
        or key.replace("_", " ").capitalize()


def _shown_value(section: str, key: str, value, area_codes: dict) -> tuple[str, object]:
    if value is None or value == "" or value == {} or value == []:
        return "nothing", None
    if isinstance(value, bool):
        return "yes_no", value
    if isinstance(value, dict):  # a kept form: its field names are the site's, not words
        value = [text for text in value.values() if text not in (None, "")]
    if isinstance(value, str) and "\n" in value:  # earlier versions, scores per criterion
        value = [line for line in value.splitlines() if line.strip()]
    if isinstance(value, list):
        return "lines", [str(text) for text in value]
    codes = area_codes.get(key) or VALUE_LABELS.get((section, key))
    if codes is not None and value in codes:
        return "text", codes[value]
    if (section, key) in _LANGUAGE_KEYS:
        return "text", language_label(value)
    if isinstance(value, str) and _MOMENT.match(value):
        try:
            return "moment", datetime.fromisoformat(value)
        except ValueError:
            pass
    return "text", value


def readable_personal_data(user: User) -> list[ShownSection]:
    """What `collect_personal_data` holds, as the "my data" page shows it."""
    shown = []
    for section in registry_of().personal_data:
        rows = [[ShownField(field_label(section.key, key),
                            *_shown_value(section.key, key, value, section.value_labels))
                 for key, value in row.items()] for row in section.collect(user)]
        shown.append(ShownSection(section.key, section.title, rows))
    return shown


def erase_account(user: User, delete_content: bool) -> None:
    """Delete the account: identifying data goes, a pseudonymous row stays."""
    for eraser in registry_of().account_erasers:
        eraser(user, delete_content)
    user.memberships.clear()
    user.email = f"deleted-{user.id}@invalid"
    user.pending_email = None
    user.display_name = ""
    user.pseudonym = None
    user.use_pseudonym = False
    user.participant_type = None
    user.departement = None
    user.lay_reviewer = False
    user.password_hash = generate_password_hash(secrets.token_urlsafe(32))
    user.deleted_at = utcnow()
    end_all_sessions(user.id)
    user.session_version += 1
