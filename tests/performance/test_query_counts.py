"""Every main page issues a bounded number of SQL queries that does not grow with the data.

The pages (engage.synth.pages: the largest consultation, the longest thread, the busiest
call…) are measured on synthetic data at two scales; the second is five times the first.
Each is measured twice: "cold", with the aggregate cache off (every query the page can
issue: the first view after a write), and "warm", with the cache on and filled (what a
busy server does). Both must stay the same at both scales; the warm count must stay
within the limit of issue 8. The measurements are made once per database and shared by
the tests below.

The same requests also record every lazy load (issue 18): a relationship, or an expired or
deferred column, loaded by touching an ORM object. A page's read model hands its template
everything it shows; a lazy load there is a query per item hidden in the markup, and one in
the view a query its loader forgot. The whole request is watched (the page's template
among it: `before_render_template` to `template_rendered`), and each load is reported with
the template rendering at the time, if any.
"""

import sys
from dataclasses import dataclass

import pytest
from flask import before_render_template, template_rendered
from sqlalchemy import event
from sqlalchemy.orm import Session

from engage.synth import MODERATOR_EMAIL, PARTICIPANT_EMAIL, SYNTH_PASSWORD
from engage.synth.pages import main_pages
from tests.conftest import empty_tables
from tests.helpers import Auth

SMALL, LARGE = 0.002, 0.01
# The most queries each page may issue once warm (issue 8: at most 10). A signed-in
# participant's consultation page also reads what is theirs: their supports, whether they
# follow it, their questionnaire response, the associations they may speak for, and their
# contributions awaiting moderation (in the totals of the lists): 14.
LIMITS = {
    "trivial endpoint": 0,
    "home": 10,
    "consultation list": 10,
    "consultation page": 10,
    "consultation page (participant)": 14,
    "contribution thread": 10,
    "contribution thread (participant)": 10,
    "search": 10,
    "moderation queue": 10,
    "outcome report": 10,
    "priorities results": 10,
    "priorities ranking": 10,
    "review dashboard": 10,
    "API consultations": 10,
    "API contributions": 10,
    "API summaries": 10,
}
# The main template each page renders (None: the page renders none), to show that its
# rendering was watched.
TEMPLATES = {
    "trivial endpoint": None,
    "home": "pages/home.html",
    "consultation list": "consultations/index.html",
    "consultation page": "consultations/detail.html",
    "consultation page (participant)": "consultations/detail.html",
    "contribution thread": "consultations/contribution.html",
    "contribution thread (participant)": "consultations/contribution.html",
    "search": "consultations/search.html",
    "moderation queue": "moderation/queue.html",
    "outcome report": "summaries/report.html",
    "priorities results": "priorities/results.html",
    "priorities ranking": "priorities/ranking.html",
    "review dashboard": "reviews/dashboard.html",
    "API consultations": None,
    "API contributions": None,
    "API summaries": None,
}
_measured: dict[str, dict[float, dict[str, int]]] = {}
# Per database: {page: (templates rendered, lazy loads seen)}, over both scales and states.
_watched: dict[str, dict[str, tuple[set[str], set["LazyLoad"]]]] = {}


@dataclass(frozen=True)
class LazyLoad:
    model: str
    attribute: str
    template: str | None  # the template rendering at the time, if any

    def __str__(self) -> str:
        return f"{self.model}.{self.attribute} in {self.template or 'the view (no template)'}"


def _touched_attribute(orm_execute_state) -> tuple[str, str]:
    """(model, attribute) whose reading set off this load: the innermost attribute access
    of SQLAlchemy's instrumentation on the stack (the template's `item.author`)."""
    frame = sys._getframe(1)
    while frame is not None:
        code = frame.f_code
        if code.co_name == "__get__" and code.co_filename.endswith(
                ("orm/attributes.py", "orm\\attributes.py")):
            attribute, instance = frame.f_locals.get("self"), frame.f_locals.get("instance")
            if instance is not None and hasattr(attribute, "key"):
                return type(instance).__name__, attribute.key
        frame = frame.f_back
    mapper = orm_execute_state.bind_mapper
    path = orm_execute_state.loader_strategy_path
    attribute = path[-1].key if orm_execute_state.lazy_loaded_from is not None and path \
        else "(expired or deferred columns)"
    return (mapper.class_.__name__ if mapper else "?"), attribute


class LazyLoadWatch:
    """Records the templates rendered and the lazy loads made inside the `with` block."""

    def __init__(self, app):
        self.app = app
        self.rendering: list[str] = []
        self.templates: set[str] = set()
        self.loads: set[LazyLoad] = set()

    def _rendering(self, _app, template, context, **_extra):
        self.rendering.append(template.name)
        self.templates.add(template.name)

    def _rendered(self, _app, template, context, **_extra):
        self.rendering.pop()

    def _executed(self, orm_execute_state):
        lazy = orm_execute_state.is_select and (
            orm_execute_state.lazy_loaded_from is not None or orm_execute_state.is_column_load)
        if lazy:
            model, attribute = _touched_attribute(orm_execute_state)
            self.loads.add(LazyLoad(model, attribute,
                                    self.rendering[-1] if self.rendering else None))

    def __enter__(self):
        event.listen(Session, "do_orm_execute", self._executed)
        before_render_template.connect(self._rendering, self.app)
        template_rendered.connect(self._rendered, self.app)
        return self

    def __exit__(self, *exc):
        template_rendered.disconnect(self._rendered, self.app)
        before_render_template.disconnect(self._rendering, self.app)
        event.remove(Session, "do_orm_execute", self._executed)


