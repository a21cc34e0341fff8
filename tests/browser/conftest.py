"""Browser journeys: every page visited gets an axe-core check."""

from fnmatch import fnmatch
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.conftest import empty_tables

pytestmark = pytest.mark.browser

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations", "incomplete"],
}

# axe only asks for a human review of these, but on this site they are always a defect:
# one id behind two elements, so a label or an ARIA reference names the wrong field.
REVIEW_RESULTS_THAT_FAIL = {"duplicate-id-aria", "form-field-multiple-labels"}

# Violations accepted on purpose: (rule id, URL path pattern as in fnmatch) -> why.
# Empty: every violation found so far was fixed. Prefer a fix; an entry needs a
# reason that holds for someone using assistive technology.
ALLOWED_VIOLATIONS: dict[tuple[str, str], str] = {}


def is_allowed(rule_id: str, url: str) -> bool:
    path = urlsplit(url).path
    return any(rule_id == allowed_rule and fnmatch(path, pattern)
               for allowed_rule, pattern in ALLOWED_VIOLATIONS)


class AccessibilityAudit:
    """Remembers the pages a journey visits and checks each with axe-core."""

    def __init__(self, page):
        self.page = page
        self.axe = Axe()
        self.visited: list[str] = []
        self.checked: set[str] = set()
        page.on("load", lambda: self.visited.append(page.url.split("#")[0]))

    def check(self):
        self.page.wait_for_load_state("load")
        url = self.page.url.split("#")[0]
        results = self.axe.run(self.page, options=AXE_OPTIONS).response
        # Every impact fails, "minor" included: each one still stops someone.
        failing = results["violations"] + [
            result for result in results["incomplete"] if result["id"] in REVIEW_RESULTS_THAT_FAIL]
        problems = [
            f"{v['id']} ({v['impact']}): {v['help']} – {[n['target'] for n in v['nodes']][:3]}"
            for v in failing if not is_allowed(v["id"], url)
        ]
        self.checked.add(url)  # checked, even if it fails: one failure, reported once
        assert not problems, f"accessibility violations on {url}:\n" + "\n".join(problems)

    def assert_every_page_checked(self):
        unchecked = [url for url in self.visited if url not in self.checked]
        assert not unchecked, f"pages visited without an accessibility check: {unchecked}"


@pytest.fixture
def audit(page):
    auditor = AccessibilityAudit(page)
    yield auditor
    auditor.assert_every_page_checked()


@pytest.fixture(autouse=True)
def _clean_live_database(live_app):
    yield
    empty_tables(live_app)


# The two screens every main journey is walked on.
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
SCREENS = pytest.mark.parametrize("screen", [DESKTOP, PHONE], ids=["1280", "390x844"])
# Every main journey: each screen in each language.
JOURNEYS = pytest.mark.parametrize(
    ("screen", "lang"),
    [(DESKTOP, "fr"), (DESKTOP, "en"), (PHONE, "fr"), (PHONE, "en")],
    ids=["1280-fr", "1280-en", "390x844-fr", "390x844-en"])


def header_link(page, name: str, exact: bool = True, role: str = "link"):
    """A link (or button) of the header; on a phone the menu is a closed "Menu", opened
    first."""
    link = page.locator("header.site-header").get_by_role(role, name=name, exact=exact).first
    if not link.is_visible():
        page.locator("summary.menu-toggle").click()
    return link


def load_demo_data(live_app) -> None:
    """The demo data (`flask engage demo`): accounts, then every area's loader."""
    from engage.core import registry
    from engage.core.commands import DEMO_PASSWORD
    from engage.demo import load_accounts
    from engage.extensions import db

    load_accounts(DEMO_PASSWORD)
    for loader in registry.of().demo_loaders:
        loader()
    db.session.commit()


def signed_in(browser, live_server, viewport, lang, email, *, javascript=True,
              password=None):
    """A new browser context (its own cookies) signed in as `email`, and its page."""
    from engage.core.commands import DEMO_PASSWORD

    context = browser.new_context(viewport=viewport, locale=f"{lang}-FR", bypass_csp=True,
                                  java_script_enabled=javascript)
    page = context.new_page()
    page.goto(f"{live_server}/{lang}/account/sign-in")
    page.locator("#email").fill(email)
    page.locator("#password").fill(password or DEMO_PASSWORD)
    page.locator("form.stack button[type=submit]").click()
    page.wait_for_load_state("load")
    return context, page


SUMMARY_IN_VIEW = """() => {
  const summary = document.getElementById('error-summary');
  const box = summary.getBoundingClientRect();
  return {focused: document.activeElement === summary, top: box.top, height: innerHeight};
}"""


def assert_summary_in_view_and_focused(page, viewport):
    """The error summary has the focus, its top in the upper half of the screen."""
    page.wait_for_load_state("load")
    # `autofocus` acts when the browser next renders, which may come after "load": wait for it.
    expect(page.locator("#error-summary")).to_be_focused()
    place = page.evaluate(SUMMARY_IN_VIEW)
    assert place["focused"], place
    assert -1 <= place["top"] < viewport["height"] / 2, place  # -1: sub-pixel scrolling
