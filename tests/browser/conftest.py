"""Browser journeys: every page visited gets an axe-core check."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.conftest import empty_tables

pytestmark = pytest.mark.browser

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
BLOCKING_IMPACTS = {"serious", "critical"}


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
        blocking = [
            f"{v['id']} ({v['impact']}): {v['help']} – {[n['target'] for n in v['nodes']][:3]}"
            for v in results["violations"] if v["impact"] in BLOCKING_IMPACTS
        ]
        assert not blocking, f"accessibility violations on {url}:\n" + "\n".join(blocking)
        self.checked.add(url)

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
