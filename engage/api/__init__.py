"""The open-data API: published content as JSON under /api/v1, read-only.

`queries` holds the statements (what is public, in a fixed number of queries per page),
`serializers` turns rows into plain dicts, `openapi` describes the responses, and `views`
adds pagination links, ETags and CORS headers.
"""
