"""Managing consultations: texts, themes, status, questions and documents.

Plain functions taking an explicit `actor`; they flush, never commit, and raise
DomainError on an invalid move. Participation (answers, contributions, support)
is in `participation.py`, emails in `notifications.py`.
"""

from dataclasses import dataclass, field
from datetime import date

from flask import current_app
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from engage.consultations import permissions
from engage.consultations.models import (
    Audience,
    Consultation,
    ConsultationDocument,
    ConsultationQuestion,
    ConsultationQuestionOption,
    ConsultationQuestionOptionTranslation,
    ConsultationQuestionTranslation,
    ConsultationStatus,
    ConsultationTranslation,
    ModerationPolicy,
    QuestionKind,
    Theme,
    ThemeTranslation,
)
from engage.consultations.models.questionnaire import MAX_OPTIONS
from engage.core import uploads
from engage.core.errors import DomainError
from engage.extensions import db


def _require_manager(actor) -> None:
    if not permissions.can_manage(actor):
        raise DomainError(_l("Only moderators and administrators can manage consultations."))


def configured_languages() -> list[str]:
    return list(current_app.config["LANGUAGES"])


# Themes


def _set_theme_labels(theme: Theme, labels: dict[str, str]) -> None:
    labels = {code: (label or "").strip() for code, label in labels.items()}
    if not any(labels.values()):
        raise DomainError(_l("Please give the theme a name in at least one language."))
    for code, label in labels.items():
        if not label:
            continue
        # Compared here, not by the database: SQLite's lower() leaves "Æ" as it is.
        others = db.session.scalars(
            select(ThemeTranslation.label).where(
                ThemeTranslation.language == code,
                ThemeTranslation.theme_id != (theme.id or 0),
            )
        )
        if any(other.casefold() == label.casefold() for other in others):
            # gettext, not _l: a lazy string's parameters are not escaped in templates.
            raise DomainError(gettext("A theme with this name already exists: %(name)s.",
                                      name=label))
    existing = {t.language: t for t in theme.translations}
    for code, label in labels.items():
        if label and code in existing:
            existing[code].label = label
        elif label:
            theme.translations.append(ThemeTranslation(language=code, label=label))
        elif code in existing:
            theme.translations.remove(existing[code])


def create_theme(actor, labels: dict[str, str]) -> Theme:
    _require_manager(actor)
    theme = Theme()
    _set_theme_labels(theme, labels)
    db.session.add(theme)
    db.session.flush()
    return theme


def update_theme(actor, theme: Theme, labels: dict[str, str]) -> None:
    _require_manager(actor)
    _set_theme_labels(theme, labels)
    db.session.flush()


# Consultations


@dataclass
class ConsultationText:
    title: str = ""
    summary: str = ""
    body: str = ""

    def is_empty(self) -> bool:
        return not (self.title.strip() or self.summary.strip() or self.body.strip())


@dataclass
class ConsultationSettings:
    texts: dict[str, ConsultationText]
    theme_ids: list[int] = field(default_factory=list)
    opens_on: date | None = None
    closes_on: date | None = None
    audience: str = Audience.EVERYONE
    moderation_policy: str = ModerationPolicy.POST
    announced: bool = False


def _check_settings(settings: ConsultationSettings) -> None:
    """Raise on dates in the wrong order or a choice that is not in the lists."""
    if settings.opens_on and settings.closes_on and settings.closes_on < settings.opens_on:
        raise DomainError(_l("The closing date must come after the opening date."))
    if settings.audience not in set(Audience):
        raise DomainError(_l("Please choose an audience from the list."))
    if settings.moderation_policy not in set(ModerationPolicy):
        raise DomainError(_l("Please choose a moderation rule from the list."))


def _check_consultation_texts(texts: dict[str, ConsultationText]) -> None:
    """Raise unless at least one language is written and each written one has a title."""
    used = [text for text in texts.values() if not text.is_empty()]
    if not used:
        raise DomainError(_l("Please write the consultation in at least one language."))
    if any(not text.title.strip() for text in used):
        raise DomainError(_l("Every language used needs a title."))


def _set_consultation_texts(consultation: Consultation,
                            texts: dict[str, ConsultationText]) -> None:
    """One translation per written language; a language left empty loses its translation."""
    existing = {t.language: t for t in consultation.translations}
    for code, text in texts.items():
        row = existing.get(code)
        if text.is_empty():
            if row is not None:
                consultation.translations.remove(row)
            continue
        if row is None:
            row = ConsultationTranslation(language=code)
            consultation.translations.append(row)
        row.title = text.title.strip()
        row.summary = text.summary.strip()
        row.body = text.body.strip()


