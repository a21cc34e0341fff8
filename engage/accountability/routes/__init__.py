"""The blueprints of the accountability area.

- `bp` (`/<lang>/impact`): the public record, « Ce que vos avis ont changé »: the list of
  commitments and funded projects with the figures (public.py), a commitment's and a
  project's page with the chain both ways, following (public.py), the Atom feed (feeds.py).
- `manage_bp` (`/<lang>/manage/impact`): network officers record responses, commitments,
  updates, call links and funded projects (manage.py).

engage.accountability.init_app imports the route modules.
"""

from flask import Blueprint

bp = Blueprint("accountability", __name__, url_prefix="/<lang_code>/impact")
manage_bp = Blueprint("accountability_manage", __name__, url_prefix="/<lang_code>/manage/impact")
