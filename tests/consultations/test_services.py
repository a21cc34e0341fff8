"""Services: what each kind of user can do in each status, and the rules of each action."""

from datetime import timedelta

import pytest
from werkzeug.datastructures import MultiDict

from engage.consultations import participation, services
from engage.consultations.models import (
    Audience,
    ConsultationResponse,
    ConsultationStatus,
    Contribution,
    ContributionRevision,
    ContributionSupport,
    ModerationPolicy,
)
from engage.core.clock import local_today
from engage.core.errors import DomainError
from engage.core.moderated import ModerationStatus, Report
from engage.extensions import db
from tests.factories import consultations as builders
from tests.factories.consultations import MANAGERS, ROLES, STATUSES, WRITERS
from tests.helpers import count

MATRIX = [(role, status) for role in ROLES for status in STATUSES]


def complete_answers(item) -> MultiDict:
    single, multiple, scale, ranking, free = item.questions
    data = MultiDict({
        f"q{single.id}": str(single.options[0].id),
        f"q{scale.id}": "4",
        f"q{free.id}": "Plus de soutien psychologique.",
    })
    data.add(f"q{multiple.id}", str(multiple.options[0].id))
    data.add(f"q{multiple.id}", str(multiple.options[2].id))
    for rank, option in enumerate(ranking.options, start=1):
        data[f"q{ranking.id}-{option.id}"] = str(rank)
    return data


# Every status × every kind of user


@pytest.mark.parametrize(("role", "status"), MATRIX)
def test_contributing(app_context, role, status):
    item = builders.consultation(status)
    actor = builders.user(role)
    if role in WRITERS and status == "open":
        contribution, created = participation.post_contribution(actor, item, "Mon avis")
        assert created and contribution.is_visible
        assert count(Contribution) == 1
    else:
        with pytest.raises(DomainError):
            participation.post_contribution(actor, item, "Mon avis")
        assert count(Contribution) == 0


@pytest.mark.parametrize(("role", "status"), MATRIX)
def test_answering(app_context, role, status):
    item = builders.consultation(status, with_questions=True)
    actor = builders.user(role)
    answers = complete_answers(item)
    if role in WRITERS and status == "open":
        response = participation.save_response(actor, item, answers, submit=True)
        assert response.is_submitted and len(response.answers) == 8
    else:
        with pytest.raises(DomainError):
            participation.save_response(actor, item, answers, submit=True)
        assert count(ConsultationResponse) == 0


@pytest.mark.parametrize(("role", "status"), MATRIX)
def test_supporting(app_context, role, status):
    item = builders.consultation(status)
    contribution = builders.contribution(item, builders.user())
    actor = builders.user(role)
    if role in WRITERS and status == "open":
        assert participation.support(actor, contribution)
        assert contribution.support_count == 1
    else:
        with pytest.raises(DomainError):
            participation.support(actor, contribution)
        assert count(ContributionSupport) == 0


@pytest.mark.parametrize(("role", "status"), MATRIX)
def test_reporting(app_context, role, status):
    item = builders.consultation(status)
    contribution = builders.contribution(item, builders.user())
    actor = builders.user(role)
    if role in WRITERS and status != "draft":
        report = participation.report_contribution(actor, contribution, "spam")
        assert (report.target_type, report.target_id) == ("contribution", contribution.id)
        assert contribution.open_report_count == 1
    else:
        with pytest.raises(DomainError):
            participation.report_contribution(actor, contribution, "spam")
        assert count(Report) == 0


@pytest.mark.parametrize(("role", "status"), MATRIX)
def test_managing(app_context, role, status):
    item = builders.consultation(status)
    actor = builders.user(role)
    before = item.status
    settings = services.ConsultationSettings(texts=builders.TEXTS, closes_on=item.closes_on,
                                             opens_on=item.opens_on)
    if role in MANAGERS and status != "archived":
        services.update_consultation(actor, item, settings)
        services.change_status(actor, item, item.next_status)
        assert item.status != before
    else:
        with pytest.raises(DomainError):
            services.update_consultation(actor, item, settings)
        with pytest.raises(DomainError):
            services.change_status(actor, item, item.next_status or "draft")
        assert item.status == before


