"""The accreditation of an association: a new one is "not accredited" until an administrator
records the level, the number and the date of its approval; who recorded it and when are
kept; the admin list and the public page show it."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from engage.accounts import services
from engage.accounts.models import Association, InvalidAccreditation, User
from engage.accounts.personal_data import erase_account
from engage.core.clock import local_today
from engage.core.db import utcnow
from engage.extensions import db
from tests.factories import stored
from tests.factories.users import accredited_association, association, user
from tests.helpers import csrf_token, main_part, sign_in_new

NEW = "/en/admin/associations/new"


def fields(**overrides) -> dict:
    return {"name": "Patients en réseau", "accreditation": "none",
            "accreditation_number": "", "accredited_on": "",
            "description_fr": "Une association.", "description_en": "An association.",
            "website": "", **overrides}


def send(client, url: str, **overrides):
    page = client.get(url)
    return client.post(url, data={**fields(**overrides), "csrf_token": csrf_token(page)})


def radios(html: str) -> list[tuple[str, bool]]:
    """The accreditation radios of the form, in order: (value, checked)."""
    found = re.findall(r'<input([^>]*name="accreditation"[^>]*)>', html)
    return [(re.search(r'value="([^"]*)"', attrs).group(1), " checked" in attrs)
            for attrs in found]


def error_summary(html: str) -> str:
    start = html.index('id="error-summary"')
    return html[start:html.index("</div>", start)]


def stored_association(app, name="Patients en réseau") -> Association:
    with app.app_context():
        item = db.session.scalar(select(Association).where(Association.name == name))
        if item is not None:
            db.session.expunge(item)
        return item


@pytest.mark.parametrize(("lang", "label"), [("en", "Not accredited"), ("fr", "Non agréée")])
def test_a_new_association_is_not_accredited_unless_told(app, client, auth, lang, label):
    sign_in_new(app, auth, "admin")
    page = client.get(f"/{lang}/admin/associations/new")
    assert page.status_code == 200
    assert radios(page.text) == [("none", True), ("regional", False), ("national", False)]
    assert re.search(rf'value="none"[^>]*>\s*<label for="[^"]+">{label}</label>', page.text)


def test_an_accreditation_is_recorded_with_who_and_when(app, client, auth):
    admin_id = sign_in_new(app, auth, "admin", display_name="Alice Martin")
    before = utcnow()
    response = send(client, NEW, accreditation="national", accreditation_number=" N2021RN0147 ",
                    accredited_on="2021-11-08")
    assert response.status_code == 302
    saved = stored_association(app)
    assert (saved.accreditation, saved.accreditation_number, saved.accredited_on) == \
        ("national", "N2021RN0147", date(2021, 11, 8))
    assert saved.accreditation_set_by_id == admin_id
    assert before <= saved.accreditation_set_at <= utcnow()

    listing = main_part(client.get("/en/admin/associations").text)
    assert "Nationally accredited · no. N2021RN0147, granted on November 8, 2021" in listing
    assert "Accreditation recorded by Alice Martin on" in listing
    # The public page shows the approval (public in France), not who typed it in.
    public = main_part(client.get("/en/account/associations").text)
    assert "Nationally accredited · no. N2021RN0147, granted on November 8, 2021" in public
    assert "Alice Martin" not in public


def test_the_french_pages_say_it_in_french(app, client, auth):
    with stored(app):
        accredited_association("Vivre après un cancer", level="regional",
                               number="ARS-IDF-2023-0148", accredited_on=date(2023, 6, 19))
    public = main_part(client.get("/fr/account/associations").text)
    assert "Agréée au niveau régional · agrément n°\u00a0ARS-IDF-2023-0148 du 19 juin 2023" \
        in public


@pytest.mark.parametrize("level", ["regional", "national"])
def test_number_and_date_are_required_to_be_accredited(app, client, auth, level):
    sign_in_new(app, auth, "admin")
    response = send(client, NEW, accreditation=level, description_fr="Texte gardé")
    assert response.status_code == 422
    summary = error_summary(response.text)
    assert "Accreditation number: Please enter the accreditation number." in summary
    assert "Date of the accreditation: Please enter the date of the accreditation." in summary
    assert 'href="#accreditation_number"' in summary and 'href="#accredited_on"' in summary
    assert 'action="#error-summary"' in response.text
    assert "Texte gardé" in response.text  # what was typed is kept
    assert (level, True) in radios(response.text)  # the level chosen stays checked
    assert stored_association(app) is None


@pytest.mark.parametrize(("typed", "error"), [
    ("tomorrow", "The date of the accreditation cannot be in the future."),
    ("2001-12-31", "Please check the date: the accreditation of patient associations began on "
                   "4 March 2002."),
    ("2021-13-45", "Please enter the date as year-month-day, for example 2021-03-15."),
    ("8 novembre", "Please enter the date as year-month-day, for example 2021-03-15."),
])
def test_a_wrong_date_is_refused_on_the_form(app, client, auth, typed, error):
    sign_in_new(app, auth, "admin")
    if typed == "tomorrow":
        with app.app_context():
            typed = (local_today() + timedelta(days=1)).isoformat()
    response = send(client, NEW, accreditation="regional", accreditation_number="R-2021-7",
                    accredited_on=typed)
    assert response.status_code == 422
    assert f"Date of the accreditation: {error}" in error_summary(response.text)
    assert 'id="accredited_on-error"' in response.text
    assert 'value="R-2021-7"' in response.text and f'value="{typed}"' in response.text
    assert stored_association(app) is None


def test_today_is_accepted(app, client, auth):
    sign_in_new(app, auth, "admin")
    with app.app_context():
        today = local_today()
    response = send(client, NEW, accreditation="regional", accreditation_number="R-1",
                    accredited_on=today.isoformat())
    assert response.status_code == 302
    assert stored_association(app).accredited_on == today


def test_a_number_too_long_is_refused(app, client, auth):
    sign_in_new(app, auth, "admin")
    response = send(client, NEW, accreditation="national", accreditation_number="N" * 51,
                    accredited_on="2021-11-08")
    assert response.status_code == 422
    assert "The accreditation number can have at most 50 characters." in response.text
    assert stored_association(app) is None


def test_an_unknown_level_is_refused(app, client, auth):
    sign_in_new(app, auth, "admin")
    response = send(client, NEW, accreditation="international")
    assert response.status_code == 422
    assert "Accreditation: Not a valid choice." in error_summary(response.text)
    assert stored_association(app) is None


def test_not_accredited_clears_the_number_and_the_date(app, client, auth):
    with stored(app):
        association_id = accredited_association("Patients en réseau").id
    second_admin = sign_in_new(app, auth, "admin", display_name="Bruno Petit")
    # The old number and an unreadable date are still in the form: both are cleared.
    response = send(client, f"/en/admin/associations/{association_id}", accreditation="none",
                    accreditation_number="N2021RN0147", accredited_on="not a date")
    assert response.status_code == 302
    saved = stored_association(app)
    assert (saved.accreditation, saved.accreditation_number, saved.accredited_on) == \
        ("none", None, None)
    assert saved.accreditation_set_by_id == second_admin
    public = main_part(client.get("/en/account/associations").text)
    assert "Not accredited" in public and "N2021RN0147" not in public


def test_saving_other_fields_keeps_who_set_the_accreditation(app, client, auth):
    with stored(app):
        first_admin = user("admin", display_name="Alice Martin")
        item = accredited_association("Patients en réseau", set_by=first_admin)
        item.accreditation_set_at = datetime(2025, 1, 15, 9, 30, tzinfo=UTC)
        association_id, first_admin_id = item.id, first_admin.id
    sign_in_new(app, auth, "admin", display_name="Bruno Petit")
    edit = f"/en/admin/associations/{association_id}"
    page = client.get(edit)
    assert "Accreditation recorded by Alice Martin on January 15, 2025" in page.text
    assert 'value="N2021RN0147"' in page.text and 'value="2021-11-08"' in page.text
    response = send(client, edit, accreditation="national", accreditation_number="N2021RN0147",
                    accredited_on="2021-11-08", description_en="Now in English too.")
    assert response.status_code == 302
    saved = stored_association(app)
    assert saved.description_en == "Now in English too."
    assert saved.accreditation_set_by_id == first_admin_id
    assert saved.accreditation_set_at.date() == date(2025, 1, 15)
    # A new number is a new record: by whoever saved it.
    send(client, edit, accreditation="national", accreditation_number="N2025RN0002",
         accredited_on="2025-01-06")
    saved = stored_association(app)
    assert saved.accreditation_number == "N2025RN0002"
    assert saved.accreditation_set_by_id != first_admin_id


def test_associations_accredited_before_the_numbers_are_flagged(app, client, auth):
    with stored(app):
        item = association("Ancienne association")
        item.accreditation = "regional"  # as the migration leaves them
        association_id = item.id
    sign_in_new(app, auth, "admin")
    listing = main_part(client.get("/en/admin/associations").text)
    assert "The number and date of the accreditation are not recorded yet." in listing
    response = send(client, f"/en/admin/associations/{association_id}",
                    name="Ancienne association", accreditation="regional")
    assert response.status_code == 422
    assert "Please enter the accreditation number." in response.text


def test_french_errors_on_the_french_form(app, client, auth):
    sign_in_new(app, auth, "admin", language="fr")
    page = client.get("/fr/admin/associations/new")
    response = client.post("/fr/admin/associations/new", data={
        **fields(accreditation="national"), "csrf_token": csrf_token(page)})
    assert response.status_code == 422
    summary = error_summary(response.text)
    assert "Numéro d’agrément\u00a0: Veuillez saisir le numéro d’agrément." in summary
    assert "Date de l’agrément\u00a0: Veuillez saisir la date de l’agrément." in summary


def test_only_admins_record_accreditations(app, client, auth):
    sign_in_new(app, auth, "moderator")
    page = client.get("/en/")
    response = client.post(NEW, data={**fields(accreditation="national",
                                               accreditation_number="N1",
                                               accredited_on="2021-11-08"),
                                      "csrf_token": csrf_token(page)})
    assert response.status_code == 403
    assert stored_association(app) is None


def test_the_service_refuses_what_the_form_would(app):
    """Callers other than the form (the CLI, imports) meet the same rules."""
    with app.test_request_context("/en/"), force_locale("en"):
        admin = user("admin")
        with pytest.raises(InvalidAccreditation) as refused:
            services.create_association(admin, name="Sans numéro", accreditation="national",
                                        description_fr="", description_en="")
        assert set(refused.value.problems) == {"accreditation_number", "accredited_on"}
        assert str(refused.value.message) == "Please enter the accreditation number."
        created = services.create_association(
            admin, name="Non agréée", accreditation="none", accreditation_number="N1",
            accredited_on=date(2020, 1, 1), description_fr="", description_en="")
        assert (created.accreditation_number, created.accredited_on) == (None, None)
        assert created.accreditation_set_by_id == admin.id  # "not accredited" is a record too
        db.session.rollback()


def test_the_recorder_stays_a_former_participant_after_erasure(app, client, auth):
    """Recording an accreditation is a staff action: like a moderator's decision, it keeps
    the account's number once the account is erased, never the name."""
    with stored(app):
        recorder = user("admin", display_name="Alice Martin", email="alice@example.org")
        recorder_id = recorder.id
        association_id = accredited_association("Patients en réseau", set_by=recorder).id
    with app.test_request_context("/en/"):
        erase_account(db.session.get(User, recorder_id), delete_content=False)
        db.session.commit()
    with app.app_context():
        assert db.session.get(Association, association_id).accreditation_set_by_id == \
            recorder_id
    sign_in_new(app, auth, "admin")
    listing = main_part(client.get("/en/admin/associations").text)
    assert "Accreditation recorded by Former participant on" in listing
    assert "Alice Martin" not in listing
    assert "Alice Martin" not in client.get(f"/en/admin/associations/{association_id}").text


def test_the_demo_associations_are_accredited_by_the_demo_admin(app):
    from engage.demo import ASSOCIATIONS, load_accounts

    with app.test_request_context("/en/"):
        load_accounts("a demo password that is long enough")
        items = db.session.scalars(select(Association).order_by(Association.name)).all()
        assert [(a.name, a.accreditation, a.accreditation_number, a.accredited_on)
                for a in items] == [
            ("Ensemble contre le cancer du sein en Île-de-France", "regional",
             "ARS-IDF-2023-0148", date(2023, 6, 19)),
            ("Vivre après un cancer", "national", "N2021RN0147", date(2021, 11, 8)),
        ]
        assert {a.accreditation_set_by.email for a in items} == {"admin@example.org"}
        assert len(items) == len(ASSOCIATIONS)
        db.session.rollback()
