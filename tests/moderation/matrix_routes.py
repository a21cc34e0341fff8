"""The moderation and summaries routes for the authorization matrix (tests/security).

For the integrator: `import tests.moderation.matrix_routes  # noqa: F401` at the end of
tests/security/matrix.py adds these routes and their world builder.
"""

from engage.core.moderated import file_report
from engage.extensions import db
from tests.security.matrix import Route, admins, everyone, moderators, routes
from tests.security.world import WORLD_BUILDERS


def build(app, world) -> None:
    from tests.factories import consultations as builders
    from tests.factories.summaries import closed_consultation, published

    with app.app_context():
        moderator, consultation, items = closed_consultation(2)
        summary = published(moderator, consultation, items)
        file_report(builders.user("participant"), items[1], "spam")
        db.session.commit()
        world.update(
            moderated_consultation_id=consultation.id,
            moderated_contribution_id=items[1].id,
            summary_id=summary.id,
            moderation_author_id=items[1].author_id,
        )


WORLD_BUILDERS.append(build)

ITEM = {"target_type": "contribution_type", "target_id": "moderated_contribution_id"}

routes(
    Route("moderation.index", {"GET": moderators()}),
    Route("moderation.bulk", {"POST": moderators()}),
    Route("moderation.item", {"GET": moderators()}, url_args=ITEM),
    Route("moderation.act", {"POST": moderators()},
          url_args={**ITEM, "action": "hide_action"}),
    Route("moderation.redact", {"GET": moderators(), "POST": moderators()}, url_args=ITEM),
    Route("moderation.user", {"GET": moderators()},
          url_args={"user_id": "moderation_author_id"}),
    Route("moderation.block_user", {"POST": moderators()},
          url_args={"user_id": "moderation_author_id"}),
    Route("moderation.unblock_user", {"POST": moderators()},
          url_args={"user_id": "moderation_author_id"}),
    Route("moderation.themes", {"GET": moderators()},
          url_args={"consultation_id": "moderated_consultation_id"}),
    Route("moderation.accept_suggestion", {"POST": moderators()},
          url_args={"consultation_id": "moderated_consultation_id"}),
    Route("moderation.ignore_suggestion", {"POST": moderators()},
          url_args={"consultation_id": "moderated_consultation_id"}),
    Route("moderation.merge_themes", {"GET": moderators(), "POST": moderators()}),
    Route("moderation.audit", {"GET": admins()}),
    Route("summaries.index", {"GET": everyone()}),
    Route("summaries.feed", {"GET": everyone()}),
    Route("summaries.report", {"GET": everyone()}, url_args={"summary_id": "summary_id"}),
    Route("summaries.report_pdf", {"GET": everyone()}, url_args={"summary_id": "summary_id"}),
    Route("summaries.contributions_csv", {"GET": everyone()},
          url_args={"summary_id": "summary_id"}),
    Route("summaries.contributions_json", {"GET": everyone()},
          url_args={"summary_id": "summary_id"}),
    Route("summaries.questionnaire_csv", {"GET": everyone()},
          url_args={"summary_id": "summary_id"}),
    Route("summaries.manage", {"GET": moderators()}),
    Route("summaries.start", {"POST": moderators()},
          url_args={"consultation_id": "moderated_consultation_id"}),
    Route("summaries.edit", {"GET": moderators(), "POST": moderators()},
          url_args={"summary_id": "summary_id"}),
    Route("summaries.workflow", {"POST": moderators()},
          url_args={"summary_id": "summary_id", "step": "approve_step"}),
    Route("summaries.response", {"GET": moderators(), "POST": moderators()},
          url_args={"summary_id": "summary_id"}),
    Route("summaries.readability", {"POST": moderators()}),
)


def _constants(app, world) -> None:
    world.update(contribution_type="contribution", hide_action="hide", approve_step="approve")


WORLD_BUILDERS.append(_constants)
