"""State rules of consultations, and what the models keep up to date themselves."""

from datetime import timedelta

import pytest

from engage.consultations.models import (
    ALLOWED_MOVES,
    Consultation,
    ConsultationStatus,
    ConsultationTranslation,
    Theme,
    ThemeTranslation,
)
from engage.core.clock import local_today
from engage.core.errors import DomainError
from engage.extensions import db
from tests.factories import consultations as builders

ALL = list(ConsultationStatus)


def _ready(status: ConsultationStatus) -> Consultation:
    item = Consultation(status=status, closes_on=local_today() + timedelta(days=3))
    item.translations.append(ConsultationTranslation(language="fr", title="Titre"))
    return item


@pytest.mark.parametrize("start", ALL)
@pytest.mark.parametrize("target", ALL)
def test_only_the_next_status_is_allowed(start, target):
    item = _ready(start)
    if ALLOWED_MOVES.get(start) == target:
        item.move_to(target)
        assert item.status == target
    else:
        with pytest.raises(DomainError):
            item.move_to(target)
        assert item.status == start


def test_each_move_keeps_its_date():
    item = _ready(ConsultationStatus.DRAFT)
    item.announced = True
    item.open()
    assert item.opened_at is not None and item.opens_on == local_today()
    assert not item.announced  # upcoming no longer
    item.close()
    item.summarize()
    item.archive()
    assert item.opened_at <= item.closed_at <= item.summarized_at <= item.archived_at


def test_opening_needs_a_closing_date_not_in_the_past():
    item = _ready(ConsultationStatus.DRAFT)
    item.closes_on = None
    with pytest.raises(DomainError, match="closing date"):
        item.open()
    item.closes_on = local_today() - timedelta(days=1)
    with pytest.raises(DomainError):
        item.open()
    assert item.status == ConsultationStatus.DRAFT


def test_opening_needs_a_text():
    item = Consultation(status=ConsultationStatus.DRAFT, closes_on=local_today())
    with pytest.raises(DomainError):
        item.open()


def test_an_unknown_status_is_refused():
    with pytest.raises(DomainError):
        _ready(ConsultationStatus.OPEN).move_to("deleted")


def test_accepting_stops_after_the_closing_day():
    today = local_today()
    item = _ready(ConsultationStatus.OPEN)
    item.closes_on = today
    assert item.is_accepting(today)
    assert not item.is_accepting(today + timedelta(days=1))
    assert item.days_left(today) == 0


def test_search_text_follows_the_texts(app_context):
    item = builders.consultation("draft")
    row = item.translated("fr").row
    assert "vivre apres un cancer" in row.search_text
    row.body = "Les **Essais** thérapeutiques"
    db.session.flush()
    assert "essais therapeutiques" in row.search_text


def test_contribution_search_text_is_emptied_when_deleted(app_context):
    item = builders.consultation("open")
    author = builders.user()
    contribution = builders.contribution(item, author, "Épuisement *persistant*")
    assert contribution.search_text == "epuisement persistant"
    contribution.deleted_at = contribution.created_at
    db.session.flush()
    assert contribution.search_text == ""


def test_theme_label_falls_back_to_another_language(app_context):
    theme = Theme(translations=[ThemeTranslation(language="fr", label="Fatigue")])
    db.session.add(theme)
    db.session.flush()
    assert theme.label("en") == "Fatigue"
    assert theme.translated("en").is_fallback
