"""The OpenAPI document: well formed, and describing exactly the routes that exist."""

import re

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from engage.api import openapi
from engage.api.routes import LICENCE


def _document(api):
    response = api.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.get_json()


def test_the_document_is_openapi_3_1_with_the_data_licence(api, app):
    document = _document(api)
    assert document["openapi"] == "3.1.0"
    assert document["info"]["license"] == {"name": "Licence Ouverte 2.0 / Etalab",
                                           "identifier": "etalab-2.0"}
    assert document["servers"] == [{"url": "/api/v1"}]
    assert document == openapi.document(app.config["LANGUAGES"], LICENCE)


def _refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def test_every_schema_is_valid_json_schema_and_every_reference_resolves(api):
    document = _document(api)
    for schema in document["components"]["schemas"].values():
        Draft202012Validator.check_schema(schema)
    resolver = Registry().with_resource(
        "urn:api", Resource.from_contents(document, default_specification=DRAFT202012)
    ).resolver("urn:api")
    refs = set(_refs(document))
    assert refs
    for ref in refs:
        assert ref.startswith("#/components/")
        assert resolver.lookup(f"urn:api{ref}").contents is not None, ref


def test_every_operation_is_described_with_its_answers(api):
    document = _document(api)
    operation_ids = []
    for path, item in document["paths"].items():
        assert set(item) == {"get"}, f"{path}: the API is read-only"
        operation = item["get"]
        operation_ids.append(operation["operationId"])
        assert {"200", "304"} <= set(operation["responses"]), path
        for parameter in operation.get("parameters", []):
            if "name" in parameter and parameter["in"] == "path":
                assert "{" + parameter["name"] + "}" in path
        for name in re.findall(r"\{(\w+)\}", path):
            assert {"name": name, "in": "path", "required": True,
                    "schema": openapi.ID} in operation["parameters"], (path, name)
    assert len(operation_ids) == len(set(operation_ids))


def test_the_document_lists_exactly_the_routes_of_the_api(api, app):
    document = _document(api)
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api.") and rule.endpoint != "api.unknown":
            assert rule.methods - {"HEAD", "OPTIONS"} == {"GET"}, rule
            path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule.removeprefix("/api/v1"))
            routes.add(path)
    assert routes == set(document["paths"])
