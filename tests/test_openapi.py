"""The API describes itself: the OpenAPI schema and the interactive docs."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.django_db


def test_schema_lists_the_endpoints(client: Any) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert set(paths["/api/v1/deployments"]) == {"get", "post"}
    assert {"get", "patch"} <= set(paths["/api/v1/deployments/{deployment_id}"])
    assert "post" in paths["/api/v1/deployments/{deployment_id}/phase"]
    assert "get" in paths["/api/v1/organisations"]
    schemes = response.json()["components"]["securitySchemes"]
    assert schemes["BearerToken"]["scheme"] == "bearer"


def test_docs_page_loads_with_local_assets(world: Any, client_for: Any) -> None:
    response = client_for(world.viewer).get("/api/v1/docs")
    html = response.content.decode()
    assert response.status_code == 200
    assert "swagger-ui-bundle.js" in html
    assert "cdn." not in html  # works without internet access


def _definitions_per_model() -> list[tuple[str, dict[str, Any]]]:
    """Every component definition as the model that needs it describes it alone."""
    from ninja.constants import NOT_SET
    from ninja.openapi.schema import REF_TEMPLATE

    from missionsafety.api import api
    from missionsafety.core.api import UniqueNames

    found = []
    for router in api._get_bound_routers():
        for view in router.path_operations.values():
            for operation in view.operations:
                wanted = [(m, "validation", True) for m in operation.models] + [
                    (m, "serialization", operation.by_alias)
                    for m in operation.response_models.values()
                    if m not in (None, NOT_SET)
                ]
                for model, mode, by_alias in wanted:
                    schema = model.model_json_schema(
                        ref_template=REF_TEMPLATE,
                        by_alias=by_alias,
                        schema_generator=UniqueNames,
                        mode=mode,
                    )
                    found += list(schema.get("$defs", {}).items())
    return found


def test_no_component_overwrites_another_of_the_same_name(client: Any) -> None:
    components = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    definitions = _definitions_per_model()
    assert {"ControlKind", "OccurrenceKind", "ThreadKind"} <= set(components)
    assert "Kind" not in components or components["Kind"]["enum"] == [
        "issue",
        "good_practice",
    ]
    for name, definition in definitions:
        assert components[name] == definition, f"{name} was overwritten"


def test_every_enum_default_is_one_of_its_values(client: Any) -> None:
    document = client.get("/api/v1/openapi.json").json()
    components = document["components"]["schemas"]

    def enum_of(schema: dict[str, Any]) -> list[Any] | None:
        if "enum" in schema:
            return list(schema["enum"])
        for part in schema.get("allOf", []) + schema.get("anyOf", []):
            if "$ref" in part:
                return enum_of(components[part["$ref"].rsplit("/", 1)[1]])
            if "enum" in part:
                return list(part["enum"])
        if "$ref" in schema:
            return enum_of(components[schema["$ref"].rsplit("/", 1)[1]])
        return None

    checked = []
    for name, component in components.items():
        for field, schema in component.get("properties", {}).items():
            values = enum_of(schema)
            if values is not None and "default" in schema:
                assert schema["default"] in values, f"{name}.{field}"
                checked.append(f"{name}.{field}")
    assert "ControlIn.kind" in checked
