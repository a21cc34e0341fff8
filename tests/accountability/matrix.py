"""The accountability area's rows of the authorization matrix: the public record, the
officers' pages and the feed, each described beside its tests."""


def register() -> None:
    from tests.accountability import matrix_feeds, matrix_manage, matrix_public

    for part in (matrix_public, matrix_manage, matrix_feeds):
        part.register()