def _chosen_themes(theme_ids: list[int]) -> list[Theme]:
    """The themes with these ids, in id order; raise if one of them does not exist."""
    if not theme_ids:
        return []
    themes = list(db.session.scalars(
        select(Theme).where(Theme.id.in_(theme_ids)).order_by(Theme.id)
    ))
    if len(themes) != len(set(theme_ids)):
        raise DomainError(_l("Please choose themes from the list."))
    return themes


def _apply_settings(consultation: Consultation, settings: ConsultationSettings) -> None:
    _check_settings(settings)
    _check_consultation_texts(settings.texts)
    _set_consultation_texts(consultation, settings.texts)
    consultation.themes = _chosen_themes(settings.theme_ids)
    consultation.opens_on = settings.opens_on
    consultation.closes_on = settings.closes_on
    consultation.audience = settings.audience
    consultation.moderation_policy = settings.moderation_policy
    if consultation.status == ConsultationStatus.DRAFT:
        consultation.announced = bool(settings.announced)


def find_by_key(model, submission_key: str | None):
    """The row a form with this submission key created, if any."""
    if not submission_key:
        return None
    return db.session.scalar(select(model).where(model.submission_key == submission_key))


def create_consultation(actor, settings: ConsultationSettings,
                        submission_key: str | None = None) -> tuple[Consultation, bool]:
    """A new draft; (consultation, created). A replayed form returns the first one."""
    _require_manager(actor)
    existing = find_by_key(Consultation, submission_key)
    if existing is not None:
        return existing, False
    consultation = Consultation(
        status=ConsultationStatus.DRAFT, created_by_id=actor.id, submission_key=submission_key
    )
    _apply_settings(consultation, settings)
    db.session.add(consultation)
    db.session.flush()
    return consultation, True


def update_consultation(actor, consultation: Consultation, settings: ConsultationSettings) -> None:
    if not permissions.can_edit(actor, consultation):
        raise DomainError(_l("This consultation can no longer be edited."))
    _apply_settings(consultation, settings)
    db.session.flush()


def change_status(actor, consultation: Consultation, target: str,
                  today: date | None = None) -> None:
    """Make one allowed move; followers are told when it opens."""
    _require_manager(actor)
    was_draft = consultation.status == ConsultationStatus.DRAFT
    consultation.move_to(target, today)
    db.session.flush()
    if was_draft and consultation.status == ConsultationStatus.OPEN:
        from engage.consultations.notifications import notify_opened

        notify_opened(consultation)


# Questions


@dataclass
class QuestionText:
    text: str = ""
    hint: str = ""
    scale_min_label: str = ""
    scale_max_label: str = ""
    options: list[str] = field(default_factory=list)


def _clean_options(lines: list[str]) -> list[str]:
    return [line.strip() for line in lines if line and line.strip()]


def _question_kind(kind: str) -> QuestionKind:
    try:
        return QuestionKind(kind)
    except ValueError:
        raise DomainError(_l("Please choose a type of question from the list.")) from None


def _check_option_counts(option_lists: dict[str, list[str]]) -> None:
    """Raise unless every language lists the same number of options, within the limits."""
    counts = {len(options) for options in option_lists.values()}
    if len(counts) != 1:
        raise DomainError(_l("Give the same number of options in every language."))
    count = counts.pop()
    if count < 2:
        raise DomainError(_l("Give at least two options, one per line."))
    if count > MAX_OPTIONS:
        raise DomainError(_l("Give at most %(max)d options.", max=MAX_OPTIONS))


def _set_question_text(row: ConsultationQuestionTranslation, text: QuestionText,
                       kind: QuestionKind) -> None:
    row.text = text.text.strip()
    row.hint = text.hint.strip()
    # Only a scale shows end labels; other kinds drop any left from an earlier kind.
    scale = kind == QuestionKind.SCALE
    row.scale_min_label = text.scale_min_label.strip() if scale else ""
    row.scale_max_label = text.scale_max_label.strip() if scale else ""


def _set_question_texts(question: ConsultationQuestion, kind: QuestionKind,
                        texts: dict[str, QuestionText], used: set[str]) -> None:
    """One translation per used language; the other languages lose theirs."""
    existing = {t.language: t for t in question.translations}
    for code, text in texts.items():
        row = existing.get(code)
        if code not in used:
            if row is not None:
                question.translations.remove(row)
            continue
        if row is None:
            row = ConsultationQuestionTranslation(language=code)
            question.translations.append(row)
        _set_question_text(row, text, kind)


def _replace_options(question: ConsultationQuestion, option_lists: dict[str, list[str]]) -> None:
    # Options are replaced: questions change only in drafts, which have no answers.
    question.options.clear()
    for position in range(len(next(iter(option_lists.values())))):
        option = ConsultationQuestionOption(position=position)
        for code, options in option_lists.items():
            option.translations.append(
                ConsultationQuestionOptionTranslation(language=code, label=options[position])
            )
        question.options.append(option)


