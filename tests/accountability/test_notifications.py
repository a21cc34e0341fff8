"""Told back (issue 19, item 4): who hears of what the network did, in their language, with a
link to where they can follow the chain, and as they chose to hear of it.

One world per database: a closed consultation whose published summary cites some
contributions, and a published response whose two commitments cite others (the officer who
publishes it wrote one of them, a blocked account another, an association's representative
its position); a published priority exercise that people ranked, with a commitment that
answers one of its priorities; and a decided funding call. Cases that change it are undone.
"""

import re
from datetime import date

import pytest
from flask_migrate import downgrade, stamp, upgrade
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from engage.accountability import services
from engage.accountability.models import Commitment, FundedProject
from engage.accounts.models import Membership, MembershipStatus, User
from engage.core.notifications import Notification, NotificationKind, NotificationPreference
from engage.core.outbox import OutboxMessage
from engage.extensions import db
from engage.priorities.models import IndicativeQuestion, Ranking, RankingEntry
from engage.reviews.models import FundingCall
from engage.space.cli import send_digests_command
from engage.summaries import services as summaries
from tests.conftest import reset_database
from tests.factories import accountability as build
from tests.factories import consultations, stored
from tests.factories.users import association, user
from tests.helpers import main_part, sign_in

Kind = NotificationKind
DAY = date(2026, 5, 4)
PEOPLE = ("cited", "summary_only", "twice", "uncited", "author_rep", "other_rep",
          "asking_rep", "follower", "ranker", "second_ranker")


def build_world(app) -> dict:
    with stored(app), app.test_request_context("/en/"):
        officer = build.officer(display_name="Olga Officer")
        moderator = user("moderator")
        people = {name: user(language="fr" if name in ("summary_only", "other_rep") else "en",
                             display_name=name.replace("_", " ").title()) for name in PEOPLE}
        people["blocked"] = user("blocked")
        league = association("Association des malades", representative=people["author_rep"])
        db.session.add_all([
            Membership(user=people["other_rep"], association=league,
                       status=MembershipStatus.APPROVED),
            Membership(user=people["asking_rep"], association=league,
                       status=MembershipStatus.REQUESTED)])
        consultation = consultations.consultation("closed", author=moderator)

        def said(name, body, **fields):
            author = officer if name == "officer" else people[name]
            return consultations.contribution(consultation, author, body, language="en",
                                              **fields).id

        said_by = {
            "a": said("cited", "Travel costs too much."),
            "b": said("summary_only", "Nobody explains the trials."),
            "c1": said("twice", "Evenings are lonely."),
            "c2": said("twice", "And weekends too."),
            "d": said("uncited", "Parking is hard."),
            "e": said("blocked", "Travel again."),
            "p": said("author_rep", "Our members ask for help with travel.",
                      association_id=league.id),
            "f": said("officer", "I heard this too."),
        }
        summary, _created = summaries.start(moderator, consultation)
        cites = "[#{a}] [#{b}] [#{c1}]".format(**said_by)
        summaries.save(moderator, summary, {"fr": f"Ce qui a été dit {cites}.",
                                            "en": f"What was said {cites}."})
        summaries.submit(moderator, summary)
        summaries.approve(user("moderator"), summary)
        # How some hear of a response (the others keep the default: an email at once).
        db.session.add_all([
            NotificationPreference(user_id=people["summary_only"].id,
                                   kind=Kind.COMMITMENT_RESPONSE, delivery="daily"),
            NotificationPreference(user_id=people["twice"].id, kind=Kind.COMMITMENT_RESPONSE,
                                   delivery="app")])
        response, _created = services.start_response(officer, summary=summary)
        travel = services.add_commitment(officer, response, build.commitment_input(
            "Pay travel costs back", text="We heard [#{a}] [#{e}] [#{p}].".format(**said_by)))
        line = services.add_commitment(officer, response, build.commitment_input(
            "Open a support line", title_fr="Ouvrir une ligne d’écoute",
            text="We heard [#{c1}] [#{c2}] [#{f}].".format(**said_by)))
        services.publish(officer, response)
        services.follow(people["follower"], travel)
        services.follow(people["cited"], travel)

        exercise = build.exercise(questions=3)
        questions = db.session.scalars(select(IndicativeQuestion.id).where(
            IndicativeQuestion.exercise_id == exercise.id)
            .order_by(IndicativeQuestion.number)).all()
        for name, ranked in (("ranker", (0, 1)), ("second_ranker", (1, 2)), ("blocked", (0,))):
            db.session.add(Ranking(
                exercise_id=exercise.id, user_id=people[name].id, group_id=exercise.groups[0].id,
                entries=[RankingEntry(question_id=questions[index], position=position)
                         for position, index in enumerate(ranked, start=1)]))
        db.session.add(Ranking(exercise_id=exercise.id, user_id=officer.id,
                               group_id=exercise.groups[0].id,
                               entries=[RankingEntry(question_id=questions[0], position=1)]))
        priorities_response, _created = services.start_response(officer, exercise=exercise)
        fatigue = services.add_commitment(officer, priorities_response, build.commitment_input(
            "Fund research on fatigue", question_ids=[questions[2]]))
        services.publish(officer, priorities_response)
        call = build.decided_call(0, title="Living well after cancer")
        open_call = build.decided_call(0, title="Open call", status="open")
        return {
            "officer": officer.id, "league": league.id, "consultation": consultation.id,
            **{name: person.id for name, person in people.items()},
            "said": said_by, "travel": travel.id, "line": line.id, "fatigue": fatigue.id,
            "exercise": exercise.id, "questions": list(questions), "call": call.id,
            "open_call": open_call.id,
        }


