"""What the area tells a person about their data, and what account deletion does here."""

from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from engage.consultations import notifications, participation, personal_data
from engage.consultations.models import (
    ConsultationFollow,
    ConsultationResponse,
    ContributionSupport,
)
from engage.core import registry
from engage.extensions import db
from tests.factories import consultations as builders
from tests.factories import stored
from tests.helpers import count


def _person_everywhere():
    open_one = builders.consultation("open", with_questions=True)
    closed_one = builders.consultation("open")
    person = builders.user()
    mine, _ = participation.post_contribution(person, open_one, "Mon texte")
    participation.edit_contribution(person, mine, "Mon texte corrigé")
    kept, _ = participation.post_contribution(person, closed_one, "Reste publié")
    closed_one.close()
    other = builders.contribution(open_one, builders.user())
    participation.support(person, other)
    notifications.follow(person, open_one)
    single = open_one.questions[0]
    participation.save_response(person, open_one, MultiDict(
        {f"q{single.id}": str(single.options[1].id), f"q{open_one.questions[2].id}": "2"}),
        submit=True)
    return person, mine, kept, other


def test_everything_is_in_the_download(app_context):
    person, *_ = _person_everywhere()
    contributions = personal_data.contributions_of(person)
    assert [c["text"] for c in contributions] == ["Mon texte corrigé", "Reste publié"]
    assert contributions[0]["earlier_versions"] == "Mon texte"
    answers = personal_data.answers_of(person)
    assert {(a["question"], a["answer"]) for a in answers} == {
        ("Vous êtes ?", "Proche"), ("Importance ?", 2)}
    assert all(a["sent_at"] for a in answers)
    assert len(personal_data.follows_and_supports_of(person)) == 2


def test_deleting_an_account(app_context):
    person, mine, kept, other = _person_everywhere()
    personal_data.erase(person, delete_content=True)
    assert mine.is_deleted and mine.body == "" and mine.revisions == []
    assert not kept.is_deleted  # the consultation is closed: the record stays
    assert count(ContributionSupport) == 0 and count(ConsultationFollow) == 0
    db.session.refresh(other)
    assert other.support_count == 0
    response = db.session.scalar(select(ConsultationResponse))
    assert response.user_id is None and response.is_submitted  # still counted, anonymous


def test_keeping_the_contributions(app_context):
    person, mine, *_ = _person_everywhere()
    personal_data.erase(person, delete_content=False)
    assert not mine.is_deleted


def test_registered_for_the_my_data_page_and_account_deletion(app):
    entries = registry.of(app)
    assert entries.account_erasers.count(personal_data.erase) == 1
    keys = [s.key for s in entries.personal_data]
    assert {"consultation_contributions", "consultation_answers",
            "consultation_follows_and_supports"} <= set(keys)
    assert len(keys) == len(set(keys)), "a section registered twice"


def test_the_my_data_page_shows_them(app, client, auth):
    with stored(app):
        person = builders.user()
        participation.post_contribution(person, builders.consultation("open"), "Mes *mots*")
        email = person.email
    auth.sign_in(email)
    page = client.get("/en/account/my-data")
    assert page.status_code == 200
    assert "Your contributions to consultations" in page.text and "Mes *mots*" in page.text
    data = client.get("/en/account/my-data.json").get_json()
    assert data["consultation_contributions"][0]["text"] == "Mes *mots*"