def _apply_question(question: ConsultationQuestion, kind: str, required: bool,
                    texts: dict[str, QuestionText]) -> None:
    kind = _question_kind(kind)
    used = {code: text for code, text in texts.items() if text.text.strip()}
    if not used:
        raise DomainError(_l("Please write the question in at least one language."))
    option_lists = {code: _clean_options(text.options) for code, text in used.items()}
    if kind.has_options:
        _check_option_counts(option_lists)
    question.kind = kind
    question.required = bool(required)
    _set_question_texts(question, kind, texts, set(used))
    if kind.has_options:
        _replace_options(question, option_lists)
    else:
        question.options.clear()


def _require_question_editing(actor, consultation: Consultation) -> None:
    _require_manager(actor)
    if not permissions.can_edit_questions(actor, consultation):
        raise DomainError(_l("Questions can only be changed while the consultation is a draft."))


def add_question(actor, consultation: Consultation, *, kind: str, required: bool,
                 texts: dict[str, QuestionText],
                 submission_key: str | None = None) -> tuple[ConsultationQuestion, bool]:
    _require_question_editing(actor, consultation)
    existing = find_by_key(ConsultationQuestion, submission_key)
    if existing is not None:
        return existing, False
    position = max((q.position for q in consultation.questions), default=-1) + 1
    question = ConsultationQuestion(position=position, submission_key=submission_key)
    _apply_question(question, kind, required, texts)
    consultation.questions.append(question)
    db.session.flush()
    return question, True


def update_question(actor, question: ConsultationQuestion, *, kind: str, required: bool,
                    texts: dict[str, QuestionText]) -> None:
    _require_question_editing(actor, question.consultation)
    _apply_question(question, kind, required, texts)
    db.session.flush()


def delete_question(actor, question: ConsultationQuestion) -> None:
    consultation = question.consultation
    _require_question_editing(actor, consultation)
    consultation.questions.remove(question)
    db.session.flush()
    for position, remaining in enumerate(consultation.questions):
        remaining.position = position


def move_question(actor, question: ConsultationQuestion, direction: str) -> None:
    consultation = question.consultation
    _require_question_editing(actor, consultation)
    questions = list(consultation.questions)
    index = questions.index(question)
    other = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down") or not 0 <= other < len(questions):
        raise DomainError(_l("This question cannot move further."))
    questions[index], questions[other] = questions[other], questions[index]
    for position, item in enumerate(questions):
        item.position = position
    consultation.questions.sort(key=lambda q: q.position)
    db.session.flush()


# Documents


def add_document(actor, consultation: Consultation, *, title: str, language: str | None,
                 file_storage,
                 submission_key: str | None = None) -> tuple[ConsultationDocument, bool]:
    if not permissions.can_edit(actor, consultation):
        raise DomainError(_l("This consultation can no longer be edited."))
    existing = find_by_key(ConsultationDocument, submission_key)
    if existing is not None:
        return existing, False
    title = (title or "").strip()
    if not title:
        raise DomainError(_l("Please give the document a title."))
    stored = uploads.DOCUMENTS.store(file_storage)
    # The file is removed again if the transaction does not commit.
    db.session.info.setdefault(_FILES_CREATED, []).append(stored.stored_name)
    document = ConsultationDocument(
        title=title[:200],
        language=language or None,
        original_name=stored.original_name,
        stored_name=stored.stored_name,
        size=stored.size,
        uploaded_by_id=actor.id,
        submission_key=submission_key,
    )
    consultation.documents.append(document)
    db.session.flush()
    return document, True


def delete_document(actor, document: ConsultationDocument) -> None:
    """Remove the row now; the file goes once the transaction is committed."""
    if not permissions.can_edit(actor, document.consultation):
        raise DomainError(_l("This consultation can no longer be edited."))
    stored_name = document.stored_name
    document.consultation.documents.remove(document)
    db.session.flush()
    _delete_after_commit(stored_name)


def _delete_after_commit(stored_name: str) -> None:
    db.session.info.setdefault(_FILES_TO_DELETE, []).append(stored_name)


# Files follow the transaction: removed documents lose their file once the removal is
# committed; files stored for a transaction that rolls back are deleted.
_FILES_TO_DELETE = "consultations_files_to_delete"
_FILES_CREATED = "consultations_files_created"


@event.listens_for(Session, "after_commit")
def _after_commit(session) -> None:
    session.info.pop(_FILES_CREATED, None)
    for stored_name in session.info.pop(_FILES_TO_DELETE, []):
        uploads.DOCUMENTS.delete(stored_name)


@event.listens_for(Session, "after_rollback")
def _after_rollback(session) -> None:
    session.info.pop(_FILES_TO_DELETE, None)
    for stored_name in session.info.pop(_FILES_CREATED, []):
        uploads.DOCUMENTS.delete(stored_name)
