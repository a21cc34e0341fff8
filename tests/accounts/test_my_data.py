"""The "my data" page reads as a page, in the reader's language: every field under a label,
codes by their names, moments as dates, yes and no in words; the download keeps its keys
(tests/security/test_personal_data.py)."""

import json
import re
from datetime import UTC, datetime

import pytest

from engage.accounts.models import User
from engage.accounts.personal_data import FIELD_LABELS, SECTION_LABELS
from engage.extensions import db
from tests.helpers import main_part
from tests.security.test_personal_data import build_everything, sign_in

ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
REGISTERED = datetime(2026, 3, 14, 14, 30, tzinfo=UTC)  # 15:30 in Paris

EXPECTED = {
    "fr": {"labels": ["Adresse e-mail", "Inscrit·e le", "Votre demande", "Écrit le"],
           "values": ["14 mars 2026, 15:30", "En attente de validation", "Oui", "Non",
                      "anglais", "Publié"],
           "nothing": "Rien."},
    "en": {"labels": ["Email address", "Registered on", "Your request", "Written on"],
           "values": ["March 14, 2026", "Awaiting approval", "Yes", "No", "English",
                      "Published"],
           "nothing": "Nothing."},
}


@pytest.fixture
def person(app):
    build_everything(app)
    with app.app_context():
        user = db.session.scalar(db.select(User).filter_by(email="sasha@example.org"))
        user.created_at = REGISTERED
        db.session.commit()
    return sign_in(app, "sasha@example.org")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_my_data_page_is_readable(person, lang):
    data = json.loads(person.get(f"/{lang}/account/my-data.json").data)
    keys = {(section, key) for section, rows in data.items() for row in rows for key in row}
    unnamed = {(section, key) for section, key in keys
               if key not in SECTION_LABELS.get(section, FIELD_LABELS)
               and key not in FIELD_LABELS}
    assert not unnamed, unnamed
    page = person.get(f"/{lang}/account/my-data")
    assert page.status_code == 200
    main = main_part(page.text)
    labels = {re.sub(r"\s+", " ", label).strip() for label in re.findall(r"<dt>(.*?)</dt>", main)}
    # As the page showed them: "display name", "registered at".
    raw = {key for _, key in keys if key in labels or key.replace("_", " ") in labels}
    assert not raw, raw
    assert not ISO_MOMENT.search(main), ISO_MOMENT.search(main)
    assert not re.search(r"\b(True|False|None)\b", main)
    expected = EXPECTED[lang]
    for label in expected["labels"]:
        assert label in labels, label
    for value in expected["values"]:
        assert f"<dd>{value}" in main, value
    # A section with nothing in it says so (a participant takes no moderation action).
    section = main[main.index('id="section-moderation_actions"'):]
    section = section[:section.index("</section>")]
    assert "<dl" not in section and expected["nothing"] in section


def test_texts_written_over_several_lines_keep_their_lines(person):
    page = main_part(person.get("/en/account/my-data").text)
    # An edited contribution's earlier version, a review's comments per criterion.
    assert "<dd>First words</dd>" in page
    assert page.count("<p>Relevance to patients and carers: 4 |") == 2
