"""Numbers from a URL stay within what the database can compare.

PostgreSQL's `integer` columns hold at most 2**31 - 1, and an OFFSET at most 2**63 - 1:
`/consultations/2147483648` or `?page=10000000000000000000` made the query fail, a 500
(SQLite, with 64-bit integers, answered 404). Werkzeug's `int` converter has no upper bound.
`refuse_numbers_out_of_range`, run before every view, answers 404, like for any id that
does not exist, when a number of the URL's path or a page number is out of range.
"""

from flask import Flask, abort, request

MAX_ID = 2**31 - 1
PAGE_ARGUMENTS = ("page",)  # and every argument ending in "_page"


def within_range(number: int | None) -> int | None:
    """`number` if the database can compare it to an id, else None (no such filter)."""
    return number if number is not None and 0 <= number <= MAX_ID else None


def out_of_range() -> bool:
    for value in (request.view_args or {}).values():
        if isinstance(value, int) and not 0 <= value <= MAX_ID:
            return True
    for name, value in request.args.items():
        if name in PAGE_ARGUMENTS or name.endswith("_page"):
            digits = value.strip().lstrip("+-")
            # ASCII only: "²".isdigit() is true, and int("²") fails.
            if digits.isascii() and digits.isdigit() and int(digits) > MAX_ID:
                return True
    return False


def refuse_numbers_out_of_range() -> None:
    if out_of_range():
        abort(404)


def init_app(app: Flask) -> None:
    app.before_request(refuse_numbers_out_of_range)