def _told(*kinds) -> list[tuple]:
    """(person's id, kind, what it is about) of every notification of these kinds."""
    rows = db.session.scalars(select(Notification).where(Notification.kind.in_(kinds)))
    return sorted((n.user_id, n.kind, tuple(sorted(n.params.items()))) for n in rows)


def _get(model, object_id):
    return db.session.get(model, object_id)


def _page(client, lang: str = "en") -> str:
    return main_part(client.get(f"/{lang}/my-space/notifications").text)


def _emails(app, person_id: int) -> list[OutboxMessage]:
    with app.app_context():
        email = db.session.get(User, person_id).email
        return list(db.session.scalars(select(OutboxMessage).where(
            OutboxMessage.recipient == email).order_by(OutboxMessage.id)))


# Who is told of a response


def test_each_person_the_response_answers_is_told_once_per_commitment(app, world):
    w = world
    with app.app_context():
        told = _told(Kind.COMMITMENT_RESPONSE, Kind.POSITION_CITED)

    def answered(person, commitment):
        return (w[person], Kind.COMMITMENT_RESPONSE,
                (("commitment_id", w[commitment]), ("consultation_id", w["consultation"])))

    assert told == sorted([
        # Cited by the summary and by "travel": "travel" answers them.
        answered("cited", "travel"),
        # Cited by the summary only: the whole response answers them.
        answered("summary_only", "travel"), answered("summary_only", "line"),
        # Two contributions cited by "line" (one by the summary too): told once.
        answered("twice", "line"),
        # The position's author hears of their words; the other representative, of the
        # position; a request not approved yet, of nothing.
        answered("author_rep", "travel"),
        (w["other_rep"], Kind.POSITION_CITED,
         (("association_id", w["league"]), ("commitment_id", w["travel"]),
          ("consultation_id", w["consultation"]))),
    ])
    # Nothing for the uncited, the blocked account, the officer who published it.
    assert not {w["uncited"], w["blocked"], w["officer"], w["asking_rep"]} & {
        row[0] for row in told}


