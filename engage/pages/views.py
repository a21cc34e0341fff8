"""Public information pages."""

from flask import Blueprint, render_template

bp = Blueprint("pages", __name__, url_prefix="/<lang_code>")

# Sections of the home page: later areas add what is open now.
HOME_SECTIONS: list = []


@bp.get("/")
def home():
    sections = [section() for section in HOME_SECTIONS]
    return render_template("pages/home.html", sections=[s for s in sections if s])


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
