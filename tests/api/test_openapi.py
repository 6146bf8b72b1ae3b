"""The OpenAPI document at /api/v1/openapi.json: valid, explicit, and honest about errors."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import jsonschema_rs  # schemathesis's own JSON Schema validator
import pytest
import schemathesis
from django.test import Client

from .conftest import API

METHODS = {"get", "put", "post", "delete", "patch"}


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    response = Client().get(f"{API}/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def _operations(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield method, path, operation


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def test_the_document_is_public_and_says_openapi_3_1(document: dict[str, Any]) -> None:
    assert document["openapi"].startswith("3.1")
    assert document["info"]["title"] == "Tandem API"


def test_the_document_is_valid_against_the_openapi_3_1_schema(document: dict[str, Any]) -> None:
    schemathesis.openapi.from_dict(document).validate()


def test_every_component_is_a_valid_json_schema(document: dict[str, Any]) -> None:
    for name, component in document["components"]["schemas"].items():
        try:
            jsonschema_rs.meta.validate(component)
        except jsonschema_rs.ValidationError as error:
            pytest.fail(f"components/schemas/{name}: {error}")


def test_every_reference_resolves(document: dict[str, Any]) -> None:
    for ref in set(_refs(document)):
        node: Any = document
        assert ref.startswith("#/"), ref
        for part in ref[2:].split("/"):
            assert part in node, f"{ref} does not resolve"
            node = node[part]


def test_every_operation_has_an_explicit_unique_id(document: dict[str, Any]) -> None:
    ids = [operation["operationId"] for _m, _p, operation in _operations(document)]
    assert len(ids) == len(set(ids))
    for operation_id in ids:
        # ninja's default would be "tandem_api_routers_<module>_<function>".
        assert re.fullmatch(r"[a-z]+(_[a-z]+)*", operation_id), operation_id
        assert not operation_id.startswith("tandem_"), operation_id


def test_every_operation_declares_its_errors_in_the_common_shape(
    document: dict[str, Any],
) -> None:
    schemas = document["components"]["schemas"]
    assert schemas["ErrorOut"]["required"] == ["detail"]
    assert schemas["ErrorOut"]["properties"]["detail"]["type"] == "string"
    for method, path, operation in _operations(document):
        responses = operation["responses"]
        label = f"{method.upper()} {path}"
        assert {"401", "403"} <= set(responses), label
        has_input = bool(operation.get("parameters") or operation.get("requestBody"))
        assert ("422" in responses) == has_input, label
        if "requestBody" in operation:
            assert "400" in responses, f"{label}: a body that is not JSON gets 400"
            body = operation["requestBody"]["content"]["application/json"]["schema"]
            target = schemas[body["$ref"].rsplit("/", 1)[1]]
            assert target.get("additionalProperties") is False, f"{label}: unknown fields"
        for status, response in responses.items():
            if status.startswith("4"):
                expected = "InputErrorOut" if status == "422" else "ErrorOut"
                schema = response["content"]["application/json"]["schema"]
                assert schema == {"$ref": f"#/components/schemas/{expected}"}, (label, status)


def test_every_path_parameter_is_a_uuid_or_one_of_a_fixed_list(document: dict[str, Any]) -> None:
    for method, path, operation in _operations(document):
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "path":
                schema = parameter["schema"]
                label = f"{method.upper()} {path} {parameter['name']}"
                assert schema.get("format") == "uuid" or schema.get("enum"), label
