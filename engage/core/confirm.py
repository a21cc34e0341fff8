"""Confirmation before what cannot be undone: one mechanism for every such action.

A form whose action cannot be undone (opening a consultation, blocking an author, hiding
items in bulk...) asks first, and says in plain words what will happen and what cannot be
undone. The statement is one `Confirmation`, built by one function of the area, and shown
by both paths:

- with JavaScript (static/js/confirm.js), the submit button carries `data-confirm`: it opens
  a native <dialog> that the page already holds (`confirm_button` in
  templates/_macros/confirm.html); "Confirm" submits the form with `confirmed=1`, "Cancel"
  and Escape close the dialog and give the focus back to the button;
- without JavaScript (or without <dialog>), the form posts without `confirmed`: once the
  form is valid, the route answers `confirmation_page(...)` (templates/confirm.html, 200):
  a second page with the statement and a form that re-posts every submitted field with
  `confirmed=1` and a fresh CSRF token, and a "Cancel" link back. It performs nothing.

Only a POST carrying `confirmed=1` performs the action. A GET never does: the confirmation
page is only ever the answer to a POST, and the routes that use it accept POST only for the
action. The CSRF token is checked (by the form's validation) before either answer.

How to apply it to another action (publishing a summary, say)
-------------------------------------------------------------

1. Next to the route, one function builds the statement from the object, so that the page
   of the form (the dialog) and the route (the second page) say the same thing::

       from engage.core.confirm import Confirmation

       def _publish_confirmation(summary) -> Confirmation:
           return Confirmation(
               key="publish-summary",                     # unique in the page
               title=_("Publish this summary?"),
               what=_("It will be public on the consultation's page, and ..."),
               cannot_undo=_("A published summary cannot be withdrawn."),
               button=_("Publish the summary"),           # names the action
               cancel_url=url_for("summaries.edit", summary_id=summary.id),
           )

2. In the route, once the form is valid (CSRF included) and before calling the service::

       from engage.core import confirm

       if not confirm.confirmed():
           return confirm.confirmation_page(_publish_confirmation(summary))

   Where only some values of the form need it (bulk: "hide" only; a review: the submit
   button, not "Save my draft"), test them before (`request.form.get("action") == ...`)
   and pass `only_if=("action", "hide")` to the Confirmation for the dialog.

3. In the page of the form, give the template the same confirmation and render the submit
   button with the macro, inside the form::

       {% from "_macros/confirm.html" import confirm_button %}
       {{ confirm_button(publish_confirmation) }}
       {# or: confirm_button(c, label=_("..."), class="button danger",
                             name="action", value="publish") #}

4. Tests (through the test client): the POST without `confirmed` answers 200 with the
   statement, re-posts the fields and changes nothing; with `confirmed=1` it acts; without
   the CSRF token it is refused; add `confirmed=1` to the existing tests that perform it.

A sentence with a number the browser counts (the selected items) is a `Counted`: see
`Counted.of`. File fields cannot be re-posted: do not use this on a form with a file.
"""

from collections.abc import Callable
from dataclasses import dataclass

from flask import render_template, request
from flask_wtf.csrf import generate_csrf

FIELD = "confirmed"
# The plural categories (CLDR) the browser may pick, and a number of each in French and in
# English; "many" exists in French only (a million, ...), and English never asks for it.
_PLURAL_SAMPLES = {"one": 1, "many": 1_000_000, "other": 2}


@dataclass(frozen=True)
class Counted:
    """A sentence whose number the browser counts while the dialog opens: how many boxes
    named `field` are checked in the form. `forms` maps a plural category ("one", "many",
    "other") to the sentence, with "{count}" where the number goes."""

    field: str
    forms: dict[str, str]

    @classmethod
    def of(cls, field: str, sentence: Callable[[int, str], str]) -> "Counted":
        """`sentence(number, shown)` is the area's ngettext call, `shown` the number as
        written; the same function writes the second page's sentence with the real count."""
        return cls(field, {category: sentence(sample, "{count}")
                           for category, sample in _PLURAL_SAMPLES.items()})


@dataclass(frozen=True)
class Confirmation:
    """What a confirmation says, in the dialog and on the second page alike."""

    key: str  # unique in the page: the dialog's id is "confirm-<key>"
    title: str  # the question, as the heading: "Open this consultation?"
    what: str  # what will happen, in plain words
    cannot_undo: str  # what cannot be undone
    button: str  # the confirming button, naming the action
    cancel_url: str  # where "Cancel" goes on the second page: the page of the form
    note: str = ""  # the second page only: what has already happened (a draft saved...)
    counted: Counted | None = None  # the dialog only: `what` counted in the browser
    only_if: tuple[str, str] | None = None  # the dialog only: (field, value) that needs it

    @property
    def dialog_id(self) -> str:
        return f"confirm-{self.key}"


def confirmed() -> bool:
    """Whether this request confirms: a POST carrying confirmed=1 (never a GET)."""
    return request.method == "POST" and request.form.get(FIELD) == "1"


def _is_csrf(name: str) -> bool:
    return name == "csrf_token" or name.endswith("-csrf_token")


def resubmitted_fields() -> list[tuple[str, str]]:
    """Every field this POST carried, in order, with a fresh CSRF token (the form may stay
    open a while) and without `confirmed` (the page adds it)."""
    return [(name, generate_csrf() if _is_csrf(name) else value)
            for name, value in request.form.items(multi=True) if name != FIELD]


def confirmation_page(confirmation: Confirmation, action: str | None = None,
                      status: int = 200):
    """The second page: the statement and a form re-posting every field with confirmed=1
    to `action` (by default the URL this POST went to)."""
    fields = resubmitted_fields()
    if not any(_is_csrf(name) for name, _value in fields):
        fields.append(("csrf_token", generate_csrf()))
    target = action or (request.full_path if request.query_string else request.path)
    return render_template("confirm.html", confirmation=confirmation, fields=fields,
                           action=target, confirmed_field=FIELD), status
