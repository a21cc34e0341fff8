"""Moderation actions: state moves, reports, the audit log, emails, concurrency, themes."""

import json

import pytest
from sqlalchemy import select

from engage.consultations.models import ContributionRevision, Theme
from engage.core.errors import DomainError
from engage.core.moderated import (
    AUTO_HIDE_REASON,
    ModerationStatus,
    Report,
    ReportStatus,
    file_report,
)
from engage.core.outbox import OutboxMessage
from engage.extensions import db
from engage.moderation import services
from engage.moderation.models import AuditAction, AuditEntry, ContributionTheme
from tests.factories import consultations as builders
from tests.factories.moderation import reported


@pytest.fixture
def setting(app_context):
    moderator = builders.user("moderator")
    author = builders.user("participant", language="fr")
    consultation = builders.consultation("open", author=moderator)
    item = builders.contribution(consultation, author, "Un texte avec un passage privé.",
                                 language="fr")
    return moderator, author, consultation, item


def entries(action=None):
    statement = select(AuditEntry).order_by(AuditEntry.id)
    if action:
        statement = statement.where(AuditEntry.action == action)
    return db.session.scalars(statement).all()


def emails_to(address):
    return db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == address)
                              .order_by(OutboxMessage.id)).all()


def test_approve_a_pending_item_tells_the_author_in_their_language(setting):
    moderator, author, _consultation, item = setting
    item.moderation_status = ModerationStatus.PENDING
    db.session.flush()
    services.approve(moderator, item)
    assert item.moderation_status == ModerationStatus.PUBLISHED
    assert item.moderated_by_id == moderator.id
    [entry] = entries(AuditAction.APPROVE)
    assert entry.actor_id == moderator.id
    assert entry.before_data["status"] == "pending" and entry.after_data["status"] == "published"
    assert entry.container_kind == "consultation"
    [message] = emails_to(author.email)
    assert message.language == "fr"


def test_approve_refuses_a_published_item(setting):
    moderator, _author, _consultation, item = setting
    with pytest.raises(DomainError, match="not awaiting moderation"):
        services.approve(moderator, item)
    assert entries() == []


def test_hide_with_a_reason_upholds_the_reports_and_tells_the_author(setting):
    moderator, author, _consultation, item = setting
    reported(item, 2, "health_data")
    services.hide(moderator, item, "health_data", "Please do not name your hospital.")
    assert item.moderation_status == ModerationStatus.HIDDEN
    assert item.hidden_reason == "health_data"
    assert item.moderation_note == "Please do not name your hospital."
    assert item.open_report_count == 0
    statuses = db.session.scalars(select(Report.status)).all()
    assert statuses == [ReportStatus.UPHELD, ReportStatus.UPHELD]
    [entry] = entries(AuditAction.HIDE)
    assert entry.reason == "health_data" and entry.note == "Please do not name your hospital."
    assert entry.after_data["reports_upheld"] == 2
    [message] = emails_to(author.email)
    assert message.language == "fr"
    assert "Please do not name your hospital." in message.body


@pytest.mark.parametrize("reason", ["", "rude", None])
def test_hide_needs_a_reason_from_the_list(setting, reason):
    moderator, _author, _consultation, item = setting
    with pytest.raises(DomainError, match="reason from the list"):
        services.hide(moderator, item, reason)
    assert item.moderation_status == ModerationStatus.PUBLISHED


def test_hide_twice_is_refused(setting):
    moderator, _author, _consultation, item = setting
    services.hide(moderator, item, "spam")
    with pytest.raises(DomainError, match="already hidden"):
        services.hide(moderator, item, "spam")
    assert len(entries(AuditAction.HIDE)) == 1


def test_restore_dismisses_open_reports(setting):
    moderator, _author, _consultation, item = setting
    services.hide(moderator, item, "spam")
    services.restore(moderator, item)
    assert item.moderation_status == ModerationStatus.PUBLISHED and item.hidden_reason is None
    with pytest.raises(DomainError, match="not hidden"):
        services.restore(moderator, item)


def test_reports_from_three_people_hide_the_item_and_alert_moderators(setting, app):
    moderator, _author, _consultation, item = setting
    reported(item, 2)
    assert item.moderation_status == ModerationStatus.PUBLISHED
    reported(item, 1)
    assert item.moderation_status == ModerationStatus.HIDDEN
    assert item.hidden_reason == AUTO_HIDE_REASON
    [entry] = entries(AuditAction.AUTO_HIDE)
    assert entry.actor_id is None
    [alert] = emails_to(moderator.email)
    assert "/moderation/items/contribution/" in alert.body


def test_the_threshold_is_configurable(setting, app, monkeypatch):
    monkeypatch.setitem(app.config, "MODERATION_REPORT_THRESHOLD", 1)
    _moderator, _author, _consultation, item = setting
    reported(item, 1)
    assert item.moderation_status == ModerationStatus.HIDDEN


