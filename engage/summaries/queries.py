"""Read models of summaries: the published summaries (lists, feed, home section) and
those of a consultation or citing a contribution (for the consultations' pages)."""

from flask_babel import get_locale
from sqlalchemy import select
from sqlalchemy.orm import joinedload, lazyload

from engage.consultations.models import Consultation
from engage.core.markdown import plain_text
from engage.extensions import db
from engage.summaries import citations
from engage.summaries.models import Citation, Summary, SummaryStatus


def published_statement():
    # The summaries with their texts and their consultations' titles: one query.
    return (select(Summary).where(Summary.status == SummaryStatus.PUBLISHED)
            .options(joinedload(Summary.translations),
                     joinedload(Summary.consultation).options(
                         joinedload(Consultation.translations), lazyload(Consultation.themes)))
            .order_by(Summary.published_at.desc(), Summary.id.desc()))


def lead(summary: Summary, language: str, limit: int = 280) -> tuple[str, str]:
    """The first words of the summary in `language` (or its fallback): (text, language)."""
    shown = summary.translated(language)
    if shown is None:
        return "", language
    text = " ".join(plain_text(citations.strip_citations(shown.body)).split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text, shown.language


def home_section():
    summaries = db.session.scalars(published_statement().limit(3)).unique().all()
    if not summaries:
        return None
    return {"summaries": summaries, "language": str(get_locale()), "lead": lead}


def summaries_citing(contribution_id: int) -> list[Summary]:
    """The published summaries that cite a contribution (for its page): one query."""
    return list(db.session.scalars(
        select(Summary).join(Citation, Citation.summary_id == Summary.id)
        .where(Citation.contribution_id == contribution_id,
               Summary.status == SummaryStatus.PUBLISHED)
        .options(joinedload(Summary.consultation))
        .order_by(Summary.published_at)
    ).unique())


def published_summary_for(consultation_id: int) -> Summary | None:
    return db.session.scalar(
        select(Summary).where(Summary.consultation_id == consultation_id,
                              Summary.status == SummaryStatus.PUBLISHED)
    )
