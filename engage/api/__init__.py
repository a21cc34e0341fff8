"""The open-data API: published content as JSON under /api/v1, read-only.

`queries` holds the statements (what is public, in a fixed number of queries per page),
`serializers` turns rows into plain dicts, `openapi` describes the responses, and `routes`
adds pagination links, ETags and CORS headers.
"""


def init_app(app) -> None:
    from engage.api.routes import bp

    app.register_blueprint(bp)