def test_the_same_person_reporting_twice_counts_once(setting):
    _moderator, _author, _consultation, item = setting
    reporter = builders.user("participant")
    file_report(reporter, item, "spam")
    with pytest.raises(DomainError, match="already reported"):
        file_report(reporter, item, "spam")
    assert item.open_report_count == 1


def test_dismissing_reports_publishes_an_item_hidden_by_them(setting):
    moderator, author, _consultation, item = setting
    reported(item, 3)
    services.dismiss_reports(moderator, item)
    assert item.moderation_status == ModerationStatus.PUBLISHED
    assert item.open_report_count == 0
    assert set(db.session.scalars(select(Report.status))) == {ReportStatus.DISMISSED}
    with pytest.raises(DomainError, match="no open reports"):
        services.dismiss_reports(moderator, item)
    assert any("visible" in m.body or "visible" in m.subject for m in emails_to(author.email))


def test_a_moderator_can_confirm_an_item_hidden_by_reports(setting):
    moderator, _author, _consultation, item = setting
    reported(item, 3)
    services.hide(moderator, item, "offensive", "")
    assert item.hidden_reason == "offensive"
    assert item.open_report_count == 0


def test_redact_keeps_the_original_only_in_the_audit_log(setting):
    moderator, author, _consultation, item = setting
    item.revisions.append(ContributionRevision(body="Brouillon avec un passage privé aussi.",
                                               edited_by_id=author.id))
    reported(item, 1, "health_data")
    db.session.flush()
    redacted = services.redact(moderator, item, "un passage privé", "health_data",
                               "Votre hôpital a été retiré.")
    assert redacted == "Un texte avec [passage supprimé par la modération]."
    assert item.body == redacted
    assert "passage privé" not in item.revisions[0].body
    assert "passage privé" not in item.search_text
    [entry] = entries(AuditAction.REDACT)
    assert entry.before_data["text"] == "Un texte avec un passage privé."
    assert entry.after_data["text"] == redacted
    assert entry.after_data["reports_upheld"] == 1
    [message] = emails_to(author.email)
    assert message.language == "fr"


def test_redacting_an_english_text_uses_the_english_marker(setting):
    moderator, _author, consultation, _item = setting
    item = builders.contribution(consultation, builders.user("participant"),
                                 "I am treated at Saint-Louis. Trials are far.", language="en")
    services.redact(moderator, item, "I am treated at Saint-Louis.\n", "health_data")
    assert item.body == "[passage removed by moderation] Trials are far."


@pytest.mark.parametrize(("passages", "message"), [
    ("", "select or type the passage"),
    ("not in the text", "not in the text"),
])
def test_redact_bad_input(setting, passages, message):
    moderator, _author, _consultation, item = setting
    with pytest.raises(DomainError, match=message):
        services.redact(moderator, item, passages, "health_data")
    assert item.body == "Un texte avec un passage privé."
    assert entries() == []


def test_an_action_on_an_item_changed_since_it_was_shown_is_refused(setting):
    moderator, _author, _consultation, item = setting
    other = builders.user("moderator")
    seen = services.item_state(item)
    services.hide(other, item, "spam", "", seen)
    with pytest.raises(services.StaleItem, match="already handled"):
        services.hide(moderator, item, "offensive", "", seen)
    with pytest.raises(services.StaleItem):
        services.restore(moderator, item, seen)
    assert item.hidden_reason == "spam"
    assert len(entries()) == 1


def test_item_state_survives_a_round_trip_to_the_database(setting):
    moderator, _author, _consultation, item = setting
    services.hide(moderator, item, "spam")
    db.session.commit()
    before = services.item_state(item)
    db.session.expire_all()
    assert services.item_state(db.session.get(type(item), item.id)) == before


def test_bulk_does_each_item_and_reports_the_ones_already_handled(setting):
    moderator, author, consultation, item = setting
    second = builders.contribution(consultation, author, "Second")
    third = builders.contribution(consultation, author, "Third")
    states = {f"contribution:{i.id}": services.item_state(i) for i in (item, second, third)}
    services.hide(builders.user("moderator"), second, "spam")
    result = services.bulk(moderator, list(states), "hide", reason="off_topic", states=states)
    assert result.done == 2
    assert len(result.refused) == 1 and f"#{second.id}" in result.refused[0]
    assert item.hidden_reason == third.hidden_reason == "off_topic"
    assert second.hidden_reason == "spam"


def test_bulk_needs_an_action_and_items(setting):
    moderator, *_ = setting
    with pytest.raises(DomainError, match="choose what to do"):
        services.bulk(moderator, ["contribution:1"], "delete")
    with pytest.raises(DomainError, match="at least one item"):
        services.bulk(moderator, [], "approve")
    with pytest.raises(DomainError, match="reason"):
        services.bulk(moderator, ["contribution:1"], "hide", reason="")


