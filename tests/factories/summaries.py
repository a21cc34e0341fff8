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