def test_the_reader_sees_it_in_their_language_with_the_link_to_the_commitment(
        client, auth, world):
    sign_in(auth, world["summary_only"])
    english, french = _page(client, "en"), _page(client, "fr")
    link = f'href="/en/impact/commitments/{world["travel"]}"'
    assert (f'{link}>The network responded to what you said in “Living after cancer”: '
            f'commitment “Pay travel costs back” (planned).</a>') in english
    assert "The network responded to what you said in “Living after cancer”: commitment " \
        "“Open a support line” (planned)." in english
    assert (f'href="/fr/impact/commitments/{world["line"]}">Le réseau a répondu à ce que vous '
            f'avez dit dans «\u00a0Vivre après un cancer\u00a0»\u00a0: engagement «\u00a0Ouvrir '
            f'une ligne d’écoute\u00a0» (prévu).</a>') in french
    assert "responded" not in french

    auth.sign_out()
    sign_in(auth, world["other_rep"])
    assert "The network responded to the position of Association des malades in “Living " \
        "after cancer”: commitment “Pay travel costs back” (planned)." in _page(client)
    assert "Le réseau a répondu à la prise de position d’Association des malades dans " \
        "«\u00a0Vivre après un cancer\u00a0»\u00a0: engagement «\u00a0Rembourser les " \
        "transports\u00a0» (prévu)." in _page(client, "fr")


def test_the_link_leads_to_the_commitment_s_public_page(client, world):
    page = client.get(f"/en/impact/commitments/{world['travel']}")
    assert page.status_code == 200
    assert "Pay travel costs back" in page.text


# How each person chose to hear of it


def test_each_person_s_choice_of_delivery_is_respected(app, client, runner, auth, world):
    # By default: an email at once, in the person's language, with the link.
    [email] = [m for m in _emails(app, world["cited"])
               if m.subject == "The network responded to what you said"]
    assert "The network responded to what you said in “Living after cancer”: commitment " \
        "“Pay travel costs back” (planned)." in email.body
    assert f"http://localhost/en/impact/commitments/{world['travel']}" in email.body
    assert "http://localhost/en/my-space/settings" in email.body
    # A daily digest, or My space only: no email at once.
    for name in ("summary_only", "twice"):
        assert not [m for m in _emails(app, world[name]) if "réseau" in m.subject
                    or "network" in m.subject], name
    result = runner.invoke(send_digests_command, ["--period", "daily"])
    assert result.exit_code == 0, result.output
    [digest] = [m for m in _emails(app, world["summary_only"]) if "Vos notifications" in
                m.subject]
    french, _, english = digest.body.partition("-----")
    assert "2 notifications" in french
    assert "Le réseau a répondu à ce que vous avez dit dans «\u00a0Vivre après un " \
        "cancer\u00a0»\u00a0: engagement «\u00a0Rembourser les transports\u00a0» (prévu)." \
        in french
    assert f"http://localhost/fr/impact/commitments/{world['travel']}" in french
    assert "commitment “Open a support line” (planned)." in english
    assert not [m for m in _emails(app, world["twice"]) if "notifications" in m.subject]

    # The settings page offers the new kinds, an email at once by default.
    sign_in(auth, world["twice"])
    settings = client.get("/en/my-space/settings").text
    for label in ("The network responds to what I said with a commitment",
                  "A commitment that answers my words, or that I follow, changes status",
                  "A funding call takes up a research priority I ranked",
                  "The network responds to a position of an association I represent",
                  "News of a commitment or a funded project I follow"):
        assert label in settings, label
    for kind, chosen in (("commitment_response", 0), ("commitment_status", 1),
                         ("followed_update", 1)):
        assert re.search(rf'id="delivery-{kind}-{chosen}"[^>]*checked|checked[^>]*'
                         rf'id="delivery-{kind}-{chosen}"', settings), kind


# Later news of a commitment


def _commitment(world, name):
    return _get(Commitment, world[name])


def _update(world, commitment: str, **fields):
    return services.add_update(_get(User, world["officer"]), _commitment(world, commitment),
                        texts={"en": "It moves on.", "fr": "Ça avance."}, happened_on=DAY,
                        **fields)