@pytest.mark.parametrize("role", ROLES)
def test_only_managers_create_consultations(app_context, role):
    actor = builders.user(role)
    settings = services.ConsultationSettings(texts=builders.TEXTS)
    if role in MANAGERS:
        item, created = services.create_consultation(actor, settings)
        assert created and item.status == ConsultationStatus.DRAFT
    else:
        with pytest.raises(DomainError):
            services.create_consultation(actor, settings)


# Consultations and their questions


def test_create_consultation_is_idempotent_with_its_key(app_context):
    actor = builders.moderator()
    settings = services.ConsultationSettings(texts=builders.TEXTS)
    first, created = services.create_consultation(actor, settings, submission_key="abc123")
    again, created_again = services.create_consultation(actor, settings, submission_key="abc123")
    assert created and not created_again and again.id == first.id


def test_consultation_texts_per_language(app_context):
    actor = builders.moderator()
    only_french = {"fr": builders.TEXTS["fr"], "en": services.ConsultationText()}
    item, _ = services.create_consultation(actor, services.ConsultationSettings(only_french))
    assert item.available_languages() == ["fr"]
    assert item.translated("en").is_fallback
    services.update_consultation(actor, item, services.ConsultationSettings(builders.TEXTS))
    assert item.available_languages() == ["en", "fr"]
    with pytest.raises(DomainError):
        services.update_consultation(actor, item, services.ConsultationSettings(
            {"fr": services.ConsultationText(summary="Sans titre")}))
    with pytest.raises(DomainError):
        services.update_consultation(actor, item, services.ConsultationSettings(
            {"fr": services.ConsultationText()}))


def test_consultation_dates_and_choices_are_checked(app_context):
    actor = builders.moderator()
    today = local_today()
    for settings in (
        services.ConsultationSettings(builders.TEXTS, opens_on=today,
                                      closes_on=today - timedelta(days=1)),
        services.ConsultationSettings(builders.TEXTS, audience="nobody"),
        services.ConsultationSettings(builders.TEXTS, moderation_policy="never"),
        services.ConsultationSettings(builders.TEXTS, theme_ids=[12345]),
    ):
        with pytest.raises(DomainError):
            services.create_consultation(actor, settings)


def test_opening_emails_the_followers_in_their_language(app, app_context):
    from engage.consultations import notifications
    from tests.conftest import outbox

    item = builders.consultation("upcoming")
    french = builders.user(language="fr", email="fr@example.org")
    english = builders.user(language="en", email="en@example.org")
    builders.user(email="nobody@example.org")
    notifications.follow(french, item)
    notifications.follow(english, item)
    services.change_status(builders.moderator(), item, "open")
    db.session.commit()
    [message_fr] = outbox(app, "fr@example.org")
    [message_en] = outbox(app, "en@example.org")
    assert "Vivre après un cancer" in message_fr.subject
    assert message_fr.language == "fr" and "/fr/consultations/" in message_fr.body
    assert "Living after cancer" in message_en.subject and "/en/consultations/" in message_en.body
    assert outbox(app, "nobody@example.org") == []


def test_questions_of_every_kind(app_context):
    item = builders.consultation("draft", with_questions=True)
    kinds = [q.kind for q in item.questions]
    assert kinds == ["single_choice", "multiple_choice", "scale", "ranking", "free_text"]
    assert [q.position for q in item.questions] == [0, 1, 2, 3, 4]
    ranking = item.questions[3]
    assert [o.label("fr") for o in ranking.options] == ["Sommeil", "Emploi", "Sport"]
    assert [o.label("en") for o in ranking.options] == ["Sleep", "Employment", "Sport"]
    scale = item.questions[2].translated("en")
    assert (scale.scale_min_label, scale.scale_max_label) == ("Low", "High")


