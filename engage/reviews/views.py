"""Views of the reviews area (to be built)."""

from flask import Blueprint

bp = Blueprint("reviews", __name__, url_prefix="/<lang_code>/reviews")