def test_a_new_status_is_told_to_the_answered_and_followers_other_news_to_followers(
        app, client, auth, world):
    w = world
    with stored(app), app.test_request_context("/en/"):
        update = _update(w, "travel", status="in_progress")
        about = (("commitment_id", w["travel"]), ("status", "in_progress"),
                 ("update_id", update.id))
        assert _told(Kind.COMMITMENT_STATUS) == sorted(
            (w[name], Kind.COMMITMENT_STATUS, about)
            # "cited" is answered and follows: told once.
            for name in ("cited", "summary_only", "author_rep", "follower"))
        _update(w, "travel")  # no new status: followers only
        news = _told(Kind.FOLLOWED_UPDATE)
        assert [row[0] for row in news] == sorted([w["cited"], w["follower"]])
        assert all(dict(row[2])["commitment_id"] == w["travel"] for row in news)
    sign_in(auth, w["follower"])
    english, french = _page(client), _page(client, "fr")
    link = f'href="/en/impact/commitments/{w["travel"]}"'
    assert f'{link}>The commitment “Pay travel costs back” is now in progress.</a>' in english
    assert f'{link}>There is news of the commitment “Pay travel costs back” you follow.</a>' \
        in english
    assert "L’engagement «\u00a0Rembourser les transports\u00a0» est désormais en cours." \
        in french
    assert "Du nouveau pour l’engagement «\u00a0Rembourser les transports\u00a0» que vous " \
        "suivez." in french


# Priorities taken up by a call


def test_people_who_ranked_a_priority_hear_that_a_call_takes_it_up(app, client, auth, world):
    w = world
    first, second, third = w["questions"]
    with stored(app), app.test_request_context("/en/"):
        officer, call = _get(User, w["officer"]), _get(FundingCall, w["call"])
        services.link_call(officer, call, question=_get(IndicativeQuestion, first))
        # Through a commitment that answers the third priority.
        services.link_call(officer, call, commitment=_commitment(w, "fatigue"))
        # Taken up already through that commitment: nobody is told again.
        services.link_call(officer, call, question=_get(IndicativeQuestion, third))
        services.link_call(officer, call, question=_get(IndicativeQuestion, second))
        told = [(user_id, dict(params)["question_id"]) for user_id, _kind, params in
                _told(Kind.PRIORITY_TAKEN_UP)]
        assert all(dict(params)["call_id"] == w["call"]
                   for _u, _k, params in _told(Kind.PRIORITY_TAKEN_UP))
    # The blocked account and the officer ranked the first one too: not told.
    assert sorted(told) == sorted([(w["ranker"], first), (w["second_ranker"], third),
                                   (w["ranker"], second), (w["second_ranker"], second)])
    sign_in(auth, w["ranker"])
    page = _page(client)
    assert (f'href="/en/priorities/{w["exercise"]}/results">A research priority you ranked, '
            f'“Question 1?”, is taken up by the funding call “Living well after cancer”.</a>'
            ) in page
    # Written in English only: marked as such on the French page.
    assert 'Une priorité de recherche que vous avez classée, «\u00a0<span lang="en">Question ' \
        '2?</span>\u00a0», est reprise par l’appel à projets «\u00a0Living well after ' \
        'cancer\u00a0».' in _page(client, "fr")


def test_a_withdrawn_link_no_longer_says_the_priority_is_taken_up(app, client, auth, world):
    with stored(app), app.test_request_context("/en/"):
        officer = _get(User, world["officer"])
        link, _created = services.link_call(
            officer, _get(FundingCall, world["open_call"]),
            question=_get(IndicativeQuestion, world["questions"][0]))
        services.unlink_call(officer, link)
    sign_in(auth, world["ranker"])
    page = _page(client)
    assert "is taken up by the funding call" not in page
    assert "This notification is about something that is no longer available." in page


# Funded projects


