"""Accountability: what the network did with what people said (issue 19), traceable from a
contribution or a priority to the commitments, calls and funded projects that answer it.

Pages: routes/ (public record, officers' pages, feed).

Decisions:

- **Who.** A new role, network officer (`Role.OFFICER`, « chargé·e de mission du réseau »),
  ranked between moderator and administrator: officers record the network's response and can
  moderate; administrators can do what officers do. Moderators read what is published, like
  everyone.
- **A response** answers one published summary or one exercise's published results
  (exactly one: CHECK), one response each (unique). It is a draft until published; a
  published response is fixed: nothing of it is deleted nor rewritten (the services refuse,
  and the models' delete guards refuse whatever path a deletion takes), and no commitment is
  added to it. What happens next is told through dated **updates**; a correction is an update
  of its own kind (`services.correct`), the published text staying as it was.
- **A commitment** has a title and a text per language (translation rows, the other language
  shown when one is missing; a title in one language at least), an owner (free text), a
  status (planned, in progress, done, not retained), start, due and done dates. "Not
  retained" needs a reason and "done" a date: the model's state methods refuse them without,
  and so does the database (CHECKs). The reason is kept in one column per language
  (`reason_fr`, `reason_en`) so that a CHECK can see it. Once published, the status (and the
  due date) change only through an update, which keeps the status it set.
- **What a commitment answers**: contributions cited as `[#123]` in its texts (read as
  engage.summaries.citations reads a summary, kept in a link table; only contributions of the
  summary's consultation) and research priorities (questions of published results; of the
  response's own exercise for a response to priorities).
- **Calls and projects.** A call declares the priorities or commitments it answers
  (`CallLink`; withdrawn only until the call is decided). A decided call's funded
  applications become draft **funded projects** (running it again creates nothing twice;
  applications on the waiting list or not funded never appear) with their title, lay summary
  and institutions copied, to be completed in the other language and published. Of lay
  review, only aggregates that describe no one are kept: the number of lay reviewers who
  submitted a review for the call, published from 5 people on (else "fewer than 5", and the
  database refuses a count from 1 to 4), and the number of rounds (one per call in lay
  review today). No score, comment, note or reviewer's identity is copied: lay review's
  models are read by services/projects.py only, so that queries.py (what the API will read)
  never reaches them.
- **Audit.** Every change of the record is in the area's own audit log
  (`accountability_audit_log`, append-only), beside moderation's and accounts' logs: the
  import contracts keep this area off moderation's internals, and the record's entries are
  not moderation decisions. Following is a person's own choice, not audited, and goes with
  the account.
- **Documents** of updates are PDFs checked and stored like the consultations' public
  documents (engage.core.uploads.DOCUMENTS), removed again if the transaction rolls back.
- **Version counters** (engage.core.versions): a response, its commitments and updates belong
  to the consultation of the summary or to the exercise they answer; call links and projects
  to their call; all to the site-wide list `COMMITMENTS` (page_versions.py).
"""


def init_app(app) -> None:
    from engage.accountability import page_versions

    page_versions.register()  # what its writes change (engage.core.versions)
    from engage.accountability import models, personal_data, services  # noqa: F401 - the tables
    from engage.accountability.routes import bp, feeds, manage, manage_bp, public  # noqa: F401
    from engage.core import registry

    services.init_files()
    personal_data.register(registry.of(app))
    app.register_blueprint(bp)
    app.register_blueprint(manage_bp)
    from engage.accountability import demo, queries

    entries = registry.of(app)
    # After the consultations', summaries', priorities' and lay review's demo data it uses.
    entries.demo_loaders.append(demo.load_demo)
    # « Ce que vos avis ont changé »: first of the home page's outcomes.
    entries.home_outcomes.append(registry.HomeSection(
        template="accountability/_home_outcomes.html", load=queries.home_outcomes, order=5))
