"""Public information pages."""

from flask import Blueprint, render_template

from engage.core import registry, versions
from engage.core.page_cache import cached_page

bp = Blueprint("pages", __name__, url_prefix="/<lang_code>")


def _loaded(sections: list[registry.HomeSection]) -> list[tuple[str, dict]]:
    """(template, context) of each section with something to show, in their order."""
    shown = []
    for section in sorted(sections, key=lambda s: s.order):
        context = section.load()
        if context is not None:
            shown.append((section.template, context))
    return shown


@bp.get("/")
@cached_page(scopes=lambda: [versions.CONSULTATIONS, versions.SUMMARIES,
                                  versions.EXERCISES, versions.CALLS, versions.COMMITMENTS])
def home():
    """What is open now, then what came out of it: each area contributes its sections."""
    entries = registry.of()
    return render_template("pages/home.html", sections=_loaded(entries.home_sections),
                           outcomes=_loaded(entries.home_outcomes))


@bp.get("/about")
def about():
    return render_template("pages/about.html")


@bp.get("/privacy")
def privacy():
    return render_template("pages/privacy.html")


@bp.get("/accessibility")
def accessibility():
    return render_template("pages/accessibility.html")


@bp.get("/legal")
def legal():
    return render_template("pages/legal.html")