def test_followers_hear_of_projects_answering_what_they_follow_and_of_their_news(
        app, client, auth, world):
    w = world
    with stored(app), app.test_request_context("/en/"):
        officer, call = _get(User, w["officer"]), _get(FundingCall, w["call"])
        services.link_call(officer, call, commitment=_commitment(w, "travel"))
        [project] = services.create_funded_projects(officer, call)
        services.publish_project(officer, project)
        published = _told(Kind.FOLLOWED_UPDATE)
        assert published == sorted(
            (w[name], Kind.FOLLOWED_UPDATE,
             (("commitment_id", w["travel"]), ("project_id", project.id)))
            for name in ("cited", "follower"))
        services.follow(_get(User, w["uncited"]), project)
        update = services.add_project_update(officer, project, kind="results",
                                             texts={"en": "First results."}, happened_on=DAY)
        news = [row for row in _told(Kind.FOLLOWED_UPDATE) if row not in published]
        assert news == [(w["uncited"], Kind.FOLLOWED_UPDATE,
                         (("project_id", project.id), ("update_id", update.id)))]
        project_id = project.id
    link = f'href="/en/impact/projects/{project_id}"'
    sign_in(auth, w["follower"])
    assert (f'{link}>A project funded in answer to the commitment “Pay travel costs back” you '
            f'follow is published: “Walking after chemotherapy 1”.</a>') in _page(client)
    auth.sign_out()
    sign_in(auth, w["uncited"])
    assert f'{link}>There is news of the funded project “Walking after chemotherapy 1” you ' \
        'follow.</a>' in _page(client)
    assert 'Du nouveau pour le projet financé «\u00a0<span lang="en">Walking after chemotherapy ' \
        '1</span>\u00a0» que vous suivez.' in _page(client, "fr")
    with app.app_context():
        assert db.session.get(FundedProject, project_id).is_published


# The migration (last: it rebuilds the tables, and the world after it)


def test_migration_0020_takes_the_new_kinds_in_and_out_again(app):
    """From the schema of 0019 (stamped), 0020 accepts the new kinds in both tables; going
    back deletes their rows and refuses them again, and upgrading accepts them again."""
    notifications = Notification.__table__
    preferences = NotificationPreference.__table__
    try:
        with app.app_context():
            db.session.remove()
            with db.engine.begin() as connection:
                person = connection.execute(User.__table__.insert().values(
                    email="migrated@example.org", display_name="Migrated",
                    password_hash="!", role="participant")).inserted_primary_key[0]
            stamp(revision="0019_newsletter")
            upgrade(revision="0020_accountability_notices")
            with db.engine.begin() as connection:
                connection.execute(notifications.insert().values(
                    user_id=person, kind="commitment_response", params={}))
                connection.execute(preferences.insert().values(
                    user_id=person, kind="followed_update", delivery="weekly"))
                _refused(connection, notifications.insert().values(
                    user_id=person, kind="commitment_gossip", params={}))
            downgrade(revision="0019_newsletter")
            with db.engine.begin() as connection:
                for table in (notifications, preferences):
                    assert connection.execute(select(table.c.kind).where(
                        table.c.user_id == person)).all() == []
                _refused(connection, notifications.insert().values(
                    user_id=person, kind="priority_taken_up", params={}))
                _refused(connection, preferences.insert().values(
                    user_id=person, kind="position_cited", delivery="app"))
                connection.execute(notifications.insert().values(
                    user_id=person, kind="reply", params={}))
            upgrade(revision="0020_accountability_notices")
            with db.engine.begin() as connection:
                connection.execute(notifications.insert().values(
                    user_id=person, kind="commitment_status", params={}))
                assert sorted(connection.execute(select(notifications.c.kind).where(
                    notifications.c.user_id == person)).scalars()) == [
                        "commitment_status", "reply"]
    except BaseException:
        reset_database(app)  # whatever state it stopped in
        raise
    finally:
        with app.app_context():
            db.session.remove()
            with db.engine.begin() as connection:
                connection.execute(text("DROP TABLE IF EXISTS alembic_version"))


def _refused(connection, statement) -> None:
    with pytest.raises(IntegrityError), connection.begin_nested():
        connection.execute(statement)
