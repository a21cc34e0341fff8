"""A small driver for the attack corpora: people with their own browser session, who fill
the real forms (CSRF token read from the page) and read the pages, every answer checked.

Each answer is checked for a 5xx status and, when it is HTML, for live markup
(`tests.security.corpus.inert_problems`). Problems are collected, not raised, so that one
run reports every field and page that lets a payload through.
"""

import re
from dataclasses import dataclass, field

from engage.accounts.models import Role, User
from engage.extensions import db
from tests.conftest import Auth, Factory, csrf_token
from tests.security.corpus import inert_problems


@dataclass
class Figures:
    """What a corpus run tried: submissions of a payload into a field, and pages checked."""

    fields: set = field(default_factory=set)
    submissions: int = 0
    pages: int = 0
    payloads: set = field(default_factory=set)

    def add(self, other: "Figures") -> None:
        self.fields |= other.fields
        self.submissions += other.submissions
        self.pages += other.pages
        self.payloads |= other.payloads


# Filled by the tests, printed at the end of the run (tests/conftest.py, which also brings
# them back from every pytest-xdist worker): (backend, area) -> Figures; (backend, form) ->
# hypothesis examples run; (backend, what) -> checks made (route × role cases, CSRF refusals).
FIGURES: dict[tuple, Figures] = {}
HYPOTHESIS: dict[tuple, int] = {}
CHECKS: dict[tuple, int] = {}


def count_check(app, what: str) -> None:
    key = (backend_of(app), what)
    CHECKS[key] = CHECKS.get(key, 0) + 1


def export_figures() -> dict:
    """The figures as plain lists, to travel from a worker to the controller."""
    return {
        "corpora": [[backend, area, sorted(f.fields), f.submissions, f.pages, sorted(f.payloads)]
                    for (backend, area), f in FIGURES.items()],
        "hypothesis": [[*key, n] for key, n in HYPOTHESIS.items()],
        "checks": [[*key, n] for key, n in CHECKS.items()],
    }


def merge_figures(data: dict) -> None:
    for backend, area, fields, submissions, pages, payloads in data.get("corpora", []):
        FIGURES.setdefault((backend, area), Figures()).add(
            Figures(set(fields), submissions, pages, set(payloads)))
    for table, name in ((HYPOTHESIS, "hypothesis"), (CHECKS, "checks")):
        for backend, what, n in data.get(name, []):
            table[(backend, what)] = table.get((backend, what), 0) + n


def summary_lines() -> list[str]:
    lines = []
    for backend in sorted({key[0] for key in [*FIGURES, *HYPOTHESIS, *CHECKS]}):
        for (b, what), n in sorted(CHECKS.items()):
            if b == backend:
                lines.append(f"{backend}: {what}: {n}")
        areas = {area: f for (b, area), f in FIGURES.items() if b == backend}
        if areas:
            payloads = set().union(*(f.payloads for f in areas.values()))
            fields = set().union(*(f.fields for f in areas.values()))
            submissions = sum(f.submissions for f in areas.values())
            pages = sum(f.pages for f in areas.values())
            lines.append(
                f"{backend}: attack corpora: {len(payloads)} payloads × {len(fields)} fields "
                f"= {len(payloads) * len(fields)} payload-field pairs ({submissions} "
                f"submissions), {pages} answers checked for live markup and 5xx "
                f"({', '.join(sorted(areas))})")
        examples = {form: n for (b, form), n in HYPOTHESIS.items() if b == backend}
        if examples:
            lines.append(f"{backend}: property-based form tests: {sum(examples.values())} "
                         f"hypothesis examples over {len(examples)} forms")
    return lines


def backend_of(app) -> str:
    return "postgresql" if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql") \
        else "sqlite"


class Site:
    def __init__(self, app, area: str):
        self.app = app
        self.area = area
        self.factory = Factory(app)
        self.clients = {}
        self.ids = {}
        self.emails = {}
        self.tokens = {}
        self.problems: list[str] = []
        self.figures = Figures()
        self.payload = ""
        # Pages that list many items (home, lists, queues) are read every few payloads only:
        # they then hold the hostile texts of all the payloads since the last reading.
        self.sweep = True

    # People

    def person(self, name: str, role=Role.PARTICIPANT, **fields) -> int:
        user_id = self.factory.user(role=role, language="en",
                                    email=f"{name}-{self.area}@corpus.example",
                                    display_name=name.title(), **fields)
        client = self.app.test_client()
        with self.app.app_context():
            email = db.session.get(User, user_id).email
        assert Auth(self.app, client).sign_in(email).status_code == 302, name
        self.clients[name] = client
        self.ids[name] = user_id
        self.emails[name] = email
        self.tokens[name] = csrf_token(client.get("/en/account/"), "profile")
        return user_id

    def visitor(self, name: str = "visitor") -> None:
        client = self.app.test_client()
        self.clients[name] = client
        self.tokens[name] = csrf_token(client.get("/en/account/sign-in"))

    # Requests

    def check(self, response, where: str, expect=None):
        self.figures.pages += 1
        status = response.status_code
        if status >= 500:
            self.problems.append(f"{where}: {status} with payload {self.payload!r}")
        elif expect is not None and status not in expect:
            self.problems.append(f"{where}: {status} (expected {expect}) "
                                 f"with payload {self.payload!r}")
        if response.mimetype == "text/html":
            found = inert_problems(response.text, self.payload)
            if found:
                self.problems.append(f"{where}: live markup {found} from {self.payload!r}")
        return response

    def get(self, who: str, url: str, expect=(200,), **kwargs):
        return self.check(self.clients[who].get(url, **kwargs), f"GET {url} as {who}", expect)

    def listing(self, who: str, url: str, **kwargs):
        if self.sweep:
            return self.get(who, url, **kwargs)
        return None

    def post(self, who: str, url: str, data: dict, fields=(), prefix: str = "", expect=None,
             **kwargs):
        """Send a form; `fields` names the fields that carry the payload (for the figures)."""
        token = "csrf_token" if not prefix else f"{prefix}-csrf_token"
        if self.payload:
            for name in fields:
                self.figures.fields.add(f"{self.area}:{name}")
                self.figures.submissions += 1
            if fields:
                self.figures.payloads.add(self.payload)
        response = self.clients[who].post(url, data={**data, token: self.tokens[who]},
                                          **kwargs)
        return self.check(response, f"POST {url} as {who}", expect)

    def search(self, who: str, url: str, params: dict, fields):
        for name in fields:
            self.figures.fields.add(f"{self.area}:{name}")
            self.figures.submissions += 1
        self.figures.payloads.add(self.payload)
        return self.get(who, url, query_string=params)


def location_id(response, pattern: str) -> int:
    """An id in the redirect's Location (e.g. r"/consultations/(\\d+)")."""
    location = response.headers.get("Location", "")
    match = re.search(pattern, location)
    assert match, f"{response.status_code} {location!r}: {response.text[:300]}"
    return int(match.group(1))


def ids_in(html: str, pattern: str) -> list[int]:
    return [int(value) for value in re.findall(pattern, html)]


def record(site: Site) -> str:
    """Keep the site's figures for the closing summary; the line to print."""
    figures = site.figures
    backend = backend_of(site.app)
    FIGURES.setdefault((backend, site.area), Figures()).add(figures)
    return (f"attack corpus [{site.area}, {backend}]: {len(figures.payloads)} payloads × "
            f"{len(figures.fields)} fields: {figures.submissions} submissions, "
            f"{figures.pages} answers checked")
