"""Views of the priorities area (to be built)."""

from flask import Blueprint

bp = Blueprint("priorities", __name__, url_prefix="/<lang_code>/priorities")
