"""A rejected form opens at its error summary: in view and focused, with and without JavaScript,
on a phone and a desktop, with what the person wrote kept whole (never cut by the browser)."""

import pytest
from playwright.sync_api import expect

from engage.consultations.models.contribution import CONTRIBUTION_MAX_LENGTH
from tests.browser.conftest import (
    AccessibilityAudit,
    assert_summary_in_view_and_focused,
    load_demo_data,
    signed_in,
)

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

@pytest.fixture(scope="module")
def demo(live_app):
    with live_app.app_context():
        load_demo_data(live_app)


@pytest.fixture(autouse=True)
def _clean_live_database():
    """The demo data is read, and what the journeys write is refused: nothing to clean."""
    yield


def _open_consultation(page, live_server, lang):
    page.goto(f"{live_server}/{lang}/consultations/")
    title = {"fr": "Vivre après un cancer", "en": "Living after cancer"}[lang]
    page.get_by_role("link", name=title).first.click()


@pytest.mark.parametrize(("viewport", "lang", "javascript"), [
    (PHONE, "fr", True), (DESKTOP, "en", True), (PHONE, "fr", False)],
    ids=["phone-fr", "desktop-en", "phone-fr-without-javascript"])
def test_a_refused_contribution_opens_at_its_errors_with_the_text_whole(
        browser, live_server, live_app, demo, viewport, lang, javascript):
    context, page = signed_in(browser, live_server, viewport, lang, "participant@example.org",
                              javascript=javascript)
    audit = AccessibilityAudit(page)
    _open_consultation(page, live_server, lang)
    body = page.locator("textarea#body")
    assert body.get_attribute("maxlength") is None
    pasted = ("Le traitement m’a laissé une fatigue que personne n’avait annoncée. "
              * 200)[:CONTRIBUTION_MAX_LENGTH + 1500]
    body.fill(pasted)
    if javascript:  # the live count, once the limit is passed
        expect(page.locator(".text-count")).to_contain_text(
            {"fr": "1\u202f500 de trop", "en": "1,500 too many"}[lang])
    body.press("End")
    page.locator("form[action$='/contributions#error-summary'] button[type=submit]").click()
    assert_summary_in_view_and_focused(page, viewport)
    expect(page.locator("#error-summary")).to_contain_text(
        {"fr": "Raccourcissez-le de 1\u202f500 caractères", "en": "shorten it by 1,500 characters"}[
            lang])
    assert page.locator("textarea#body").input_value() == pasted.replace("\r\n", "\n")
    if javascript:
        audit.check()
    context.close()


@pytest.mark.parametrize(("viewport", "lang"), [(PHONE, "fr"), (DESKTOP, "en")],
                         ids=["phone-fr", "desktop-en"])
def test_a_questionnaire_error_names_its_own_question(
        browser, live_server, live_app, demo, viewport, lang):
    context, page = signed_in(browser, live_server, viewport, lang, "participant@example.org")
    audit = AccessibilityAudit(page)
    _open_consultation(page, live_server, lang)
    page.locator("a[href$='/questionnaire']").first.click()
    page.locator("fieldset.question").nth(0).locator("input[type=radio]").first.check()
    page.locator("fieldset.question").nth(1).locator("input[type=checkbox]").first.check()
    page.locator("fieldset.question").nth(2).locator("input[type=radio]").nth(3).check()
    # The same rank for two topics: an error on the 4th question only.
    ranks = page.locator("fieldset.question").nth(3).locator("select")
    ranks.nth(0).select_option("1")
    ranks.nth(1).select_option("1")
    page.locator("form.questionnaire button[value=submit]").click()
    assert_summary_in_view_and_focused(page, viewport)
    errors = page.locator("#error-summary li")
    expect(errors).to_have_count(1)
    expect(errors.first).to_contain_text("Question 4")
    expect(errors.first).not_to_contain_text(".\u00a0:")
    expect(errors.first).not_to_contain_text(".:")
    audit.check()
    context.close()


def _declared(page, live_server, lang, application_id):
    """The reviewer declares no link with the application, so that its review form opens."""
    page.goto(f"{live_server}/{lang}/reviews/applications/{application_id}/declaration")
    page.locator("#no_conflict").check()
    page.locator("#confidentiality").check()
    page.locator("main form.stack button[type=submit]").click()
    page.wait_for_load_state("load")
    return f"/reviews/applications/{application_id}/review"


# Other forms people send: who, the page (or how to reach it, from the language), the form, its
# button, and a field made too long (or None: the form is sent empty).
OTHER_FORMS = {
    "declaration of interest": ("reviewer@example.org", "/reviews/applications/6/declaration",
                                "main form.stack", "button[type=submit]", None),
    "review": ("reviewer@example.org",
               lambda page, server, lang: _declared(page, server, lang, 4 if lang == "fr" else 5),
               "form.review-form", "button[value=submit]", None),
    "representation request": ("participant@example.org", "/account/",
                               "form[action$='/account/representation#error-summary']",
                               "button[type=submit]", "textarea#representation-message"),
    "document upload": ("moderator@example.org", "/consultations/1/manage",
                        "form[action$='/documents#error-summary']", "button[type=submit]", None),
}


@pytest.mark.parametrize("form", sorted(OTHER_FORMS))
@pytest.mark.parametrize(("viewport", "lang"), [(PHONE, "fr"), (DESKTOP, "en")],
                         ids=["phone-fr", "desktop-en"])
def test_other_refused_forms_open_at_their_errors(
        browser, live_server, live_app, demo, viewport, lang, form):
    email, path, form_selector, button, too_long = OTHER_FORMS[form]
    context, page = signed_in(browser, live_server, viewport, lang, email)
    if callable(path):
        path = path(page, live_server, lang)
    audit = AccessibilityAudit(page)
    page.goto(f"{live_server}/{lang}{path}")
    if too_long:
        page.locator(too_long).fill("x" * 20000)
    page.locator(f"{form_selector} {button}").click()
    assert_summary_in_view_and_focused(page, viewport)
    expect(page.locator("#error-summary li").first).to_be_visible()
    audit.check()
    context.close()
