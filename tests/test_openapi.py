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
