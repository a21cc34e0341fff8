"""What came out of a consultation, one click from the home page, on the demo data: a visitor
goes from home to a published summary and the network's response, then fetches the outcome
report (PDF). At 1280 px and 390×844, in French and English; axe-core checks every page
visited."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from engage.extensions import db
from engage.summaries.models import Summary, SummaryStatus
from tests.browser import test_layout as layout
from tests.browser.conftest import AccessibilityAudit
from tests.browser.test_layout import DESKTOP, PHONE, new_page

# The demo data, loaded once for the module and emptied after it (test_layout's fixtures).
demo = layout.demo
_clean_live_database = layout._clean_live_database

TEXTS = {
    "fr": {"summaries": "Dernières synthèses de consultation",
           "response": "La réponse du réseau", "report": "Le bilan (PDF)"},
    "en": {"summaries": "Latest consultation summaries",
           "response": "The network’s response", "report": "The outcome report (PDF)"},
}

# Words of the report's "label / value" list split over two lines ("Vérificati/on"), as
# `{top: [...]}` per word: each word must sit on one line.
BROKEN_WORDS = """() => {
  const broken = [];
  for (const value of document.querySelectorAll(".data-list dd")) {
    const walker = document.createTreeWalker(value, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const word of node.data.matchAll(/\\S+/g)) {
        const range = document.createRange();
        range.setStart(node, word.index);
        range.setEnd(node, word.index + word[0].length);
        const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
        if (tops.size > 1) broken.push(word[0]);
      }
    }
  }
  return broken;
}"""


@pytest.fixture(scope="module")
def published_summary(live_app, demo):
    with live_app.app_context():
        summary = db.session.scalar(
            select(Summary).where(Summary.status == SummaryStatus.PUBLISHED))
        assert summary is not None and summary.has_response  # the demo publishes one
        return {"id": summary.id,
                "title": {lang: summary.consultation.translated(lang).title
                          for lang in ("fr", "en")}}


@pytest.mark.parametrize(("viewport", "lang"), [
    (DESKTOP, "fr"), (DESKTOP, "en"), (PHONE, "fr"), (PHONE, "en")],
    ids=["1280-fr", "1280-en", "390x844-fr", "390x844-en"])
def test_a_visitor_goes_from_home_to_a_summary_its_response_and_its_report(
        browser, live_server, published_summary, viewport, lang):
    words, title = TEXTS[lang], published_summary["title"][lang]
    context, page = new_page(browser, viewport)
    audit = AccessibilityAudit(page)
    report = f"{live_server}/{lang}/summaries/{published_summary['id']}"

    page.goto(f"{live_server}/{lang}/")
    audit.check()
    summaries = page.get_by_role("region", name=words["summaries"])
    summaries.get_by_role("link", name=title).click()
    expect(page).to_have_url(report)
    expect(page.get_by_role("heading", level=1)).to_contain_text(title)
    audit.check()
    assert page.evaluate(BROKEN_WORDS) == []

    page.go_back()
    summaries.get_by_role("link", name=words["response"]).click()
    expect(page).to_have_url(f"{report}#response")
    expect(page.get_by_role("heading", name=words["response"], exact=True)).to_be_in_viewport()
    audit.check()

    page.go_back()
    pdf_link = summaries.get_by_role("link", name=words["report"])
    pdf = page.request.get(live_server + pdf_link.get_attribute("href"))
    assert pdf.status == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body()[:5] == b"%PDF-"
    audit.assert_every_page_checked()
    context.close()
