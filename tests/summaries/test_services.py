"""The summary workflow: draft → in review → published by a second moderator."""

from datetime import date

import pytest
from sqlalchemy import select

from engage.consultations.models import ConsultationFollow, ConsultationStatus
from engage.core.errors import DomainError
from engage.core.outbox import OutboxMessage
from engage.extensions import db
from engage.moderation.models import AuditAction, AuditEntry
from engage.summaries import permissions, services
from engage.summaries.models import Citation, SummaryStatus
from tests.factories import consultations as builders
from tests.factories.summaries import closed_consultation, published, written


def test_start_once_per_closed_consultation(app_context):
    moderator, consultation, _items = closed_consultation()
    summary, created = services.start(moderator, consultation)
    assert created and summary.status == SummaryStatus.DRAFT
    assert sorted(t.language for t in summary.translations) == ["en", "fr"]
    again, created = services.start(builders.user("moderator"), consultation)
    assert again.id == summary.id and not created


@pytest.mark.parametrize("status", ["draft", "open", "past_closing"])
def test_no_summary_before_the_consultation_closes(app_context, status):
    moderator = builders.user("moderator")
    consultation = builders.consultation(status, author=moderator)
    with pytest.raises(DomainError, match="once the consultation is closed"):
        services.start(moderator, consultation)


def test_saving_keeps_revisions_and_citations(app_context):
    moderator, consultation, items = closed_consultation(3)
    summary = written(moderator, consultation, items)
    assert summary.version == 2
    assert len(summary.revisions) == 1 and summary.revisions[0].edited_by_id == moderator.id
    cited = db.session.scalars(select(Citation.contribution_id)).all()
    assert sorted(cited) == sorted([items[0].id, items[1].id])
    assert not services.save(moderator, summary, {"fr": summary.body("fr"),
                                                  "en": summary.body("en")})


def test_a_form_sent_on_an_older_version_is_refused(app_context):
    moderator, consultation, items = closed_consultation()
    summary = written(moderator, consultation, items)
    old = summary.version
    services.save(builders.user("moderator"), summary, {"fr": "Autre", "en": "Other"}, old)
    with pytest.raises(services.StaleSummary, match="changed this summary"):
        services.save(moderator, summary, {"fr": "Mine", "en": "Mine"}, old)
    assert summary.body("en") == "Other"


def test_sending_for_review_needs_every_language(app_context):
    moderator, consultation, items = closed_consultation()
    summary = written(moderator, consultation, items, english=False)
    with pytest.raises(DomainError, match="Missing: English"):
        services.submit(moderator, summary)
    assert summary.status == SummaryStatus.DRAFT


def test_the_author_cannot_approve_their_own_summary(app_context):
    moderator, consultation, items = closed_consultation()
    summary = written(moderator, consultation, items)
    services.submit(moderator, summary)
    assert summary.status == SummaryStatus.IN_REVIEW
    with pytest.raises(DomainError, match="did not write it"):
        services.approve(moderator, summary)
    co_author = builders.user("moderator")
    # Someone who wrote part of it cannot approve either.
    services.return_to_draft(co_author, summary, "Let me add a sentence.")
    services.save(co_author, summary, {"fr": "Texte", "en": "Text"})
    services.submit(moderator, summary)
    with pytest.raises(DomainError, match="did not write it"):
        services.approve(co_author, summary)
    assert not permissions.can_approve(co_author, summary, services.editor_ids(summary))


def test_a_second_moderator_publishes_and_the_consultation_is_summarised(app_context):
    moderator, consultation, items = closed_consultation()
    follower = builders.user("participant", language="fr")
    db.session.add(ConsultationFollow(consultation_id=consultation.id, user_id=follower.id))
    respondent_author = items[0].author
    summary = published(moderator, consultation, items)
    assert summary.status == SummaryStatus.PUBLISHED and summary.published_at
    assert consultation.status == ConsultationStatus.SUMMARIZED
    assert summary.approved_by_id not in services.editor_ids(summary)
    recipients = {m.recipient: m for m in db.session.scalars(select(OutboxMessage))}
    assert follower.email in recipients and recipients[follower.email].language == "fr"
    assert respondent_author.email in recipients  # a contributor who does not follow it
    assert f"/en/summaries/{summary.id}" in recipients[respondent_author.email].body
    actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == [AuditAction.SUMMARY_CREATE, AuditAction.SUMMARY_EDIT,
                       AuditAction.SUMMARY_SUBMIT, AuditAction.SUMMARY_PUBLISH]
    # Published once: approving again is refused, no second email.
    count = len(recipients)
    with pytest.raises(services.StaleSummary, match="already been published"):
        services.approve(builders.user("moderator"), summary)
    assert services.notify_published(summary) == 0
    assert db.session.scalar(select(db.func.count(OutboxMessage.id))) == count


def test_return_to_draft_needs_a_note(app_context):
    moderator, consultation, items = closed_consultation()
    summary = written(moderator, consultation, items)
    services.submit(moderator, summary)
    reviewer = builders.user("moderator")
    with pytest.raises(DomainError, match="what needs changing"):
        services.return_to_draft(reviewer, summary, " ")
    services.return_to_draft(reviewer, summary, "Shorter sentences, please.")
    assert summary.status == SummaryStatus.DRAFT and summary.review_note


def test_published_text_is_fixed_but_the_response_can_be_added(app_context):
    moderator, consultation, items = closed_consultation()
    summary = published(moderator, consultation, items)
    with pytest.raises(DomainError, match="Only a draft"):
        services.save(moderator, summary, {"fr": "x", "en": "y"})
    with pytest.raises(DomainError, match="every language"):
        services.save_response(moderator, summary, {"fr": "Réponse", "en": ""}, date(2026, 1, 2))
    services.save_response(moderator, summary, {"fr": "Réponse", "en": "Response"},
                           date(2026, 1, 2))
    assert summary.has_response and summary.response_on == date(2026, 1, 2)


def test_the_response_waits_for_publication(app_context):
    moderator, consultation, items = closed_consultation()
    summary = written(moderator, consultation, items)
    with pytest.raises(DomainError, match="once the summary is published"):
        services.save_response(moderator, summary, {"fr": "R", "en": "R"}, date(2026, 1, 2))


@pytest.mark.parametrize("role", builders.ROLES)
def test_summary_permissions_per_role_and_status(app_context, role):
    moderator, consultation, items = closed_consultation()
    summary = written(moderator, consultation, items)
    user = builders.user(role)
    manager = role in builders.MANAGERS
    assert permissions.can_view(user, summary) == manager
    assert permissions.can_edit(user, summary) == manager
    assert permissions.can_submit(user, summary) == manager
    assert not permissions.can_approve(user, summary, set())
    services.submit(moderator, summary)
    assert not permissions.can_edit(user, summary)
    assert permissions.can_approve(user, summary, services.editor_ids(summary)) == manager
    assert permissions.can_return(user, summary) == manager
    services.approve(builders.user("moderator"), summary)
    assert permissions.can_view(user, summary)
    assert permissions.can_edit_response(user, summary) == manager
    assert not permissions.can_return(user, summary)
