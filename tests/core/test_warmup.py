"""A served application loads its costly libraries and compiles its templates before its
first request (engage.core.warmup, called by wsgi.py); an application built for tests or
`flask` commands does not.

Checked in a fresh Python process: this one has imported WeasyPrint already if another
test made a PDF."""

import json
import subprocess
import sys

from engage.core.warmup import HEAVY_MODULES

CHECK = """
import json, sys
from engage import create_app
from engage.core import readability
from engage.core.warmup import HEAVY_MODULES, warm_up

app = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
with app.app_context():
    catalogs = app.extensions["babel"].instance.domain_instance.cache

def state():
    return {
        "modules": [name for name in HEAVY_MODULES if name in sys.modules],
        "templates": sorted(key[1] for key in app.jinja_env.cache.keys()),
        "pronunciations": readability._cmu_syllables.cache_info().currsize,
        "hyphenations": readability._pyphen.cache_info().currsize,
        "catalogs": sorted(locale for locale, _domain in catalogs),
    }

before = state()
failed = warm_up(app)
print(json.dumps({"before": before, "after": state(), "failed": failed}))
"""

# The pages whose first showing was slow, and the layout they all share.
MAIN_TEMPLATES = [
    "layouts/base.html", "pages/home.html", "consultations/index.html",
    "consultations/detail.html", "moderation/themes.html", "summaries/edit.html",
    "summaries/report_pdf.html", "reviews/pack.html", "accounts/my_data.html",
]


def test_warm_up_loads_what_first_requests_loaded():
    done = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    before, after = result["before"], result["after"]
    # Building the app loads none of it: tests and `flask` commands stay quick to start.
    assert before == {"modules": [], "templates": [], "pronunciations": 0, "hyphenations": 0,
                      "catalogs": []}
    assert result["failed"] == []
    assert after["modules"] == list(HEAVY_MODULES)
    assert {"weasyprint", "fontTools.subset"} <= set(after["modules"])
    missing = [name for name in MAIN_TEMPLATES if name not in after["templates"]]
    assert not missing, missing
    # The CMU dictionary, and the English hyphenation (for the words it lacks).
    assert after["pronunciations"] == 1 and after["hyphenations"] == 1
    assert after["catalogs"] == ["en", "fr"]