def _pages(app):
    with app.app_context():
        pages = main_pages("en")
    extra = [(f"{p.name} (participant)", p.path, "participant") for p in pages
             if p.name in ("consultation page", "contribution thread")]
    return [(p.name, p.path, p.who) for p in pages] + extra


def _measure_at(app, runner, count_queries, scale: float) -> dict[str, int]:
    empty_tables(app)
    result = runner.invoke(args=["engage", "synth", "--scale", str(scale)])
    assert result.exit_code == 0, result.output
    clients = {None: app.test_client(), "participant": app.test_client(),
               "moderator": app.test_client()}
    Auth(app, clients["participant"]).sign_in(PARTICIPANT_EMAIL, SYNTH_PASSWORD)
    Auth(app, clients["moderator"]).sign_in(MODERATOR_EMAIL, SYNTH_PASSWORD)
    counts = {}
    watched = _watched.setdefault(app.config["SQLALCHEMY_DATABASE_URI"], {})
    for name, path, who in _pages(app):
        client = clients[who]
        templates, loads = watched.setdefault(name, (set(), set()))
        for state, seconds in (("cold", 0), ("warm", 30)):
            app.config["AGGREGATE_CACHE_SECONDS"] = seconds
            try:
                assert client.get(path).status_code == 200, path  # warm-up
                with count_queries() as counter, LazyLoadWatch(app) as watch:
                    response = client.get(path)
            finally:
                app.config.pop("AGGREGATE_CACHE_SECONDS")
            assert response.status_code == 200, path
            counts[(name, state)] = counter.count
            templates |= watch.templates
            loads |= watch.loads
    return counts


@pytest.fixture
def measured(app, runner, count_queries):
    """{scale: {page: queries}} for this database, measured by the first test that asks."""
    key = app.config["SQLALCHEMY_DATABASE_URI"]
    if key not in _measured:
        _measured[key] = {scale: _measure_at(app, runner, count_queries, scale)
                          for scale in (SMALL, LARGE)}
    return _measured[key]


@pytest.fixture
def watched(app, measured):
    """{page: (templates rendered, lazy loads)} for this database, recorded with `measured`."""
    return _watched[app.config["SQLALCHEMY_DATABASE_URI"]]


@pytest.mark.parametrize("page_name", list(TEMPLATES))
def test_no_lazy_load(watched, page_name):
    assert page_name in watched, f"{page_name} not found among {sorted(watched)}"
    templates, loads = watched[page_name]
    expected = TEMPLATES[page_name]
    if expected:
        assert expected in templates, (page_name, templates)
    else:
        assert templates == set(), (page_name, templates)
    assert sorted(map(str, loads)) == [], f"{page_name} loads lazily"


@pytest.mark.parametrize("state", ["cold", "warm"])
@pytest.mark.parametrize("page_name", list(LIMITS))
def test_queries_do_not_grow_with_the_data(measured, page_name, state):
    small, large = measured[SMALL], measured[LARGE]
    assert (page_name, state) in large, f"{page_name} not found among {sorted(large)}"
    assert large[page_name, state] == small[page_name, state], (
        page_name, state, small[page_name, state], large[page_name, state])


@pytest.mark.parametrize("page_name", list(LIMITS))
def test_queries_stay_within_the_limit(measured, page_name):
    large = measured[LARGE]
    assert (page_name, "warm") in large, f"{page_name} not found among {sorted(large)}"
    assert large[page_name, "warm"] <= LIMITS[page_name], (page_name, large[page_name, "warm"])


def _report(counts: dict[tuple[str, str], int]) -> list[str]:
    return [f"{page_name:<36} cold {counts[page_name, 'cold']:>3}  "
            f"warm {counts[page_name, 'warm']:>3}" for page_name in LIMITS]


def test_report(measured, capsys):
    """The counts at the larger scale, one line a page (pytest -s shows them): exactly the
    pages that have a limit were measured, a warm cache never costs a query, and it saves
    some."""
    large = measured[LARGE]
    # A page measured without a limit, or a limited page no longer measured, shows here.
    assert sorted(large) == sorted((page_name, state) for page_name in LIMITS
                                   for state in ("cold", "warm"))
    costlier_warm = {page_name: (large[page_name, "cold"], large[page_name, "warm"])
                     for page_name in LIMITS
                     if large[page_name, "warm"] > large[page_name, "cold"]}
    assert costlier_warm == {}, "page: (cold, warm) queries"
    cold_total = sum(large[page_name, "cold"] for page_name in LIMITS)
    warm_total = sum(large[page_name, "warm"] for page_name in LIMITS)
    assert warm_total < cold_total, "the aggregate cache saved no query"
    assert large["trivial endpoint", "cold"] == 0  # even the first time
    with capsys.disabled():
        print("", *_report(large), sep="\n")
