"""Who may do what in a priority-setting exercise, at each stage: pure functions.

`user` may be anonymous (Flask-Login's AnonymousUserMixin): every function checks
`is_authenticated` first.
"""

from engage.priorities.models import Stage

# Stages in which indicative questions exist and can be discussed.
DISCUSSION_STAGES = (Stage.PROCESSING, Stage.INTERIM_RANKING, Stage.FINAL_WORKSHOP)
# Stages in which moderators may still add a stakeholder group.
GROUP_STAGES = (Stage.DRAFT, Stage.GATHERING, Stage.PROCESSING)


def is_moderator(user) -> bool:
    return bool(user.is_authenticated and user.is_moderator)


def can_write(user) -> bool:
    """Signed in, email confirmed, consenting and not blocked."""
    return bool(user.is_authenticated and user.can_write)


def can_view_exercise(user, exercise) -> bool:
    return not exercise.at(Stage.DRAFT) or is_moderator(user)


def can_manage_exercise(user, exercise=None) -> bool:
    """Create an exercise, edit its texts, see its dashboard."""
    return is_moderator(user)


def can_move_stage(user, exercise) -> bool:
    return is_moderator(user) and exercise.next_stage is not None


def can_add_group(user, exercise) -> bool:
    return is_moderator(user) and exercise.at(*GROUP_STAGES)


def can_change_workshop_size(user, exercise) -> bool:
    return is_moderator(user) and not exercise.reached(Stage.FINAL_WORKSHOP)


def can_submit(user, exercise) -> bool:
    return can_write(user) and exercise.at(Stage.GATHERING)


def can_see_submissions(user, exercise) -> bool:
    """The full list of submissions, with their authors (visitors see how many there are)."""
    return is_moderator(user)


def can_view_questions(user, exercise) -> bool:
    return exercise.reached(Stage.PROCESSING) or is_moderator(user)


def can_process(user, exercise) -> bool:
    """Write indicative questions, link submissions, set questions aside."""
    return is_moderator(user) and exercise.at(Stage.PROCESSING)


def can_comment(user, exercise) -> bool:
    return can_write(user) and exercise.at(*DISCUSSION_STAGES)


def can_report(user, item) -> bool:
    """Report a visible comment or submission that is not one's own."""
    return can_write(user) and item.is_visible and item.author_id != user.id


def can_moderate(user, item=None) -> bool:
    """Hide or restore a comment or a submission."""
    return is_moderator(user)


def can_rank(user, exercise) -> bool:
    return can_write(user) and exercise.at(Stage.INTERIM_RANKING)


def can_record_workshop(user, exercise) -> bool:
    return is_moderator(user) and exercise.at(Stage.FINAL_WORKSHOP)


def can_see_results(user, exercise) -> bool:
    """Everyone once published; moderators follow the tally from the interim ranking on."""
    if exercise.at(Stage.PUBLISHED):
        return True
    return is_moderator(user) and exercise.reached(Stage.INTERIM_RANKING)
