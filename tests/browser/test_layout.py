"""The layout on a phone (390×844) and a desktop (1280 px), for every role, on the demo data:
a compact header whose menu opens with and without JavaScript, the page's title in the top
third of a phone's screen, the menu on one line on a desktop, wide tables that scroll in their
own region. axe-core checks every page visited."""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from engage.core.commands import DEMO_PASSWORD
from engage.extensions import db
from engage.reviews.models import FundingCall
from tests.browser.conftest import AccessibilityAudit, load_demo_data
from tests.conftest import empty_tables

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
TOP_THIRD = 844 / 3  # 281 px
# The header of a phone holds one row (brand, the other language, "Menu"): 61 px measured,
# 374 px for a visitor and 536 px for an administrator before the compact header.
PHONE_HEADER_MAX = 80
# Two rows at 1280 px (brand, language and account; the main menu): 94 px measured, 125 px
# for a visitor and 179 px for a reviewer, moderator or administrator (menu on two lines) before.
DESKTOP_HEADER_MAX = 110

# (role, an inner page that role uses). None: a visitor.
ROLES = [
    (None, "/fr/consultations/"),
    ("participant", "/fr/priorities/"),
    ("representative", "/fr/account/"),
    ("reviewer", "/fr/reviews/assignments"),
    ("moderator", "/fr/moderation/"),
    ("admin", "/fr/admin/users"),
]

MEASURE = """() => {
  const header = document.querySelector("header").getBoundingClientRect();
  return {header: header.height, h1: document.querySelector("main h1").getBoundingClientRect().top};
}"""
# The distinct tops of a menu's items: one line, one top.
NAV_LINES = """selector => [...new Set([...document.querySelectorAll(selector)]
                              .map(item => item.getBoundingClientRect().top))]"""
PAGE_WIDTH = "() => document.scrollingElement.scrollWidth"
# What sticks out of a 390 px page, for the failure message.
WIDEST = """() => [...document.querySelectorAll("body *")]
  .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
  .slice(0, 5).map(e => e.tagName + "." + e.className)"""


@pytest.fixture(scope="module")
def demo(live_app):
    """The demo data (`flask engage demo`), loaded once for the module."""
    with live_app.app_context():
        load_demo_data(live_app)
        call_id = db.session.scalar(select(FundingCall.id).order_by(FundingCall.id))
    yield {"call_id": call_id}
    empty_tables(live_app)


@pytest.fixture(autouse=True)
def _clean_live_database():
    """The module's tests only read the demo data: it is emptied once, after the last."""
    yield


def new_page(browser, viewport, **options):
    context = browser.new_context(viewport=viewport, bypass_csp=True, locale="fr-FR", **options)
    return context, context.new_page()


def sign_in(page, live_server, role, audit=None):
    page.goto(f"{live_server}/fr/account/sign-in")
    if audit:
        audit.check()
    page.get_by_label("Adresse e-mail").fill(f"{role}@example.org")
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    # Welcomed at home in the account's own language (the demo's participant reads English).
    expect(page.locator(".flash")).to_contain_text(re.compile(r"^\s*(Bienvenue|Welcome), "))
    if audit:
        audit.check()


def main_menu(page, name="Menu principal"):
    return page.get_by_role("navigation", name=name)


def account_menu(page):
    return page.locator("nav.account-nav")


@pytest.mark.parametrize(("role", "inner_page"), ROLES, ids=[r or "visitor" for r, _ in ROLES])
def test_header_is_one_row_on_a_phone_and_the_menu_one_line_on_a_desktop(
        browser, live_server, demo, role, inner_page):
    context, page = new_page(browser, PHONE)
    audit = AccessibilityAudit(page)
    if role:
        sign_in(page, live_server, role, audit)
    for path in ("/fr/", inner_page):
        page.goto(live_server + path)
        expect(page).to_have_url(live_server + path)  # no redirection: the role may see it
        audit.check()
        figures = page.evaluate(MEASURE)
        assert figures["header"] <= PHONE_HEADER_MAX, (path, figures)
        assert figures["h1"] < TOP_THIRD, (path, figures)
        # The menu is closed behind its button; the landmarks are all there.
        expect(page.locator("summary.menu-toggle")).to_be_visible()
        expect(main_menu(page).get_by_role("link", name="Consultations")).to_be_hidden()
        for landmark in ("banner", "main", "contentinfo"):
            expect(page.get_by_role(landmark)).to_have_count(1)
        assert page.evaluate(PAGE_WIDTH) <= PHONE["width"], page.evaluate(WIDEST)
        # The other language's link stays clear of the button (wider with an unread count).
        language = page.locator(".language-switch a").bounding_box()
        button = page.locator("summary.menu-toggle").bounding_box()
        assert language["x"] + language["width"] <= button["x"], (path, language, button)

    page.set_viewport_size(DESKTOP)
    for path in (inner_page, "/fr/"):
        page.goto(live_server + path)
        audit.check()
        expect(page.locator("summary.menu-toggle")).to_be_hidden()
        expect(main_menu(page).get_by_role("link", name="Consultations")).to_be_visible()
        expect(main_menu(page).get_by_role("link", name="À propos")).to_be_visible()
        account = "Se déconnecter" if role else "Se connecter"
        expect(account_menu(page).get_by_text(account, exact=True)).to_be_visible()
        # The main menu on one line under the brand's row, which holds the account's links.
        lines = page.evaluate(NAV_LINES, "nav.main-nav .nav-list > li")
        assert len(lines) == 1, f"the main menu takes {len(lines)} lines at 1280 px on {path}"
        assert len(page.evaluate(NAV_LINES, "nav.account-nav .nav-list > li")) == 1
        assert page.evaluate(MEASURE)["header"] <= DESKTOP_HEADER_MAX
    audit.assert_every_page_checked()
    context.close()