def test_block_and_unblock_an_author(setting):
    moderator, author, _consultation, _item = setting
    services.block(moderator, author, "Repeated insults.")
    assert author.is_blocked and not author.can_write
    assert author.blocked_reason == "Repeated insults."
    with pytest.raises(services.StaleItem, match="already blocked"):
        services.block(moderator, author, "Again")
    services.unblock(moderator, author)
    assert not author.is_blocked and author.can_write
    actions = [e.action for e in entries()]
    assert actions == [AuditAction.BLOCK, AuditAction.UNBLOCK]
    assert len(emails_to(author.email)) == 2


def test_block_needs_a_reason_and_spares_moderators(setting):
    moderator, author, *_ = setting
    with pytest.raises(DomainError, match="why"):
        services.block(moderator, author, "  ")
    with pytest.raises(DomainError, match="cannot block"):
        services.block(moderator, builders.user("moderator"), "No")
    with pytest.raises(DomainError, match="cannot block"):
        services.block(moderator, moderator, "No")


def test_audit_entries_cannot_be_changed_or_deleted(setting):
    moderator, _author, _consultation, item = setting
    services.hide(moderator, item, "spam")
    db.session.commit()
    [entry] = entries()
    entry.note = "changed"
    with pytest.raises(DomainError, match="cannot be changed"):
        db.session.flush()
    db.session.rollback()
    [entry] = entries()
    db.session.delete(entry)
    with pytest.raises(DomainError, match="cannot be deleted"):
        db.session.flush()
    db.session.rollback()
    assert entries()[0].note == ""


# Themes


def test_tag_a_contribution_with_several_themes(setting):
    moderator, _author, consultation, item = setting
    work, fatigue = builders.theme("Travail", "Work"), builders.theme("Fatigue", "Fatigue")
    item.theme_id = work.id
    db.session.flush()
    assert services.set_themes(moderator, item, [work.id, fatigue.id])
    assert services.themes_of(item) == sorted([work.id, fatigue.id])
    assert fatigue in consultation.themes
    assert not services.set_themes(moderator, item, [fatigue.id, work.id])
    services.set_themes(moderator, item, [fatigue.id])
    assert item.theme_id is None and services.themes_of(item) == [fatigue.id]
    [_first, second] = entries(AuditAction.TAG)
    assert second.before_data["themes"] == sorted([work.id, fatigue.id])
    with pytest.raises(DomainError, match="from the list"):
        services.set_themes(moderator, item, [999999])


def test_merge_themes_moves_everything_to_the_target(setting):
    moderator, author, consultation, item = setting
    source, target = builders.theme("Emploi", "Employment"), builders.theme("Travail", "Work")
    consultation.themes.append(source)
    other = builders.contribution(consultation, author, "Other", theme_id=source.id)
    both = builders.contribution(consultation, author, "Both")
    services.set_themes(moderator, item, [source.id])
    services.set_themes(moderator, both, [source.id, target.id])
    source_id, target_id = source.id, target.id
    services.merge_themes(moderator, source, target)
    assert db.session.get(Theme, source_id) is None
    assert other.theme_id == target_id
    for contribution in (item, both):
        assert services.themes_of(contribution) == [target_id]
    assert [t.id for t in consultation.themes] == [target_id]
    assert db.session.scalars(select(ContributionTheme.theme_id)).all() == [target_id] * 2
    [entry] = entries(AuditAction.MERGE_THEMES)
    assert entry.before_data["source_labels"] == {"en": "Employment", "fr": "Emploi"}
    with pytest.raises(DomainError, match="two different"):
        services.merge_themes(moderator, target, target)


def test_apply_and_ignore_suggested_phrases_once(setting):
    from engage.moderation.suggestions import digest

    moderator, author, consultation, item = setting
    first = builders.contribution(consultation, author, "La fatigue chronique m’épuise.")
    second = builders.contribution(consultation, author, "Une Fatigue chronique, encore.")
    theme, added = services.accept_suggestion(moderator, consultation, "phrase:fatigue chronique",
                                              digest([first.id, second.id]))
    assert added == 2 and theme.label("fr") == "Fatigue chronique"
    assert services.themes_of(first) == services.themes_of(second) == [theme.id]
    assert services.themes_of(item) == []
    services.ignore_suggestion(moderator, consultation, "phrase:fatigue chronique")
    with pytest.raises(services.StaleItem, match="already handled"):
        services.ignore_suggestion(moderator, consultation, "phrase:fatigue chronique")
    with pytest.raises(DomainError, match="does not exist"):
        services.ignore_suggestion(moderator, consultation, "keyword:fatigue")
    [entry] = entries(AuditAction.ACCEPT_SUGGESTION)
    assert json.loads(entry.after)["contributions"] == 2


def test_applying_a_suggestion_can_use_an_existing_theme(setting):
    from engage.moderation.suggestions import digest

    moderator, author, consultation, item = setting
    work = builders.theme("Travail", "Work")
    both = [builders.contribution(consultation, author, text).id
            for text in ("Le retour au travail.", "Mon retour au travail, enfin.")]
    theme, added = services.accept_suggestion(moderator, consultation, "phrase:retour au travail",
                                              digest(both), theme_id=work.id)
    assert theme.id == work.id and added == 2
    assert services.themes_of(item) == []
