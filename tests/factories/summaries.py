"""Summaries: a closed consultation with contributions, a written or published summary
(inside an application context; they flush)."""

from engage.summaries import services
from tests.factories import consultations
from tests.factories.users import user

FR = "Les patients veulent des essais proches de chez eux [#{a}]. Le transport coûte cher [#{b}]."
EN = "Patients want trials close to home [#{a}]. Travel costs a lot [#{b}]."


def closed_consultation(contributions: int = 2, **fields):
    moderator = user("moderator")
    consultation = consultations.consultation("closed", author=moderator, **fields)
    author = user("participant", language="en")
    items = [consultations.contribution(consultation, author, f"Contribution number {n}",
                                        language="en") for n in range(contributions)]
    return moderator, consultation, items


def written(moderator, consultation, items, *, english: bool = True):
    summary, _created = services.start(moderator, consultation)
    ids = {"a": items[0].id, "b": items[1].id}
    texts = {"fr": FR.format(**ids), "en": EN.format(**ids) if english else ""}
    services.save(moderator, summary, texts)
    return summary


def published(moderator, consultation, items):
    summary = written(moderator, consultation, items)
    services.submit(moderator, summary)
    services.approve(user("moderator"), summary)
    return summary


def citable_consultation(extra: int = 0):
    """A closed consultation on three themes (Transport, Fatigue, Work) with, in this order:
    `travel` (author's theme Transport), `tired` (no theme of its author, tagged Fatigue by
    a moderator), `reply` (a reply to `travel`), `hidden`, `pending` and `deleted` ones (not
    citable), then `extra` plain contributions "Extra contribution n". A draft summary of it
    cites nothing yet. Returns (moderator, consultation, summary, themes, contributions), the
    last two by name."""
    from sqlalchemy import select

    from engage.consultations.models import Theme, ThemeTranslation
    from engage.core.db import utcnow
    from engage.extensions import db
    from engage.moderation.models import ContributionTheme

    def theme(fr: str, en: str) -> Theme:  # themes are shared: built once per database
        found = db.session.scalar(select(Theme).join(ThemeTranslation).where(
            ThemeTranslation.language == "fr", ThemeTranslation.label == fr))
        return found or consultations.theme(fr, en)

    moderator = user("moderator")
    themes = {"transport": theme("Transport", "Transport"),
              "fatigue": theme("Fatigue", "Tiredness"), "work": theme("Travail", "Work")}
    consultation = consultations.consultation("closed", author=moderator,
                                              themes=list(themes.values()))
    author = user("participant", language="en")

    def add(body, **fields):
        return consultations.contribution(consultation, author, body, language="en", **fields)

    items = {
        "travel": add("The hospital is far away: travel costs should be paid back.",
                      theme_id=themes["transport"].id),
        "tired": add("Chemotherapy left me too tired to work for months."),
    }
    items["reply"] = add("Same for me: two hours by train each week.",
                         parent_id=items["travel"].id)
    items["hidden"] = add("A hidden contribution about travel.", moderation_status="hidden")
    items["pending"] = add("A pending contribution about travel.", moderation_status="pending")
    items["deleted"] = add("A deleted contribution about travel.", deleted_at=utcnow())
    for n in range(extra):
        items[f"extra{n}"] = add(f"Extra contribution {n}")
    db.session.add(ContributionTheme(
        contribution_id=items["tired"].id, theme_id=themes["fatigue"].id,
        tagged_by_id=moderator.id))
    db.session.flush()
    summary, _created = services.start(moderator, consultation)
    return moderator, consultation, summary, themes, items