@pytest.mark.parametrize("texts", [
    {"fr": services.QuestionText(text="Q", options=["a"])},
    {"fr": services.QuestionText(text="Q", options=["a", "b"]),
     "en": services.QuestionText(text="Q", options=["a", "b", "c"])},
    {"fr": services.QuestionText(text="", options=["a", "b"])},
    {"fr": services.QuestionText(text="Q", options=[str(i) for i in range(16)])},
])
def test_choice_questions_need_matching_options(app_context, texts):
    item = builders.consultation("draft")
    with pytest.raises(DomainError):
        services.add_question(builders.moderator(), item, kind="single_choice", required=True,
                              texts=texts)
    assert item.questions == []


def test_unknown_question_kind(app_context):
    item = builders.consultation("draft")
    with pytest.raises(DomainError):
        services.add_question(builders.moderator(), item, kind="essay", required=False,
                              texts={"fr": services.QuestionText(text="Q")})


def test_questions_change_only_in_drafts(app_context):
    moderator = builders.moderator()
    item = builders.consultation("draft", with_questions=True)
    first, second = item.questions[:2]
    services.move_question(moderator, second, "up")
    assert item.questions[0] is second and item.questions[1] is first
    with pytest.raises(DomainError):
        services.move_question(moderator, item.questions[0], "up")
    services.update_question(moderator, first, kind="free_text", required=False,
                             texts={"fr": services.QuestionText(text="Ouverte")})
    assert first.options == [] and first.translated("fr").text == "Ouverte"
    services.delete_question(moderator, first)
    assert len(item.questions) == 4
    assert [q.position for q in item.questions] == [0, 1, 2, 3]
    item.open()
    with pytest.raises(DomainError):
        services.add_question(moderator, item, kind="free_text", required=False,
                              texts={"fr": services.QuestionText(text="Trop tard")})
    with pytest.raises(DomainError):
        services.delete_question(moderator, item.questions[0])


def test_themes(app_context):
    moderator = builders.moderator()
    theme = services.create_theme(moderator, {"fr": "Emploi", "en": "Work"})
    assert theme.label("en") == "Work"
    with pytest.raises(DomainError):
        services.create_theme(moderator, {"fr": "emploi", "en": ""})
    with pytest.raises(DomainError):
        services.create_theme(moderator, {"fr": " ", "en": ""})
    services.update_theme(moderator, theme, {"fr": "Travail", "en": ""})
    assert theme.available_languages() == ["fr"]
    with pytest.raises(DomainError):
        services.create_theme(builders.user(), {"fr": "Autre"})


# Answers


def test_a_draft_needs_no_required_answer_but_sending_does(app_context):
    item = builders.consultation("open", with_questions=True)
    actor = builders.user()
    response = participation.save_response(actor, item, MultiDict(), submit=False)
    assert not response.is_submitted and response.answers == []
    with pytest.raises(participation.InvalidAnswers) as error:
        participation.save_response(actor, item, MultiDict(), submit=True)
    single, _multiple, scale, *_ = item.questions
    assert set(error.value.errors) == {single.id, scale.id}
    response = participation.save_response(actor, item, complete_answers(item), submit=True)
    assert response.is_submitted
    assert count(ConsultationResponse) == 1


def test_answers_can_change_while_open_and_stay_sent(app_context):
    item = builders.consultation("open", with_questions=True)
    actor = builders.user()
    participation.save_response(actor, item, complete_answers(item), submit=True)
    single, _m, scale, *_ = item.questions
    changed = complete_answers(item)
    changed[f"q{scale.id}"] = "1"
    response = participation.save_response(actor, item, changed, submit=False)
    assert response.is_submitted  # a sent response is checked fully, even as "draft"
    assert [a.number for a in response.answers if a.question_id == scale.id] == [1]
    changed.pop(f"q{single.id}")
    with pytest.raises(participation.InvalidAnswers):
        participation.save_response(actor, item, changed, submit=False)
    assert count(ConsultationResponse) == 1


@pytest.mark.parametrize(("question_index", "value", "message"), [
    (0, "999999", "one of the options"),
    (0, "not a number", "one of the options"),
    (2, "6", "from 1 to 5"),
    (2, "0", "from 1 to 5"),
    (4, "x" * 2001, "too long"),
])
def test_invalid_answers_are_refused(app_context, question_index, value, message):
    item = builders.consultation("open", with_questions=True)
    answers = complete_answers(item)
    question = item.questions[question_index]
    answers[f"q{question.id}"] = value
    with pytest.raises(participation.InvalidAnswers) as error:
        participation.save_response(builders.user(), item, answers, submit=False)
    assert message in str(error.value.errors[question.id])
    assert count(ConsultationResponse) == 0


