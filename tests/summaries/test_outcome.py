"""Participation figures with small cells merged, arguments by theme, CSV and JSON exports."""

import csv
import io
import json

import pytest

from engage.core.db import utcnow
from engage.moderation import services as moderation
from engage.summaries import exports, outcome
from engage.summaries.outcome import NOT_STATED, OTHER, merge_small_cells
from tests.factories import consultations as builders
from tests.factories.summaries import closed_consultation


@pytest.mark.parametrize(("counts", "expected"), [
    ({"patient": 7, "carer": 3, "citizen": 2, NOT_STATED: 6},
     [("patient", 7), (NOT_STATED, 6), (OTHER, 5)]),
    ({"patient": 5, "carer": 5}, [("carer", 5), ("patient", 5)]),
    ({"a": 6, "b": 2}, [(OTHER, 8)]),  # "other" alone would reveal 2 people
    ({"a": 9, "b": 6, "c": 1}, [("a", 9), (OTHER, 7)]),
    ({"a": 3}, [(OTHER, 3)]),
    ({}, []),
])
def test_merge_small_cells(counts, expected):
    assert merge_small_cells(counts) == expected


def people(consultation, count, **fields):
    for _ in range(count):
        builders.contribution(consultation, builders.user("participant", **fields), "Text")


def test_participation_by_role_and_departement(app_context):
    _moderator, consultation, _items = closed_consultation(0)
    people(consultation, 5, participant_type="patient", departement="75")
    people(consultation, 5, participant_type="carer", departement="93")
    people(consultation, 2, participant_type="citizen", departement="94")
    hidden_author = builders.user("participant", participant_type="citizen")
    builders.contribution(consultation, hidden_author, "Hidden", moderation_status="hidden")
    figures = outcome.participation(consultation)
    assert figures.participants == 12 and figures.contributions == 12
    assert [(bar.label, bar.value) for bar in figures.by_role] == [
        ("Patient", 5), ("Other (groups under 5 people)", 7)]
    assert [(bar.label, bar.value) for bar in figures.by_departement] == [
        ("93 – Seine-Saint-Denis", 5), ("Other (groups under 5 people)", 7)]


def test_arguments_grouped_by_theme(app_context):
    moderator, consultation, _items = closed_consultation(0)
    work, fatigue = builders.theme("Travail", "Work"), builders.theme("Fatigue", "Fatigue")
    author = builders.user("participant")
    both = builders.contribution(consultation, author, "Both **themes**", theme_id=work.id,
                                 support_count=3)
    moderation.set_themes(moderator, both, [work.id, fatigue.id])
    only_work = builders.contribution(consultation, author, "Work only", theme_id=work.id)
    untagged = builders.contribution(consultation, author, "No theme")
    builders.contribution(consultation, author, "Reply", parent_id=untagged.id)
    # Replies given a theme, by their author or a moderator, are arguments of that theme.
    tagged_reply = builders.contribution(consultation, author, "Reply about fatigue",
                                         parent_id=untagged.id, theme_id=fatigue.id)
    moderated_reply = builders.contribution(consultation, author, "Reply about work",
                                            parent_id=only_work.id)
    moderation.set_themes(moderator, moderated_reply, [work.id])
    builders.contribution(consultation, author, "Hidden", theme_id=work.id,
                          moderation_status="hidden")
    groups = outcome.arguments_by_theme(consultation)
    summary = [(g.theme.id if g.theme else None, g.count,
                [a.contribution.id for a in g.arguments]) for g in groups]
    assert summary == [(work.id, 3, [both.id, only_work.id, moderated_reply.id]),
                       (fatigue.id, 2, [both.id, tagged_reply.id]),
                       (None, 1, [untagged.id])]
    assert groups[0].arguments[0].excerpt == "Both themes"


def test_exports_show_visible_contributions_with_pseudonyms(app_context):
    _moderator, consultation, _items = closed_consultation(0)
    alice = builders.user("participant", display_name="Alice Secret", email="alice@example.org")
    bob = builders.user("participant", display_name="Bob Secret")
    first = builders.contribution(consultation, alice, "=HYPERLINK(\"http://evil\")")
    builders.contribution(consultation, bob, "Bob speaks")
    builders.contribution(consultation, alice, "Alice again", parent_id=first.id)
    builders.contribution(consultation, bob, "Hidden text", moderation_status="hidden")
    builders.contribution(consultation, bob, "Pending text", moderation_status="pending")
    builders.contribution(consultation, bob, "Deleted text", deleted_at=utcnow())
    rows = exports.rows(consultation, "en")
    assert [(r["author"], r["text"]) for r in rows] == [
        ("Participant 1", "=HYPERLINK(\"http://evil\")"), ("Participant 2", "Bob speaks"),
        ("Participant 1", "Alice again")]
    assert rows[2]["reply_to"] == first.id
    text = exports.as_csv(consultation, "en")
    assert "Secret" not in text and "alice@" not in text and "Hidden" not in text
    parsed = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert parsed[0] == list(exports.COLUMNS)
    assert parsed[1][-1].startswith("'=")  # no formula for spreadsheets
    data = json.loads(exports.as_json(consultation, "en", "http://x/report"))
    assert [c["author"] for c in data["contributions"]] == [
        "Participant 1", "Participant 2", "Participant 1"]
    assert "Secret" not in json.dumps(data)
