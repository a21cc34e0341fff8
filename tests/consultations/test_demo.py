"""`flask engage demo` creates the two bilingual consultations, once."""

from sqlalchemy import select

from engage.consultations.models import (
    Consultation,
    ConsultationResponse,
    ConsultationStatus,
    Contribution,
    ContributionSupport,
)
from engage.extensions import db
from tests.helpers import count


def test_demo_consultations(app, runner, client):
    assert runner.invoke(args=["engage", "demo"]).exit_code == 0
    with app.app_context():
        counts = (count(Consultation), count(Contribution), count(ContributionSupport),
                  count(ConsultationResponse))
        consultations = {c.title("en"): c for c in db.session.scalars(select(Consultation))}
        living = consultations["Living after cancer"]
        trials = consultations["Access to clinical trials"]
        assert living.status == ConsultationStatus.OPEN and living.is_accepting()
        # Closed by this loader (the summaries area may then publish its summary).
        assert trials.status in (ConsultationStatus.CLOSED, ConsultationStatus.SUMMARIZED)
        assert {q.kind for q in living.questions} == {
            "free_text", "single_choice", "multiple_choice", "scale", "ranking"}
        assert all(c.available_languages() == ["en", "fr"] for c in consultations.values())
        contributions = db.session.scalars(
            select(Contribution).where(Contribution.consultation_id == living.id)).all()
        assert any(c.is_position and c.association.name.startswith("Ensemble contre le cancer")
                   for c in contributions)
        assert sum(c.is_reply for c in contributions) >= 2
        assert sum(c.support_count for c in contributions) >= 3
        ids = living.id, trials.id
    assert counts[3] == 5
    assert runner.invoke(args=["engage", "demo"]).exit_code == 0  # twice: nothing new
    with app.app_context():
        assert (count(Consultation), count(Contribution), count(ContributionSupport),
                count(ConsultationResponse)) == counts
    results = client.get(f"/en/consultations/{ids[1]}")
    assert "Results of the questionnaire" in results.text and '<svg class="chart"' in results.text
    page = client.get(f"/fr/consultations/{ids[0]}")
    assert page.status_code == 200 and "Vivre après un cancer" in page.text
