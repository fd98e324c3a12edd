"""The conflicts page, the deployment panel, the package button and the sync API."""

from __future__ import annotations

from typing import Any

import pytest

from missionsafety.field.models import Conflict, Instance
from missionsafety.field.services import bundle_apply
from missionsafety.field.tests.helpers import export, forge, register, risk_change
from missionsafety.risks import services
from missionsafety.risks.models import Risk


@pytest.fixture
def conflicted(world: Any) -> Any:
    w = world
    risks = register(w)
    _data, package = export(w)
    risk = Risk.objects.get(pk=risks["edited"].pk)
    services.risk_update(
        actor=w.bde13_safety, risk=risk, version=risk.version, title="Thuis"
    )
    bundle_apply(
        data=forge(
            package,
            [
                risk_change(
                    package,
                    "Munitieopslag",
                    field="title",
                    old="Munitieopslag",
                    new="Veld",
                )
            ],
        )
    )
    return w, package, Conflict.objects.get()


def test_conflicts_page_lists_both_values_and_who(
    conflicted: Any, client_for: Any
) -> None:
    w, _package, conflict = conflicted
    page = client_for(w.bde13_safety).get(f"/field/conflicts/?deployment={w.dep.pk}")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Thuis" in text and "Veld" in text and "bde13.safety" in text
    detail = client_for(w.bde13_safety).get(f"/field/conflicts/{conflict.pk}/")
    assert detail.status_code == 200


def test_resolving_without_a_choice_keeps_the_form_with_an_error(
    conflicted: Any, client_for: Any
) -> None:
    w, _package, conflict = conflicted
    response = client_for(w.bde13_safety).post(
        f"/field/conflicts/{conflict.pk}/", {"value": "Iets"}
    )
    assert response.status_code == 422
    assert "Iets" in response.content.decode()
    assert Conflict.objects.get(pk=conflict.pk).status == "open"


def test_resolving_with_an_entered_value(conflicted: Any, client_for: Any) -> None:
    w, _package, conflict = conflicted
    response = client_for(w.bde13_safety).post(
        f"/field/conflicts/{conflict.pk}/", {"choice": "value", "value": "Samen"}
    )
    assert response.status_code == 302
    assert Risk.objects.get(pk=conflict.object_id).title == "Samen"
    done = Conflict.objects.get(pk=conflict.pk)
    assert done.status == "resolved" and done.resolved_value == "Samen"
    assert done.resolved_by == w.bde13_safety


def test_resolving_with_an_empty_required_value_is_refused(
    conflicted: Any, client_for: Any
) -> None:
    w, _package, conflict = conflicted
    response = client_for(w.bde13_safety).post(
        f"/field/conflicts/{conflict.pk}/", {"choice": "value", "value": ""}
    )
    assert response.status_code == 422
    assert Risk.objects.get(pk=conflict.object_id).title == "Thuis"


def test_outsider_gets_404_for_a_conflict(conflicted: Any, client_for: Any) -> None:
    w, _package, conflict = conflicted
    client = client_for(w.bde43_safety)
    assert client.get(f"/field/conflicts/{conflict.pk}/").status_code == 404
    assert "Veld" not in client.get("/field/conflicts/").content.decode()


def test_deployment_panel_shows_field_sync_and_the_package_button(
    conflicted: Any, client_for: Any
) -> None:
    w, _package, _conflict = conflicted
    page = client_for(w.bde13_safety).get(f"/deployments/{w.dep.pk}/").content.decode()
    assert "EFP-R12 field 1" in page
    assert f"/deployments/{w.dep.pk}/field-package/" in page
    assert "1 open synchronisatieconflict" in page
    viewer_page = client_for(w.viewer).get(f"/deployments/{w.dep.pk}/").content.decode()
    assert f"/deployments/{w.dep.pk}/field-package/" not in viewer_page


def test_package_download_only_for_the_units_safety_officer(
    world: Any, client_for: Any
) -> None:
    w = world
    url = f"/deployments/{w.dep.pk}/field-package/"
    assert client_for(w.viewer).post(url).status_code == 404
    assert client_for(w.bde43_safety).post(url).status_code == 404
    response = client_for(w.bde13_safety).post(url)
    assert response.status_code == 200
    assert response.content.startswith(b"MSFP1 ")
    assert Instance.objects.filter(role="field", deployment=w.dep).count() == 1


def test_sync_api_needs_the_field_token(conflicted: Any, client: Any) -> None:
    _w, package, _conflict = conflicted
    url = f"/api/v1/field/{package['field']['uuid']}/pull?after=0"
    assert client.get(url).status_code == 404
    assert client.get(url, HTTP_X_FIELD_TOKEN="wrong").status_code == 404


def test_sync_api_push_and_pull(conflicted: Any, client: Any) -> None:
    w, package, _conflict = conflicted
    field = package["field"]["uuid"]
    token = {"HTTP_X_FIELD_TOKEN": package["token"]}
    change = risk_change(
        package, "Munitieopslag", field="cause", old="Oorzaak", new="Hitte"
    )
    pushed = client.post(
        f"/api/v1/field/{field}/push",
        forge(package, [change], seq=2),
        content_type="application/octet-stream",
        **token,
    )
    assert pushed.status_code == 200 and pushed.json()["applied"] == 2
    again = client.post(
        f"/api/v1/field/{field}/push",
        forge(package, [change], seq=2),
        content_type="application/octet-stream",
        **token,
    )
    assert again.status_code == 409 and "al verwerkt" in again.json()["detail"]
    pulled = client.get(f"/api/v1/field/{field}/pull?after=0", **token)
    assert pulled.status_code == 200 and pulled.content.startswith(b"MSFB1 ")
    # The same bundle again when asked again (a cut transfer).
    assert client.get(f"/api/v1/field/{field}/pull?after=0", **token).content == (
        pulled.content
    )
    assert client.get(f"/api/v1/field/{field}/pull?after=1", **token).status_code == 204
    assert Risk.objects.get(title="Thuis").cause == "Hitte"
    del w
