"""The newsletter's blueprint (`/<lang>/newsletter`): subscribing, confirming and
unsubscribing (public.py), the archive of issues and its Atom feed (archive.py).
engage.newsletter.init_app imports the route modules."""

from flask import Blueprint

bp = Blueprint("newsletter", __name__, url_prefix="/<lang_code>/newsletter")
