"""The committee pack is a tagged PDF/UA-1 document with its title and language, like every
PDF report (the checks: tests/summaries/test_pdf_accessibility.py)."""

import logging

from engage.accounts.models import Role
from engage.extensions import db
from engage.reviews.models import CallStatus, FundingCall
from tests.summaries.test_pdf_accessibility import check_tagged, pdf_facts, weasyprint_errors


def test_the_committee_pack_is_tagged_with_title_and_language(app, client, auth, world,
                                                              tmp_path, caplog):
    call_id = world.call(status=CallStatus.OPEN)
    first = world.application(call_id, acronym="FIRST")
    world.review(world.assign(first, world.reviewer()), [4, 3, 3, 3, 3, 3], 4)
    auth.sign_in_as(role=Role.MODERATOR, language="en")
    caplog.set_level(logging.ERROR, logger="weasyprint")
    response = client.get(f"/en/reviews/calls/{call_id}/committee-pack.pdf")
    assert response.status_code == 200
    with app.app_context():
        title = f"Committee pack – {db.session.get(FundingCall, call_id).title('en')}"
    check_tagged(pdf_facts(response.data, tmp_path), title, "en")
    assert weasyprint_errors(caplog) == []
