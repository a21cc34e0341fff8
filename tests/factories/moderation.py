"""Moderation: reports, and an open consultation with contributions in every state.

Inside an application context, except `world`, which stores and returns ids.
"""

from engage.core.moderated import file_report
from engage.extensions import db
from tests.factories import consultations, stored
from tests.factories.users import user


def reported(item, count: int, reason: str = "offensive"):
    """`count` distinct people report `item`."""
    reports = []
    for _ in range(count):
        reports.append(file_report(user("participant"), item, reason))
    return reports


def world(app, *, reports: int = 0, pending: int = 0, published: int = 1, policy="post"):
    """An open consultation, its author, and contributions in several states."""
    with stored(app):
        moderator = user("moderator")
        author = user("participant", language="en")
        consultation = consultations.consultation("open", policy=policy, author=moderator)
        items = {"published": [], "pending": [], "reported": []}
        for index in range(published):
            items["published"].append(consultations.contribution(
                consultation, author, f"Published contribution {index}"))
        for index in range(pending):
            items["pending"].append(consultations.contribution(
                consultation, author, f"Pending contribution {index}",
                moderation_status="pending"))
        for index in range(reports):
            item = consultations.contribution(consultation, author,
                                              f"Reported contribution {index}")
            reported(item, 1)
            items["reported"].append(item)
        db.session.flush()
        return {
            "consultation_id": consultation.id,
            "moderator_email": moderator.email,
            "author_id": author.id,
            "author_email": author.email,
            **{key: [i.id for i in value] for key, value in items.items()},
        }


# Removing passages: texts written with real typography (curly apostrophes and quotes, the
# French non-breaking spaces inside « »), which moderators type with straight ones.
TYPOGRAPHIC_TEXTS = {
    "fr": "Je suis suivie à l’hôpital Saint-Louis pour une «\u00a0rechute\u00a0» depuis mars. "
          "Le centre d’essai était trop loin.",
    "en": "I’m treated at “Saint-Louis” hospital for a relapse since March. "
          "The trial centre was too far.",
}


def redaction_world(app, *, status: str = "published", author_language: str = "en",
                    text_language: str = "en", text: str | None = None, reports: int = 0,
                    hidden_reason: str | None = None, moderator_language: str = "en") -> dict:
    """A moderator (writing in `moderator_language`) and one contribution
    (TYPOGRAPHIC_TEXTS[text_language] unless `text`) in `status` ("published", "pending",
    "hidden"; "auto_hidden": hidden after reports), by an author writing in
    `author_language`; `reports` open reports on it. Ids and emails."""
    with stored(app):
        moderator = user("moderator", language=moderator_language)
        author = user("participant", language=author_language)
        consultation = consultations.consultation("open", author=moderator)
        fields = {}
        if status in ("pending", "hidden"):
            fields = {"moderation_status": status,
                      "hidden_reason": hidden_reason or ("offensive" if status == "hidden"
                                                         else None)}
        item = consultations.contribution(consultation, author,
                                          text or TYPOGRAPHIC_TEXTS[text_language],
                                          language=text_language, **fields)
        reported(item, max(reports, 3 if status == "auto_hidden" else 0), "health_data")
        db.session.flush()
        return {"item_id": item.id, "consultation_id": consultation.id,
                "moderator_email": moderator.email, "author_email": author.email,
                "author_id": author.id}


# Themes in bulk: one consultation whose contributions speak of a few subjects in both
# languages — by Pat, Sam and an association, one awaiting approval, one hidden, one
# deleted — three themes, and a contribution of another consultation.
THEMES_TEXTS = {
    # name: (body, language, author, day written (2025), fields)
    "work": ("Le retour au travail à temps partiel m’a aidée.", "fr", "pat", (1, 10), {}),
    "work_again": ("Le Retour au travail est difficile : les employeurs doivent être "
                   "accompagnés.", "fr", "sam", (2, 15), {}),
    "back_to_work": ("Going back to work part-time helped me a lot.", "en", "sam", (3, 1),
                     {}),
    "fatigue": ("La fatigue après la chimiothérapie a duré deux ans.", "fr", "pat", (3, 20),
                {}),
    "position": ("Notre association demande un meilleur retour au travail.", "fr",
                 "association", (4, 2), {}),
    "pending": ("Travel costs to the trial centre should be paid back.", "en", "sam", (4, 10),
                {"moderation_status": "pending"}),
    "hidden": ("Retour au travail : des propos injurieux.", "fr", "pat", (4, 15),
               {"moderation_status": "hidden", "hidden_reason": "offensive"}),
    "deleted": ("Retour au travail, texte retiré.", "fr", "pat", (4, 20), {"deleted": True}),
}


def themes_world(app, moderator_language: str = "en") -> dict:
    """THEMES_TEXTS in an open consultation: "fatigue" filed by its author under Fatigue,
    "back_to_work" given Work by a moderator. Ids (by name), themes' ids, emails."""
    from datetime import UTC, datetime

    from engage.core.db import utcnow
    from engage.moderation.models import ContributionTheme
    from tests.factories.users import association

    with stored(app):
        moderator = user("moderator", language=moderator_language)
        people = {"pat": user("participant", display_name="Pat", language="fr"),
                  "sam": user("participant", display_name="Sam", language="en")}
        people["association"] = user("representative", display_name="Robin")
        group = association("Ensemble contre le cancer", representative=people["association"])
        consultation = consultations.consultation("open", author=moderator)
        other = consultations.consultation("open", author=moderator)
        themes = {"work": consultations.theme("Travail", "Work"),
                  "fatigue": consultations.theme("Fatigue", "Fatigue"),
                  "travel": consultations.theme("Transport", "Travel")}
        ids = {}
        for name, (body, language, author, (month, day), fields) in THEMES_TEXTS.items():
            fields = dict(fields)
            if fields.pop("deleted", False):
                fields["deleted_at"] = utcnow()
            if author == "association":
                fields["association_id"] = group.id
            ids[name] = consultations.contribution(
                consultation, people[author], body, language=language,
                created_at=datetime(2025, month, day, 11, tzinfo=UTC), **fields).id
        db.session.get(consultations.Contribution, ids["fatigue"]).theme_id = \
            themes["fatigue"].id
        db.session.add(ContributionTheme(contribution_id=ids["back_to_work"],
                                         theme_id=themes["work"].id, tagged_by_id=moderator.id))
        elsewhere = consultations.contribution(other, people["pat"], "Retour au travail ailleurs.")
        db.session.flush()
        return {"consultation_id": consultation.id, "other_consultation_id": other.id,
                "elsewhere_id": elsewhere.id, "association_id": group.id,
                "moderator_email": moderator.email, "moderator_id": moderator.id,
                **ids, **{f"{name}_theme": theme.id for name, theme in themes.items()}}


def more_contributions(app, consultation_id: int, count: int, theme_id: int) -> list[int]:
    """`count` more contributions, every other one an association's position, each given
    `theme_id` by a moderator (for the number of queries of a page)."""
    from engage.consultations.models import Consultation
    from engage.moderation.models import ContributionTheme
    from tests.factories.users import association

    with stored(app):
        consultation = db.session.get(Consultation, consultation_id)
        ids = []
        for index in range(count):
            person = user("participant")
            fields = {}
            if index % 2:
                fields["association_id"] = association(f"Association {person.id}").id
            item = consultations.contribution(consultation, person, f"Texte numéro {index}.",
                                              **fields)
            db.session.add(ContributionTheme(contribution_id=item.id, theme_id=theme_id))
            ids.append(item.id)
        db.session.flush()
        return ids