def test_multiple_choice_refuses_an_unknown_option(app_context):
    item = builders.consultation("open", with_questions=True)
    answers = complete_answers(item)
    answers.add(f"q{item.questions[1].id}", str(item.questions[0].options[0].id))
    with pytest.raises(participation.InvalidAnswers):
        participation.save_response(builders.user(), item, answers, submit=True)


@pytest.mark.parametrize("ranks", [("1", "1", "2"), ("1", "2", ""), ("1", "2", "4")])
def test_rankings_give_each_option_a_different_rank(app_context, ranks):
    item = builders.consultation("open", with_questions=True)
    answers = complete_answers(item)
    ranking = item.questions[3]
    for option, rank in zip(ranking.options, ranks, strict=True):
        answers[f"q{ranking.id}-{option.id}"] = rank
    with pytest.raises(participation.InvalidAnswers) as error:
        participation.save_response(builders.user(), item, answers, submit=True)
    assert ranking.id in error.value.errors


def test_a_consultation_without_questions_takes_no_answers(app_context):
    item = builders.consultation("open")
    with pytest.raises(DomainError):
        participation.save_response(builders.user(), item, MultiDict(), submit=True)


# Contributions


def test_pre_moderated_contributions_wait(app_context):
    item = builders.consultation("open", policy=ModerationPolicy.PRE)
    actor = builders.user()
    contribution, _ = participation.post_contribution(actor, item, "À vérifier")
    assert contribution.moderation_status == ModerationStatus.PENDING
    assert not contribution.is_visible
    reply, _ = participation.post_reply(builders.user(), builders.contribution(
        item, builders.user()), "Réponse")
    assert reply.moderation_status == ModerationStatus.PENDING


@pytest.mark.parametrize(("body", "message"), [
    ("", "write your contribution"), ("   \n ", "write your contribution"),
    ("x" * 5001, "too long"),
])
def test_contribution_text_is_checked(app_context, body, message):
    item = builders.consultation("open")
    with pytest.raises(DomainError, match=message):
        participation.post_contribution(builders.user(), item, body)
    assert count(Contribution) == 0


def test_replaying_a_contribution_creates_nothing(app_context):
    item = builders.consultation("open")
    actor = builders.user()
    first, created = participation.post_contribution(actor, item, "Une fois", submission_key="k1")
    again, created_again = participation.post_contribution(actor, item, "Une fois",
                                                           submission_key="k1")
    assert created and not created_again and again.id == first.id
    assert count(Contribution) == 1


def test_contribution_theme_must_belong_to_the_consultation(app_context):
    mine, other = builders.theme("Emploi", "Work"), builders.theme("Sport", "Sport")
    item = builders.consultation("open", themes=[mine])
    contribution, _ = participation.post_contribution(builders.user(), item, "Ok",
                                                      theme_id=mine.id)
    assert contribution.theme_id == mine.id
    with pytest.raises(DomainError):
        participation.post_contribution(builders.user(), item, "Non", theme_id=other.id)


def test_association_positions(app_context):
    item = builders.consultation("open")
    rose = builders.user("representative")
    association = builders.association("Ensemble", representative=rose)
    position, _ = participation.post_contribution(rose, item, "Notre position",
                                                  association_id=association.id)
    assert position.is_position
    with pytest.raises(DomainError, match="already given its position"):
        participation.post_contribution(rose, item, "Encore", association_id=association.id)
    with pytest.raises(DomainError, match="association you represent"):
        participation.post_contribution(builders.user("representative"), item, "Usurpée",
                                        association_id=association.id)
    with pytest.raises(DomainError):
        participation.post_contribution(rose, item, "Inconnue", association_id=424242)


