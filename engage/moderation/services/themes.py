"""Themes given to contributions by the moderators (one at a time or in bulk), merging themes,
and the suggested themes (applied or ignored)."""

import json

from flask import current_app
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, insert, select, update

from engage.consultations.models import Consultation, Contribution, Theme, consultation_themes
from engage.core.db import rows_changed, utcnow
from engage.core.errors import DomainError
from engage.extensions import db
from engage.moderation import permissions, suggestions
from engage.moderation.models import (
    AuditAction,
    AuditEntry,
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


# Themes in bulk

BULK_THEME_ACTIONS = ("add", "replace", "remove")


def _lock_contributions(consultation: Consultation, ids: list[int]) -> list[Contribution]:
    """The contributions, locked in the order of their ids (PostgreSQL; two moderators acting
    on the same ones wait for each other); refused unless all belong to the consultation
    and may be given themes."""
    found = {c.id: c for c in db.session.scalars(
        select(Contribution).where(Contribution.id.in_(ids)).order_by(Contribution.id)
        .with_for_update().execution_options(populate_existing=True))}
    for contribution_id in ids:
        contribution = found.get(contribution_id)
        if contribution is None or contribution.consultation_id != consultation.id \
                or contribution.is_deleted:
            raise DomainError(gettext(
                "Contribution #%(id)d is not a contribution of this consultation, or it was "
                "deleted. Nothing was changed.", id=contribution_id))
    return [found[i] for i in ids]


def _tags(ids: list[int]) -> dict[int, set[int]]:
    tags: dict[int, set[int]] = {i: set() for i in ids}
    for contribution_id, theme_id in db.session.execute(
            select(ContributionTheme.contribution_id, ContributionTheme.theme_id)
            .where(ContributionTheme.contribution_id.in_(ids))):
        tags[contribution_id].add(theme_id)
    return tags


def _check_change(actor, action: str, theme: Theme, replacement: Theme | None,
                  ids: list[int]) -> None:
    _require(permissions.can_manage_themes(actor), _l("Only moderators can manage themes."))
    _require(action in BULK_THEME_ACTIONS, _l("Please choose what to do."))
    _require(bool(ids), _l("Please select at least one contribution."))
    if action == "replace":
        _require(replacement is not None, _l("Please choose the theme that replaces it."))
        _require(replacement is None or replacement.id != theme.id,
                 _l("Please choose two different themes."))


def _wanted(action: str, current: set[int], theme: Theme, replacement: Theme | None) -> set[int]:
    if action == "add":
        return current | {theme.id}
    if theme.id not in current:
        return current
    return (current - {theme.id}) | ({replacement.id} if replacement is not None else set())


def change_themes(actor, consultation: Consultation, contribution_ids: list[int], action: str,
                  theme: Theme, replacement: Theme | None = None) -> int:
    """Give `theme` to contributions of a consultation ("add"), replace it by `replacement`
    ("replace") or take it away ("remove"), whether their author chose it or a moderator
    gave it. One audit entry per contribution that changed; how many changed. A contribution
    of another consultation, or deleted, refuses the whole action. A fixed number of queries
    whatever the number of contributions."""
    ids = sorted(set(contribution_ids))
    _check_change(actor, action, theme, replacement, ids)
    contributions = _lock_contributions(consultation, ids)
    tags = _tags(ids)
    untag: list[int] = []
    changes: list[tuple[Contribution, list[int], list[int]]] = []
    for contribution in contributions:
        current = tags[contribution.id] | ({contribution.theme_id} if contribution.theme_id
                                           else set())
        wanted = _wanted(action, current, theme, replacement)
        if wanted == current:
            continue
        if theme.id in current and theme.id not in wanted:
            if contribution.theme_id == theme.id:
                contribution.theme_id = None  # the author's choice, overruled
            if theme.id in tags[contribution.id]:
                untag.append(contribution.id)
        for theme_id in wanted - current:
            db.session.add(ContributionTheme(contribution_id=contribution.id, theme_id=theme_id,
                                             tagged_by_id=actor.id))
        changes.append((contribution, sorted(current), sorted(wanted)))
    if untag:
        db.session.execute(delete(ContributionTheme).where(
            ContributionTheme.theme_id == theme.id, ContributionTheme.contribution_id.in_(untag)))
    if changes and action != "remove":
        _add_to_consultation(consultation, [replacement or theme])
    _record_tags(actor, consultation, changes)
    db.session.flush()
    return len(changes)


def _record_tags(actor, consultation: Consultation,
                 changes: list[tuple[Contribution, list[int], list[int]]]) -> None:
    """The "themes changed" entries `record` would write, one per contribution, in one
    statement (the ORM would insert them one by one on SQLite)."""
    if not changes:
        return
    now = utcnow()
    db.session.execute(insert(AuditEntry), [
        {"created_at": now, "actor_id": actor.id, "action": AuditAction.TAG,
         "target_type": "contribution", "target_id": contribution.id,
         "container_kind": "consultation", "container_id": consultation.id, "reason": None,
         "note": "", "before": json.dumps({"themes": before}, ensure_ascii=False, sort_keys=True),
         "after": json.dumps({"themes": after}, ensure_ascii=False, sort_keys=True)}
        for contribution, before, after in changes])


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


# Suggested themes: phrases the contributions share (engage.moderation.suggestions)


def _decided(consultation: Consultation, key: str) -> bool:
    return db.session.scalar(
        select(ThemeSuggestion.id).where(ThemeSuggestion.consultation_id == consultation.id,
                                         ThemeSuggestion.key == key)
    ) is not None


def _valid_key(key: str) -> str:
    key = (key or "").strip()
    _require(key.startswith(suggestions.KEY_PREFIX) and len(key) <= 200,
             _l("This suggestion does not exist any more."))
    return key


def _theme_for(actor, phrase: suggestions.Phrase, theme_id: int | None, language: str) -> Theme:
    """The theme chosen, else the theme named like the phrase, else a new one of that name
    (in the language most of its contributions were written in)."""
    from engage.consultations import services as consultation_services

    chosen = theme_id or phrase.theme_id
    if chosen:
        theme = db.session.get(Theme, chosen)
        if theme is None:
            raise DomainError(_l("Please choose a theme from the list."))
        return theme
    code = language
    if phrase.language and phrase.language in current_app.config["LANGUAGES"]:
        code = phrase.language
    return consultation_services.create_theme(actor, {code: phrase.theme_label})


def accept_suggestion(actor, consultation: Consultation, key: str, expected: str, *,
                      theme_id: int | None = None, language: str = "fr") -> tuple[Theme, int]:
    """Give the contributions holding a suggested phrase a theme: the one chosen, else the
    one named like the phrase, created if needed. The contributions are found again by the
    rule (engage.moderation.suggestions), never taken from the form; `expected` is the
    fingerprint of those the moderator saw: if they changed since, nothing is done.
    Returns the theme and how many contributions gained it."""
    _require(permissions.can_manage_themes(actor), _l("Only moderators can manage themes."))
    key = _valid_key(key)
    if _decided(consultation, key):
        raise StaleItem(_l("Another moderator has already handled this suggestion."))
    phrase = suggestions.find(consultation.id, key)
    if phrase is None:
        raise StaleItem(_l("This suggestion does not exist any more: the contributions have "
                           "changed. Nothing was changed."))
    if phrase.digest != expected:
        raise StaleItem(_l("The contributions holding this phrase have changed since you opened "
                           "the page. Nothing was changed: please check the suggestion again."))
    theme = _theme_for(actor, phrase, theme_id, language)
    added = change_themes(actor, consultation, list(phrase.contribution_ids), "add", theme)
    record(actor, AuditAction.ACCEPT_SUGGESTION, target_type="theme", target_id=theme.id,
           container=("consultation", consultation.id), note=key,
           after={"theme": theme.id, "labels": _labels(theme), "contributions": added,
                  "covered": list(phrase.contribution_ids)})
    db.session.flush()
    return theme, added


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
