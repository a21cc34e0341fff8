# The kinds of the network's record (issue 19), written out: a test must fail if a kind goes.
RECORD_KINDS = ("commitment_response", "commitment_status", "priority_taken_up",
                "position_cited", "followed_update")