def test_replies_have_one_level(app_context):
    item = builders.consultation("open")
    parent = builders.contribution(item, builders.user())
    reply, _ = participation.post_reply(builders.user(), parent, "Je réponds")
    assert reply.parent_id == parent.id and reply.is_reply
    with pytest.raises(DomainError, match="not to a reply"):
        participation.post_reply(builders.user(), reply, "Et moi")
    hidden = builders.contribution(item, builders.user(),
                                   moderation_status=ModerationStatus.HIDDEN)
    with pytest.raises(DomainError):
        participation.post_reply(builders.user(), hidden, "Caché")
    with pytest.raises(DomainError, match="write your reply"):
        participation.post_reply(builders.user(), parent, "")
    with pytest.raises(DomainError, match="too long"):
        participation.post_reply(builders.user(), parent, "x" * 2001)


def test_editing_keeps_the_history(app_context):
    item = builders.consultation("open")
    author = builders.user()
    contribution, _ = participation.post_contribution(author, item, "Première version")
    assert participation.edit_contribution(author, contribution, "Deuxième version")
    assert not participation.edit_contribution(author, contribution, "Deuxième version")
    assert [r.body for r in contribution.revisions] == ["Première version"]
    assert contribution.edited_at is not None and contribution.body == "Deuxième version"
    assert "deuxieme" in contribution.search_text
    with pytest.raises(DomainError):
        participation.edit_contribution(builders.user(), contribution, "Pas à moi")
    item.close()
    with pytest.raises(DomainError):
        participation.edit_contribution(author, contribution, "Trop tard")


def test_editing_under_pre_moderation_asks_for_a_new_check(app_context):
    item = builders.consultation("open", policy=ModerationPolicy.PRE)
    author = builders.user()
    contribution = builders.contribution(item, author, "Publiée")
    participation.edit_contribution(author, contribution, "Changée")
    assert contribution.moderation_status == ModerationStatus.PENDING


def test_deleting_removes_the_text_history_and_supports(app_context):
    item = builders.consultation("open")
    author = builders.user()
    contribution = builders.contribution(item, author, "À supprimer")
    participation.edit_contribution(author, contribution, "Modifiée")
    participation.support(builders.user(), contribution)
    participation.delete_contribution(author, contribution)
    assert contribution.is_deleted and contribution.body == "" and not contribution.is_visible
    assert count(ContributionRevision) == 0 and count(ContributionSupport) == 0
    assert contribution.support_count == 0
    with pytest.raises(DomainError):
        participation.delete_contribution(author, contribution)


def test_support_once_withdraw_and_never_ones_own(app_context):
    item = builders.consultation("open")
    author = builders.user()
    contribution = builders.contribution(item, author)
    supporter = builders.user()
    assert participation.support(supporter, contribution)
    assert not participation.support(supporter, contribution)  # a second click changes nothing
    assert contribution.support_count == 1 and count(ContributionSupport) == 1
    with pytest.raises(DomainError, match="your own"):
        participation.support(author, contribution)
    assert participation.withdraw_support(supporter, contribution)
    assert not participation.withdraw_support(supporter, contribution)
    assert contribution.support_count == 0


def test_reports_once_per_person_and_other_needs_a_reason(app_context):
    item = builders.consultation("open")
    contribution = builders.contribution(item, builders.user())
    reporter = builders.user()
    with pytest.raises(DomainError, match="say why"):
        participation.report_contribution(reporter, contribution, "other", "  ")
    with pytest.raises(DomainError, match="reason from the list"):
        participation.report_contribution(reporter, contribution, "boring")
    participation.report_contribution(reporter, contribution, "other", "Hors sujet total")
    with pytest.raises(DomainError, match="already reported"):
        participation.report_contribution(reporter, contribution, "spam")
    with pytest.raises(DomainError):
        participation.report_contribution(reporter, contribution, "other", "x" * 1001)
    assert count(Report) == 1 and contribution.open_report_count == 1


def test_representatives_only_consultation_refuses_participants(app_context):
    item = builders.consultation("open", audience=Audience.REPRESENTATIVES)
    with pytest.raises(DomainError, match="representatives only"):
        participation.post_contribution(builders.user("participant"), item, "Moi aussi")
    contribution, _ = participation.post_contribution(builders.user("representative"), item,
                                                      "Au nom des usagers")
    assert contribution.is_visible
