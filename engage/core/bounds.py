"""What a request may hold: an address of sane length, numbers the database can compare,
a form in UTF-8. Anything else is refused with a 4xx page, never a 500.

- **Numbers.** PostgreSQL's `integer` columns hold at most 2**31 - 1, and an OFFSET at most
  2**63 - 1: `/consultations/2147483648` or `?page=10000000000000000000` made the query fail,
  a 500 (SQLite's INTEGER stops at 2**63 - 1: an OverflowError). Werkzeug's `int` converter
  has no upper bound. `refuse_numbers_out_of_range`, run before every view, answers 404, like
  for any id that does not exist, when a number of the URL's path, a page number or an id of
  the query string is out of range.
- **Long addresses.** gunicorn answered a request line beyond its limit with a bare 414 of
  its own, without the security headers; it now passes every request line to the app
  (deploy/gunicorn.conf.py), which answers 414 itself beyond MAX_URL_LENGTH. The bound also
  keeps every number of the address under the 4,300 digits beyond which Python's `int()`
  raises ValueError.
- **Forms not in UTF-8.** Werkzeug read a form whose bytes are not UTF-8 as an empty form
  (its parser is silent on a decoding error), and the CSRF check then said "the form had
  expired"; a percent-escape that is not UTF-8 (`%ff`) was kept as the text "%FF". Such a
  form is a request that could not be understood: 400.
"""

import codecs
from urllib.parse import parse_qsl

from flask import Flask, abort, request
from flask.wrappers import Request
from werkzeug.exceptions import BadRequest
from werkzeug.formparser import FormDataParser, MultiPartParser

MAX_ID = 2**31 - 1
PAGE_ARGUMENTS = ("page",)  # and every argument ending in "_page"
ID_ARGUMENTS = ("id",)  # and every argument ending in "_id"
# Path and query string together, as sent. gunicorn's default limit on the whole request
# line was 4094 bytes: no address that worked before is refused.
MAX_URL_LENGTH = 4096


def within_range(number: int | None) -> int | None:
    """`number` if the database can compare it to an id, else None (no such filter)."""
    return number if number is not None and 0 <= number <= MAX_ID else None


def _beyond_max_id(digits: str) -> bool:
    """Whether a string of ASCII digits is a number above MAX_ID (compared by length first:
    `int()` refuses strings of more than 4,300 digits)."""
    significant = digits.lstrip("0")
    if len(significant) != len(str(MAX_ID)):
        return len(significant) > len(str(MAX_ID))
    return int(significant) > MAX_ID


def _is_numbered_argument(name: str) -> bool:
    return name in PAGE_ARGUMENTS or name.endswith("_page") \
        or name in ID_ARGUMENTS or name.endswith("_id")


def out_of_range() -> bool:
    for value in (request.view_args or {}).values():
        if isinstance(value, int) and not 0 <= value <= MAX_ID:
            return True
    for name, value in request.args.items(multi=True):
        if _is_numbered_argument(name):
            digits = value.strip().lstrip("+-")
            # ASCII only: "²".isdigit() is true, and int("²") fails.
            if digits.isascii() and digits.isdigit() and _beyond_max_id(digits):
                return True
    return False


def refuse_numbers_out_of_range() -> None:
    if out_of_range():
        abort(404)


def url_length() -> int:
    """The length of the path and query string as the client sent them."""
    environ = request.environ
    raw = environ.get("RAW_URI") or environ.get("REQUEST_URI")
    if raw:
        return len(raw)
    return len(request.full_path)


def refuse_long_urls() -> None:
    if url_length() > MAX_URL_LENGTH:
        abort(414)


# A codec that reads UTF-8 strictly whatever error handling its caller asks for: Werkzeug's
# multipart parser decodes each field with errors="replace", which would alter the text.
STRICT_UTF8 = "engage_strict_utf8"


def _strict_utf8_codec(name: str) -> codecs.CodecInfo | None:
    if name != STRICT_UTF8:
        return None
    utf8 = codecs.lookup("utf-8")
    return codecs.CodecInfo(utf8.encode, lambda data, errors="strict": codecs.utf_8_decode(
        data, "strict", True), name=STRICT_UTF8)


codecs.register(_strict_utf8_codec)


class StrictMultiPartParser(MultiPartParser):
    def get_part_charset(self, headers) -> str:
        charset = super().get_part_charset(headers)
        return STRICT_UTF8 if charset.lower().replace("-", "") == "utf8" else charset


class UTF8FormDataParser(FormDataParser):
    """Werkzeug's parser, except that a form that is not UTF-8 (raw bytes or percent-escapes
    in a URL-encoded form, raw bytes in a field of a multipart one) is refused with 400
    instead of being read as empty or altered."""

    def _parse_multipart(self, stream, mimetype, content_length, options):
        parser = StrictMultiPartParser(
            stream_factory=self.stream_factory, max_form_memory_size=self.max_form_memory_size,
            max_form_parts=self.max_form_parts, cls=self.cls)
        boundary = options.get("boundary", "").encode("ascii")
        if not boundary:
            raise BadRequest()
        try:
            form, files = parser.parse(stream, boundary, content_length)
        except UnicodeDecodeError as error:
            raise BadRequest() from error
        return stream, form, files

    def _parse_urlencoded(self, stream, mimetype, content_length, options):
        try:
            items = parse_qsl(stream.read().decode("utf-8"), keep_blank_values=True,
                              encoding="utf-8", errors="strict")
        except UnicodeDecodeError as error:
            raise BadRequest() from error
        return stream, self.cls(items), self.cls()


class EngageRequest(Request):
    form_data_parser_class = UTF8FormDataParser


def init_app(app: Flask) -> None:
    app.request_class = EngageRequest
    # Before every other check (the CSRF token, the limits, the signed-in user): a request
    # whose address is too long is refused before anything reads it.
    app.before_request_funcs.setdefault(None, []).insert(0, refuse_long_urls)
    app.before_request(refuse_numbers_out_of_range)
