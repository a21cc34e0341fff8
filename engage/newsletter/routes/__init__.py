"""The newsletter's blueprint (`/<lang>/newsletter`)."""

from flask import Blueprint

bp = Blueprint("newsletter", __name__, url_prefix="/<lang_code>/newsletter")
