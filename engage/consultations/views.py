"""Views of the consultations area (to be built)."""

from flask import Blueprint

bp = Blueprint("consultations", __name__, url_prefix="/<lang_code>/consultations")
