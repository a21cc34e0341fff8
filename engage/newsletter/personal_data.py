"""What the newsletter holds about a person ("download my data"), and what account deletion
does with it. Registered by engage.newsletter.init_app.

A subscription is an address, with or without an account: the account's address is looked
for among the subscribers. Deleting the account unsubscribes it (nothing is kept), as
unsubscribing does for anyone."""

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from engage.core.i18n import language_label
from engage.core.registry import PersonalDataSection, Registry
from engage.newsletter import queries, services

KEY = "newsletter"
CONFIRMED, WAITING = "subscribed", "waiting_for_confirmation"
STATUSES = {CONFIRMED: _l("Subscribed"),
            WAITING: _l("Waiting for you to follow the confirmation link")}


def collect(user) -> list[dict]:
    subscriber = queries.subscription_of(services.normalize_email(user.email))
    if subscriber is None:
        return []
    return [{
        "email": subscriber.email,
        "language": subscriber.language,
        "status": CONFIRMED if subscriber.is_confirmed else WAITING,
        "since": (subscriber.confirmed_at or subscriber.created_at).isoformat(),
    }]


def register(registry: Registry, languages) -> None:
    """The section of "my data" (its codes named: the language in the reader's words) and
    the eraser."""
    names = {code: LazyString(language_label, code) for code in languages}
    registry.personal_data.append(PersonalDataSection(
        KEY, _l("The newsletter"), collect, value_labels={"status": STATUSES, "language": names}))
    registry.account_erasers.append(services.erase_account)
