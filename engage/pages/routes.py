"""Public information pages."""

from flask import Blueprint, render_template

from engage.core import registry
from engage.core.page_cache import cached_page

bp = Blueprint("pages", __name__, url_prefix="/<lang_code>")


@bp.get("/")
@cached_page
def home():
    """What is open now: each area contributes a section."""
    sections = []
    for section in sorted(registry.of().home_sections, key=lambda s: s.order):
        context = section.load()
        if context is not None:
            sections.append((section.template, context))
    return render_template("pages/home.html", sections=sections)


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
