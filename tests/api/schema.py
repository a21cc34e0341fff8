"""Every API response checked against the OpenAPI document the API serves.

`ApiClient` is a Flask test client that validates the body of each /api/v1 response
against the schema the document gives for that path and status (JSON Schema 2020-12,
with `jsonschema`), so that no test can read a response the document does not describe.
"""

import json
import re

from flask.testing import FlaskClient
from jsonschema import Draft202012Validator

PREFIX = "/api/v1"


def _pointer(*parts: str) -> str:
    return "#/" + "/".join(p.replace("~", "~0").replace("/", "~1") for p in parts)


class SpecValidator:
    def __init__(self, spec: dict):
        self.spec = spec
        self.templates = []
        for template in spec["paths"]:
            parts = re.split(r"\{(\w+)\}", template)
            pattern = "".join(re.escape(part) if index % 2 == 0 else f"(?P<{part}>[^/]+)"
                              for index, part in enumerate(parts))
            self.templates.append((re.compile(f"^{re.escape(PREFIX)}{pattern}$"), template))
        self._validators: dict[str, Draft202012Validator] = {}

    def template_for(self, path: str) -> str | None:
        for pattern, template in self.templates:
            if pattern.match(path):
                return template
        return None

    def validator(self, pointer: str) -> Draft202012Validator:
        if pointer not in self._validators:
            # The document itself is the root schema: its `$ref`s resolve inside it.
            schema = {**self.spec, "$ref": pointer}
            self._validators[pointer] = Draft202012Validator(
                schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
        return self._validators[pointer]

    def check(self, method: str, path: str, status: int, body: bytes) -> None:
        template = self.template_for(path)
        if status == 304:
            assert body == b"", "a 304 has no body"
            return
        if 300 <= status < 400:
            return  # /api/v1 -> /api/v1/
        if method == "HEAD":
            assert template is None or str(status) in self.spec["paths"][template]["get"][
                "responses"], f"{status} is not documented for {template}"
            return
        if template is None:
            assert status == 404, f"{path} is not in the OpenAPI document"
            pointer = _pointer("components", "schemas", "Error")
        else:
            operation = self.spec["paths"][template]["get"]
            response = operation["responses"].get(str(status))
            assert response is not None, f"{status} is not documented for {method} {template}"
            pointer = _pointer("paths", template, "get", "responses", str(status),
                               "content", "application/json", "schema")
        data = json.loads(body)
        errors = list(self.validator(pointer).iter_errors(data))
        assert not errors, "\n".join(
            f"{method} {path} {status}: {'/'.join(map(str, e.absolute_path))}: {e.message}"
            for e in errors[:10])


class ApiClient(FlaskClient):
    """A test client that validates every /api/v1 response against the OpenAPI document."""

    validator: SpecValidator
    checked = 0

    def open(self, *args, **kwargs):
        response = super().open(*args, **kwargs)
        request = response.request
        if request.path.startswith(PREFIX) and request.method in ("GET", "HEAD"):
            self.validator.check(request.method, request.path, response.status_code,
                                 response.get_data())
            type(self).checked += 1
        return response
