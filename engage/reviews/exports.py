"""Exports for the committee (CSV, PDF pack) and for the applicants (CSV feedback).

Reviewers appear only as "Reviewer A", "Reviewer B"…; the applicants' export holds
only what reviewers wrote for the applicants, never the committee-only comments.
"""

import csv
import io

from flask import render_template
from flask_babel import format_decimal
from flask_babel import gettext as _

from engage.core.markdown import plain_text
from engage.core.pdf import write_pdf
from engage.reviews.dashboard import CallDashboard, load_submitted_reviews

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value) -> str:
    """A spreadsheet-safe cell: text that looks like a formula is quoted."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.2f}"
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _csv(rows) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([cell(v) for v in row])
    return "\ufeff" + buffer.getvalue()  # the BOM makes spreadsheets read UTF-8


def reviewer_name(letter: str) -> str:
    return _("Reviewer %(letter)s", letter=letter)


def committee_csv(dashboard: CallDashboard, language: str) -> str:
    header = [_("Rank"), _("Acronym"), _("Title"), _("Submitted reviews"),
              _("Expected reviews"), _("Overall opinion: mean"), _("Overall opinion: median"),
              _("Overall opinion: spread")]
    for criterion in dashboard.criteria:
        label = criterion.label(language)
        header += [_("%(criterion)s: mean", criterion=label),
                   _("%(criterion)s: median", criterion=label),
                   _("%(criterion)s: spread", criterion=label)]
    header += [_("Disagreement"), _("Decision")]
    rows = [header]
    for row in dashboard.rows:
        line = [row.rank, row.application.acronym, row.application.title, row.submitted,
                row.expected, row.overall.mean, row.overall.median, row.overall.spread]
        for stats in row.criteria:
            line += [stats.mean, stats.median, stats.spread]
        line += [_("yes") if row.disagreement else _("no"), row.application.decision_label]
        rows.append(line)
    return _csv(rows)


def feedback_csv(dashboard: CallDashboard, language: str) -> str:
    """What the applicants receive: scores and applicant-facing comments, anonymized."""
    reviews = load_submitted_reviews(dashboard.call)
    rows = [[_("Acronym"), _("Title"), _("Decision"), _("Reviewer"), _("Criterion"),
             _("Score"), _("Comment for the applicants")]]
    for row in sorted(dashboard.rows, key=lambda r: r.application.acronym.casefold()):
        application = row.application
        for letter, assignment in reviews.get(application.id, []):
            review = assignment.review
            if review is None:  # the letters go to submitted reviews only
                continue
            for criterion in dashboard.criteria:
                score = review.score_for(criterion.id)
                rows.append([application.acronym, application.title,
                             application.decision_label, reviewer_name(letter),
                             criterion.label(language), score.score if score else None,
                             score.applicant_comment if score else ""])
            rows.append([application.acronym, application.title, application.decision_label,
                         reviewer_name(letter), _("Overall opinion"), review.overall_score,
                         review.overall_applicant_comment])
    return _csv(rows)


def committee_pack_pdf(dashboard: CallDashboard, language: str) -> bytes:
    """The committee pack as a tagged PDF (`engage.core.pdf`)."""
    html = render_template(
        "reviews/pack.html", dashboard=dashboard, call=dashboard.call, language=language,
        reviews=load_submitted_reviews(dashboard.call), plain_text=plain_text,
        reviewer_name=reviewer_name, format_decimal=format_decimal,
    )
    return write_pdf(html)
