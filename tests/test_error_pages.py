"""The 404, 403 and 500 pages render, in the product's look, without leaking."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.views import defaults

pytestmark = pytest.mark.django_db


def test_404_page(world: Any, client_for: Any) -> None:
    client = client_for(world.viewer)
    client.cookies.load({"missionsafety_language": "en"})
    response = client.get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Not found" in html
    assert "Back to my deployments" in html


def test_404_for_a_foreign_deployment_looks_the_same(
    world: Any, client_for: Any
) -> None:
    client = client_for(world.bde43_safety)
    foreign = client.get(f"/deployments/{world.dep.pk}/")
    missing = client.get("/deployments/999999/")
    assert foreign.status_code == missing.status_code == 404
    assert world.dep.code not in foreign.content.decode()


def test_403_page(world: Any) -> None:
    request = RequestFactory().get("/")
    request.user = world.viewer
    response = defaults.permission_denied(request, PermissionDenied())
    assert response.status_code == 403
    assert "Mission Safety" in response.content.decode()


def test_500_page() -> None:
    response = defaults.server_error(RequestFactory().get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong" in html
    assert "Er ging iets mis" in html
