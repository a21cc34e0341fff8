"""Write operations of the accountability area. Each takes an explicit actor, checks the
permission and the state, writes the area's audit log (follows excepted: a person's own
choice), flushes and never commits; an invalid move raises DomainError before anything is
changed. Publishing a response, updating a commitment or a project, linking a call and
publishing a project tell the people concerned (engage.accountability.notifications).

By subject: responses.py (responses, commitments and their updates), projects.py (calls'
links and funded projects: the one module that reads lay review), follows.py. Callers use
`from engage.accountability import services`.
"""

from engage.accountability.services._shared import init_files
from engage.accountability.services.follows import follow, follow_of, unfollow
from engage.accountability.services.projects import (
    add_project_update,
    create_funded_projects,
    edit_project,
    lay_review_facts,
    link_call,
    project_state,
    publish_project,
    unlink_call,
)
from engage.accountability.services.responses import (
    CommitmentInput,
    add_commitment,
    add_update,
    commitment_state,
    correct,
    discard_response,
    edit_commitment,
    publish,
    refresh_citations,
    remove_commitment,
    response_to,
    start_response,
)

__all__ = [
    "CommitmentInput", "add_commitment", "add_project_update", "add_update",
    "commitment_state", "correct", "create_funded_projects", "discard_response",
    "edit_commitment", "edit_project", "follow", "follow_of", "init_files",
    "lay_review_facts", "link_call", "project_state", "publish", "publish_project",
    "refresh_citations", "remove_commitment", "response_to", "start_response", "unfollow",
    "unlink_call",
]
