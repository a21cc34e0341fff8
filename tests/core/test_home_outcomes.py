"""The home page's "What came out of it": published summaries (with the network's response and
the outcome report) and published research priorities, in both languages; nothing that is
not published."""

from datetime import date

import pytest

from engage.accounts.models import User
from engage.consultations import services as consultation_services
from engage.extensions import db
from engage.priorities import services as priority_services
from engage.priorities.models import Exercise, Stage
from engage.summaries import services as summary_services
from tests.factories import stored
from tests.factories.priorities import PrioritiesBuilder
from tests.factories.summaries import closed_consultation, published, written
from tests.helpers import main_part


def texts(title_fr: str, title_en: str) -> dict:
    return {
        "fr": consultation_services.ConsultationText(title_fr, "Résumé", "Le texte."),
        "en": consultation_services.ConsultationText(title_en, "Summary", "The text."),
    }


def summaries(app) -> dict:
    """One published summary with the network's response, one still a draft."""
    with stored(app):
        moderator, consultation, items = closed_consultation(
            texts=texts("Essais près de chez soi", "Trials close to home"))
        shown = published(moderator, consultation, items)
        summary_services.save_response(
            moderator, shown, {"fr": "Le réseau publiera la liste des essais.",
                           "en": "The network will publish the list of trials."},
            date(2026, 3, 2))
        other_moderator, draft_consultation, draft_items = closed_consultation(
            texts=texts("Synthèse encore en brouillon", "Summary still a draft"))
        draft = written(other_moderator, draft_consultation, draft_items)
        return {"published": shown.id, "draft": draft.id}


def priorities(app, build, *, title_en: str, title_fr: str, publish: bool) -> int:
    """An exercise taken through its ranking and final workshop (published or not)."""
    exercise_id = build.exercise(stage=Stage.INTERIM_RANKING, title_en=title_en,
                                 title_fr=title_fr, workshop_size=3)
    questions = [build.question(exercise_id, text_en=f"{title_en}, question {n}",
                                text_fr=f"{title_fr}, question {n}") for n in (1, 2, 3, 4)]
    build.ranking(exercise_id, build.participant(), questions[:3])
    with stored(app):
        moderator = db.session.get(User, build.moderator_id)
        exercise = db.session.get(Exercise, exercise_id)
        priority_services.move_stage(moderator, exercise, Stage.FINAL_WORKSHOP)
        # The workshop reverses the interim order: question 3 comes first.
        shortlist = priority_services.shortlist(exercise)
        priority_services.record_workshop_order(
            moderator, exercise, {q.id: place for place, q in enumerate(reversed(shortlist), 1)})
        if publish:
            priority_services.move_stage(moderator, exercise, Stage.PUBLISHED)
    return exercise_id


@pytest.mark.parametrize(("lang", "words"), [
    ("fr", {"title": "Essais près de chez soi", "draft": "Synthèse encore en brouillon",
            "response": "La réponse du réseau",
            "report": "Le bilan (PDF)", "exercise": "Cancers rares : priorités",
            "unpublished": "Soins de support : priorités",
            "first": "Cancers rares : priorités, question 3"}),
    ("en", {"title": "Trials close to home", "draft": "Summary still a draft",
            "response": "The network’s response",
            "report": "The outcome report (PDF)", "exercise": "Rare cancers: priorities",
            "unpublished": "Supportive care: priorities",
            "first": "Rare cancers: priorities, question 3"}),
])
def test_home_shows_what_came_out_of_published_work_only(app, client, factory, lang, words):
    build = PrioritiesBuilder(app, factory)
    ids = summaries(app)
    shown = priorities(app, build, title_en="Rare cancers: priorities",
                       title_fr="Cancers rares : priorités", publish=True)
    hidden = priorities(app, build, title_en="Supportive care: priorities",
                        title_fr="Soins de support : priorités", publish=False)

    html = main_part(client.get(f"/{lang}/").text)

    # The published summary, its response and its outcome report; not the draft.
    report = f"/{lang}/summaries/{ids['published']}"
    assert f'href="{report}">{words["title"]}</a>' in html
    assert f'href="{report}#response">{words["response"]}</a>' in html
    assert f'href="{report}/report.pdf">{words["report"]}</a>' in html
    assert words["draft"] not in html
    assert f"/summaries/{ids['draft']}" not in html
    # The published priorities, in the workshop's order, under "What came out of it"
    # (its title is checked in English: the French comes with the catalog's next update).
    block = html[html.index('aria-labelledby="home-outcomes"'):]
    assert words["exercise"] in block
    assert f'href="/{lang}/priorities/{shown}/results"' in block
    assert f'<li value="1"><span class="question-text">{words["first"]}</span>' in block
    assert words["unpublished"] not in html
    assert f"/priorities/{hidden}/" not in html


def test_without_published_outcomes_the_block_is_not_shown(app, client, factory):
    build = PrioritiesBuilder(app, factory)
    priorities(app, build, title_en="Supportive care: priorities",
               title_fr="Soins de support : priorités", publish=False)
    html = main_part(client.get("/en/").text)
    assert 'aria-labelledby="home-outcomes"' not in html
    assert "What came out of it" not in html
    assert "Supportive care: priorities" not in html


def test_the_block_is_named_what_came_out_of_it(app, client, factory):
    build = PrioritiesBuilder(app, factory)
    priorities(app, build, title_en="Rare cancers: priorities",
               title_fr="Cancers rares : priorités", publish=True)
    html = main_part(client.get("/en/").text)
    assert '<h2 id="home-outcomes">What came out of it</h2>' in html
    assert '<h3 id="home-priority-results">Research priorities agreed</h3>' in html
