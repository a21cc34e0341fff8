"""Write operations of lay review: the calls and their rubric.

Each takes an explicit actor, flushes, never commits."""

from datetime import date

from flask_babel import lazy_gettext as _l

from engage.accounts.models import User
from engage.core.clock import local_today
from engage.core.errors import DomainError
from engage.extensions import db
from engage.reviews.models import (
    CallStatus,
    Criterion,
    CriterionTranslation,
    FundingCall,
    FundingCallTranslation,
)
from engage.reviews.services.pool import notify_assigned

# The default rubric: bilingual data, copied into each new call, editable while in draft.
# French puts a non-breaking space (\u00a0) before : ; ? !
DEFAULT_CRITERIA = [
    {
        "fr": ("Pertinence pour les patients et les proches",
               "Le projet répond-il à une question qui compte pour les personnes malades "
               "et leurs proches\u00a0?"),
        "en": ("Relevance to patients and carers",
               "Does the project answer a question that matters to people with cancer and "
               "those close to them?"),
    },
    {
        "fr": ("Bénéfice attendu pour les patients",
               "Qu’est-ce que le projet pourrait changer pour les patients, et quand\u00a0?"),
        "en": ("Expected benefit for patients",
               "What could the project change for patients, and when?"),
    },
    {
        "fr": ("Clarté du résumé en langage clair",
               "Avez-vous compris ce que l’équipe veut faire, pourquoi et comment\u00a0?"),
        "en": ("Clarity of the lay summary",
               "Did you understand what the team wants to do, why and how?"),
    },
    {
        "fr": ("Qualité de l’implication des patients dans le projet",
               "Des patients ou des associations ont-ils participé à la conception du "
               "projet\u00a0? Participeront-ils à sa conduite et au partage des "
               "résultats\u00a0?"),
        "en": ("Quality of patient involvement in the project",
               "Did patients or associations help design the project? Will they take part in "
               "running it and in sharing the results?"),
    },
    {
        "fr": ("Acceptabilité et contraintes pour les participants",
               "Examens, visites, déplacements, questionnaires\u00a0: ce qui est demandé aux "
               "participants est-il raisonnable\u00a0?"),
        "en": ("Acceptability and burden for participants",
               "Tests, visits, travel, questionnaires: is what participants are asked to do "
               "reasonable?"),
    },
    {
        "fr": ("Obstacles à la participation (qui pourrait être laissé de côté)",
               "Langue, handicap, distance, coût, horaires\u00a0: qui risque de ne pas pouvoir "
               "participer\u00a0? Le projet prévoit-il de l’inclure\u00a0?"),
        "en": ("Barriers to taking part (who could be left out)",
               "Language, disability, distance, cost, timing: who might be unable to take "
               "part? Does the project plan to include them?"),
    },
]


def _set_translations(rows, make_row, values: dict[str, tuple], key_fields: tuple[str, ...]):
    """Upsert one row per language with any non-empty value; drop emptied languages."""
    by_language = {row.language: row for row in rows}
    for language, parts in values.items():
        parts = tuple((p or "").strip() for p in parts)
        row = by_language.get(language)
        if not parts[0]:
            if row is not None:
                rows.remove(row)
            continue
        if row is None:
            row = make_row(language)
            rows.append(row)
        for name, value in zip(key_fields, parts, strict=True):
            setattr(row, name, value)
    if not rows:
        raise DomainError(_l("Please write the text in at least one language."))


def _check_dates(review_opens_on: date, review_deadline: date) -> None:
    if review_deadline < review_opens_on:
        raise DomainError(_l("The deadline must come after the opening date."))


def create_call(actor: User, *, texts: dict[str, tuple[str, str]], review_opens_on: date,
                review_deadline: date, reviews_per_application: int = 3) -> FundingCall:
    _check_dates(review_opens_on, review_deadline)
    call = FundingCall(
        review_opens_on=review_opens_on,
        review_deadline=review_deadline,
        reviews_per_application=reviews_per_application,
        created_by_id=actor.id,
    )
    _set_translations(call.translations, lambda lang: FundingCallTranslation(language=lang),
                      texts, ("title", "description"))
    for position, criterion_texts in enumerate(DEFAULT_CRITERIA):
        criterion = Criterion(position=position)
        for language, (label, guidance) in criterion_texts.items():
            criterion.translations.append(
                CriterionTranslation(language=language, label=label, guidance=guidance))
        call.criteria.append(criterion)
    db.session.add(call)
    db.session.flush()
    return call


def update_call(actor: User, call: FundingCall, *, texts: dict[str, tuple[str, str]],
                review_opens_on: date, review_deadline: date,
                reviews_per_application: int) -> None:
    if call.status not in {CallStatus.DRAFT, CallStatus.OPEN}:
        raise DomainError(_l("This call can no longer be changed."))
    _check_dates(review_opens_on, review_deadline)
    _set_translations(call.translations, lambda lang: FundingCallTranslation(language=lang),
                      texts, ("title", "description"))
    call.review_opens_on = review_opens_on
    call.review_deadline = review_deadline
    call.reviews_per_application = reviews_per_application
    db.session.flush()


def _check_rubric_editable(call: FundingCall) -> None:
    if call.status != CallStatus.DRAFT:
        raise DomainError(_l("The rubric can only be changed while the call is a draft."))


def add_criterion(actor: User, call: FundingCall, texts: dict[str, tuple[str, str]]) -> Criterion:
    _check_rubric_editable(call)
    criterion = Criterion(position=max((c.position for c in call.criteria), default=-1) + 1)
    _set_translations(criterion.translations,
                      lambda lang: CriterionTranslation(language=lang), texts,
                      ("label", "guidance"))
    call.criteria.append(criterion)
    db.session.flush()
    return criterion


def update_criterion(actor: User, criterion: Criterion, texts: dict[str, tuple[str, str]]):
    _check_rubric_editable(criterion.call)
    _set_translations(criterion.translations,
                      lambda lang: CriterionTranslation(language=lang), texts,
                      ("label", "guidance"))
    db.session.flush()


def delete_criterion(actor: User, criterion: Criterion) -> None:
    call = criterion.call
    _check_rubric_editable(call)
    if len(call.criteria) <= 1:
        raise DomainError(_l("The rubric needs at least one criterion."))
    call.criteria.remove(criterion)
    for position, remaining in enumerate(call.criteria):
        remaining.position = position
    db.session.flush()


def change_call_status(actor: User, call: FundingCall, action: str,
                       today: date | None = None) -> None:
    if action == "open":
        call.open_for_review(today or local_today())
        reviewers = {a.reviewer for app in call.applications for a in app.active_assignments()}
        for reviewer in sorted(reviewers, key=lambda u: u.id):
            notify_assigned(reviewer, call)
    elif action == "close":
        call.close_review()
    elif action == "decide":
        call.mark_decided()
    else:
        raise DomainError(_l("Unknown action."))
    db.session.flush()
