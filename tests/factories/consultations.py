"""Consultations: themes, consultations in every status, contributions.

Every function expects an application context and flushes; callers commit (`stored(app)`)
when a request must see the data.
"""

from datetime import timedelta

from engage.accounts.models import User
from engage.consultations import services
from engage.consultations.models import (
    Audience,
    Consultation,
    ConsultationStatus,
    Contribution,
    ModerationPolicy,
    Theme,
    ThemeTranslation,
)
from engage.core.clock import local_today
from engage.extensions import db
from tests.factories.users import association, moderator, user  # noqa: F401 - one place

# Statuses as people meet them: "upcoming" is an announced draft, "past_closing" an open
# consultation whose closing day has passed.
STATUSES = ["draft", "upcoming", "open", "past_closing", "closed", "summarized", "archived"]
ROLES = ["anonymous", "unconfirmed", "blocked", "participant", "representative", "moderator",
         "admin"]
WRITERS = {"participant", "representative", "moderator", "admin"}
MANAGERS = {"moderator", "admin"}


def theme(fr: str = "Santé", en: str | None = "Health") -> Theme:
    rows = [ThemeTranslation(language="fr", label=fr)]
    if en:
        rows.append(ThemeTranslation(language="en", label=en))
    item = Theme(translations=rows)
    db.session.add(item)
    db.session.flush()
    return item


TEXTS = {
    "fr": services.ConsultationText("Vivre après un cancer", "Résumé en français",
                                    "Le **texte** en français."),
    "en": services.ConsultationText("Living after cancer", "Summary in English",
                                    "The **text** in English."),
}


def questions_of_every_kind():
    """(kind, required, texts) for the five kinds of questions, in French and English."""
    def texts(fr, en, options=(), low=("", ""), high=("", "")):
        return {
            "fr": services.QuestionText(text=fr, options=[o[0] for o in options],
                                        scale_min_label=low[0], scale_max_label=high[0]),
            "en": services.QuestionText(text=en, options=[o[1] for o in options],
                                        scale_min_label=low[1], scale_max_label=high[1]),
        }

    return [
        ("single_choice", True, texts("Vous êtes ?", "You are?",
                                      [("Patient", "Patient"), ("Proche", "Carer")])),
        ("multiple_choice", False, texts("Difficultés ?", "Difficulties?",
                                         [("Fatigue", "Fatigue"), ("Travail", "Work"),
                                          ("Argent", "Money")])),
        ("scale", True, texts("Importance ?", "Importance?", low=("Faible", "Low"),
                              high=("Forte", "High"))),
        ("ranking", False, texts("Classez", "Rank", [("Sommeil", "Sleep"),
                                                     ("Emploi", "Employment"),
                                                     ("Sport", "Sport")])),
        ("free_text", False, texts("Autre chose ?", "Anything else?")),
    ]


def consultation(status: str = "open", *, audience: str = Audience.EVERYONE,
                 policy: str = ModerationPolicy.POST, with_questions: bool = False,
                 texts=None, themes=(), author: User | None = None) -> Consultation:
    """A consultation in one of STATUSES (moves made by the model methods)."""
    author = author or moderator()
    today = local_today()
    settings = services.ConsultationSettings(
        texts=texts or TEXTS, theme_ids=[t.id for t in themes],
        opens_on=today - timedelta(days=5), closes_on=today + timedelta(days=10),
        audience=audience, moderation_policy=policy, announced=status == "upcoming",
    )
    item, _created = services.create_consultation(author, settings)
    if with_questions:
        for kind, required, question_texts in questions_of_every_kind():
            services.add_question(author, item, kind=kind, required=required,
                                  texts=question_texts)
    if status in ("draft", "upcoming"):
        return item
    item.open(today)
    if status == "past_closing":
        item.closes_on = today - timedelta(days=1)
    for target, move in (("closed", item.close), ("summarized", item.summarize),
                         ("archived", item.archive)):
        if status in STATUSES[STATUSES.index(target):]:
            move()
    db.session.flush()
    assert item.status == {"upcoming": "draft", "past_closing": "open"}.get(status, status)
    return item


def contribution(item: Consultation, author: User, body: str = "Une contribution",
                 **fields) -> Contribution:
    contribution_ = Contribution(consultation_id=item.id, author_id=author.id, body=body,
                                 **fields)
    db.session.add(contribution_)
    db.session.flush()
    return contribution_


def status_is(item: Consultation, status: str) -> bool:
    return item.status == ConsultationStatus(status)
