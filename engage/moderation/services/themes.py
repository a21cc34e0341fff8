"""Themes given to contributions by the moderators, merging themes, and the suggested
themes (accepted or ignored)."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, insert, select, update

from engage.consultations.models import Consultation, Contribution, Theme, consultation_themes
from engage.core.db import rows_changed
from engage.core.errors import DomainError
from engage.extensions import db
from engage.moderation import permissions
from engage.moderation.models import (
    AuditAction,
    ContributionTheme,
    SuggestionDecision,
    ThemeSuggestion,
)
from engage.moderation.services.audit import record
from engage.moderation.services.checks import StaleItem, _require


def themes_of(contribution: Contribution) -> list[int]:
    """The themes of a contribution: its author's choice and the moderators' tags."""
    tagged = list(db.session.scalars(
        select(ContributionTheme.theme_id)
        .where(ContributionTheme.contribution_id == contribution.id)
    ))
    chosen = [contribution.theme_id] if contribution.theme_id else []
    return sorted(set(chosen + tagged))


def _add_to_consultation(consultation: Consultation, themes: list[Theme]) -> None:
    present = {t.id for t in consultation.themes}
    for theme in themes:
        if theme.id not in present:
            consultation.themes.append(theme)


def set_themes(actor, contribution: Contribution, theme_ids: list[int]) -> bool:
    """Give a contribution exactly these themes; False when nothing changed."""
    _require(permissions.can_tag(actor, contribution), _l("This contribution cannot be tagged."))
    wanted = sorted(set(theme_ids))
    themes = list(db.session.scalars(select(Theme).where(Theme.id.in_(wanted)))) \
        if wanted else []
    _require(len(themes) == len(wanted), _l("Please choose themes from the list."))
    before = themes_of(contribution)
    if before == wanted:
        return False
    if contribution.theme_id and contribution.theme_id not in wanted:
        contribution.theme_id = None
    db.session.execute(delete(ContributionTheme)
                       .where(ContributionTheme.contribution_id == contribution.id))
    for theme_id in wanted:
        if theme_id != contribution.theme_id:
            db.session.add(ContributionTheme(contribution_id=contribution.id, theme_id=theme_id,
                                             tagged_by_id=actor.id))
    _add_to_consultation(contribution.consultation, themes)
    db.session.flush()
    record(actor, AuditAction.TAG, target_type="contribution", target_id=contribution.id,
           container=("consultation", contribution.consultation_id),
           before={"themes": before}, after={"themes": wanted})
    return True


def tag_many(actor, consultation: Consultation, contribution_ids: list[int], theme: Theme) -> int:
    """Add one theme to several contributions of a consultation; how many gained it."""
    contributions = list(db.session.scalars(
        select(Contribution).where(Contribution.id.in_(contribution_ids),
                                   Contribution.consultation_id == consultation.id)
    )) if contribution_ids else []
    added = 0
    for contribution in contributions:
        current = themes_of(contribution)
        if theme.id not in current:
            set_themes(actor, contribution, [*current, theme.id])
            added += 1
    _add_to_consultation(consultation, [theme])
    db.session.flush()
    return added


def _labels(theme: Theme) -> dict[str, str]:
    return {t.language: t.label for t in theme.translations}


def merge_themes(actor, source: Theme, target: Theme) -> None:
    """Everything tagged with `source` gets `target`; `source` disappears."""
    _require(permissions.can_manage_themes(actor), _l("Only moderators can merge themes."))
    _require(source.id != target.id, _l("Please choose two different themes."))
    before = {"source": source.id, "source_labels": _labels(source), "target": target.id}
    already = select(ContributionTheme.contribution_id).where(
        ContributionTheme.theme_id == target.id).scalar_subquery()
    db.session.execute(delete(ContributionTheme).where(
        ContributionTheme.theme_id == source.id, ContributionTheme.contribution_id.in_(already)))
    db.session.execute(update(ContributionTheme).where(ContributionTheme.theme_id == source.id)
                       .values(theme_id=target.id)
                       .execution_options(synchronize_session=False))
    moved = rows_changed(db.session.execute(
        update(Contribution).where(Contribution.theme_id == source.id)
        .values(theme_id=target.id).execution_options(synchronize_session=False)
    )) or 0
    # A contribution tagged with the target that its author filed under the source theme.
    db.session.execute(delete(ContributionTheme).where(
        ContributionTheme.theme_id == target.id,
        ContributionTheme.contribution_id.in_(
            select(Contribution.id).where(Contribution.theme_id == target.id))))
    have_target = select(consultation_themes.c.consultation_id).where(
        consultation_themes.c.theme_id == target.id).scalar_subquery()
    missing: list[int] = list(db.session.scalars(
        select(consultation_themes.c.consultation_id).where(
            consultation_themes.c.theme_id == source.id,
            consultation_themes.c.consultation_id.not_in(have_target))))
    if missing:
        db.session.execute(insert(consultation_themes),
                           [{"consultation_id": cid, "theme_id": target.id} for cid in missing])
    db.session.execute(delete(consultation_themes)
                       .where(consultation_themes.c.theme_id == source.id))
    db.session.flush()
    db.session.expire_all()
    source = db.session.get_one(Theme, before["source"])
    db.session.delete(source)
    db.session.flush()
    record(actor, AuditAction.MERGE_THEMES, target_type="theme", target_id=target.id,
           before=before, after={"target": target.id, "target_labels": _labels(target),
                                 "contributions_moved": moved})


# Suggested themes


def _decided(consultation: Consultation, key: str) -> bool:
    return db.session.scalar(
        select(ThemeSuggestion.id).where(ThemeSuggestion.consultation_id == consultation.id,
                                         ThemeSuggestion.key == key)
    ) is not None


def _valid_key(key: str) -> str:
    key = (key or "").strip()
    _require(key.startswith(("keyword:", "group:")) and len(key) <= 200,
             _l("This suggestion does not exist any more."))
    return key


def accept_suggestion(actor, consultation: Consultation, key: str, contribution_ids: list[int],
                      *, theme_id: int | None = None,
                      labels: dict[str, str] | None = None) -> Theme:
    """Give the suggestion's contributions an existing theme, or a new one named `labels`."""
    from engage.consultations import services as consultation_services

    _require(permissions.can_manage_themes(actor), _l("Only moderators can manage themes."))
    key = _valid_key(key)
    if _decided(consultation, key):
        raise StaleItem(_l("Another moderator has already handled this suggestion."))
    if theme_id:
        theme = db.session.get(Theme, theme_id)
        if theme is None:
            raise DomainError(_l("Please choose themes from the list."))
    else:
        theme = consultation_services.create_theme(actor, labels or {})
    added = tag_many(actor, consultation, contribution_ids, theme)
    db.session.add(ThemeSuggestion(consultation_id=consultation.id, key=key,
                                   decision=SuggestionDecision.ACCEPTED,
                                   decided_by_id=actor.id))
    db.session.flush()
    record(actor, AuditAction.ACCEPT_SUGGESTION, target_type="theme", target_id=theme.id,
           container=("consultation", consultation.id), note=key,
           after={"theme": theme.id, "labels": _labels(theme), "contributions": added})
    return theme


def ignore_suggestion(actor, consultation: Consultation, key: str) -> None:
    _require(permissions.can_manage_themes(actor), _l("Only moderators can manage themes."))
    key = _valid_key(key)
    if _decided(consultation, key):
        raise StaleItem(_l("Another moderator has already handled this suggestion."))
    db.session.add(ThemeSuggestion(consultation_id=consultation.id, key=key,
                                   decision=SuggestionDecision.IGNORED, decided_by_id=actor.id))
    db.session.flush()
    record(actor, AuditAction.IGNORE_SUGGESTION, target_type="consultation",
           target_id=consultation.id, container=("consultation", consultation.id), note=key)