def test_the_phone_menu_opens_without_javascript(browser, live_server, demo):
    """A <details> menu: an administrator reaches the users' list with scripts off."""
    # No axe here: it needs scripts. The same menus, open, are checked with them below.
    context, page = new_page(browser, PHONE, java_script_enabled=False)
    sign_in(page, live_server, "admin")
    page.goto(f"{live_server}/en/")
    menu = main_menu(page, "Main menu")
    expect(menu.get_by_role("link", name="Research priorities")).to_be_hidden()
    page.locator("summary.menu-toggle").click()
    expect(menu.get_by_role("link", name="Research priorities")).to_be_visible()
    account = page.get_by_role("navigation", name="Your account")
    expect(account.get_by_role("button", name="Sign out")).to_be_visible()
    expect(menu.get_by_role("link", name="Users")).to_be_hidden()
    menu.get_by_text("Management").click()  # the staff's pages, a disclosure of their own
    menu.get_by_role("link", name="Users").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Users")
    context.close()


def test_the_phone_menu_with_javascript_keeps_a_sensible_focus_order(
        browser, live_server, demo):
    context, page = new_page(browser, PHONE)
    audit = AccessibilityAudit(page)
    page.goto(f"{live_server}/en/about")
    order = []
    for _ in range(4):
        page.keyboard.press("Tab")
        order.append(page.evaluate("() => document.activeElement.textContent.trim()"))
    assert order[0] == "Skip to main content"
    assert order[1].startswith("Engage")
    assert order[2:] == ["Français", "Menu"]
    page.keyboard.press("Enter")  # opens the menu
    menu = main_menu(page, "Main menu")
    account = page.get_by_role("navigation", name="Your account")
    expect(account.get_by_role("link", name="Sign in")).to_be_visible()
    audit.check()  # the open menu too
    page.keyboard.press("Tab")
    expect(menu.get_by_role("link", name="Home")).to_be_focused()
    page.keyboard.press("Escape")  # closes it (menu.js), the focus back on its button
    expect(menu.get_by_role("link", name="Home")).to_be_hidden()
    assert page.evaluate("() => document.activeElement.textContent.trim()") == "Menu"
    page.keyboard.press("Enter")
    account.get_by_role("link", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    audit.check()
    audit.assert_every_page_checked()
    context.close()


def test_wide_tables_scroll_in_their_own_region_on_a_phone(browser, live_server, demo):
    context, page = new_page(browser, PHONE)
    audit = AccessibilityAudit(page)
    sign_in(page, live_server, "admin", audit)
    for path in ("/fr/admin/users", f"/fr/reviews/calls/{demo['call_id']}/dashboard"):
        page.goto(live_server + path)
        expect(page).to_have_url(live_server + path)
        audit.check()
        if path == "/fr/admin/users":  # the menu and its "Management" list, open
            page.locator("summary.menu-toggle").click()
            main_menu(page).locator(".nav-group summary").click()
            expect(main_menu(page).get_by_role("link", name="Associations")).to_be_visible()
            audit.check()
        assert page.evaluate(PAGE_WIDTH) <= PHONE["width"], (path, page.evaluate(WIDEST))
        regions = page.locator(".table-scroll")
        assert regions.count() >= 1
        for index in range(regions.count()):
            region = regions.nth(index)
            expect(region).to_have_attribute("role", "region")
            expect(region).to_have_attribute("tabindex", "0")
            expect(region).to_have_attribute("aria-label", re.compile(r"\S"))
        # The first table is wider than the phone: it scrolls inside its region.
        assert regions.first.evaluate("e => e.scrollWidth > e.clientWidth"), path
    audit.assert_every_page_checked()
    context.close()
