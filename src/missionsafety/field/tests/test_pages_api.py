"""The conflicts page, the deployment panel, the package button and the sync API."""

from __future__ import annotations

import datetime
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
    assert "Thuis" in text and "Veld" in text and str(w.bde13_safety) in text
    detail = client_for(w.bde13_safety).get(f"/field/conflicts/{conflict.pk}/")
    assert detail.status_code == 200


def _change(
    package: dict[str, Any], label: str, match: dict[str, Any], **fields: Any
) -> dict[str, Any]:
    """A field edit of one record of the package: {name: (base, new)}."""
    for change in package["changes"]:
        if change["m"] == label and all(
            change["v"].get(k) == v for k, v in match.items()
        ):
            return {
                "m": label,
                "id": change["id"],
                "pk": change["pk"],
                "op": "update",
                "v": {name: new for name, (_old, new) in fields.items()},
                "b": {name: old for name, (old, _new) in fields.items()},
                "a": "bn.commander",
                "t": "2026-01-02T09:30:00+00:00",
            }
    raise AssertionError(match)


def _party_ref(package: dict[str, Any], short_name: str) -> dict[str, str]:
    for change in package["changes"]:
        if change["m"] == "deployments.party" and change["v"]["organisation"] == {
            "r": [short_name]
        }:
            return {"u": change["id"]}
    raise AssertionError(short_name)


@pytest.fixture
def control_conflicts(world: Any) -> Any:
    """A control changed on both sides: its status, due date and owner."""
    w = world
    risks = register(w)
    control = services.control_add(
        actor=w.bde13_safety,
        risk=risks["patrol"],
        description="Rijbewijscontrole",
        kind="administrate",
        owner_party=w.party_bn,
        due_date=datetime.date(2027, 3, 1),
    )
    _data, package = export(w)
    control = services.control_update(
        actor=w.bn_commander,
        control=control,
        version=control.version,
        status="implemented",
        due_date=datetime.date(2027, 4, 15),
    )
    services.control_update(
        actor=w.bde13_safety,
        control=control,
        version=control.version,
        owner_party=w.party_bde13,
    )
    change = _change(
        package,
        "risks.control",
        {"description": "Rijbewijscontrole"},
        status=("planned", "ineffective"),
        due_date=("2027-03-01", "2027-05-20"),
        owner_party=(_party_ref(package, "42 BLJ"), _party_ref(package, "NLD JFC")),
    )
    bundle_apply(data=forge(package, [change]))
    return w


@pytest.mark.parametrize(
    ("language", "words"),
    [
        (
            "nl",
            [
                "Status",
                "Gereed op",
                "Eigenaar (partij)",
                "uitgevoerd",
                "ineffectief",
                "15 april 2027",
                "20 mei 2027",
            ],
        ),
        (
            "en",
            [
                "Status",
                "Due date",
                "Owner party",
                "implemented",
                "ineffective",
                "April 15, 2027",
                "May 20, 2027",
            ],
        ),
    ],
)
def test_conflicts_page_speaks_the_users_language(
    control_conflicts: Any, client_for: Any, language: str, words: list[str]
) -> None:
    w = control_conflicts
    client = client_for(w.bde13_safety)
    client.cookies["django_language"] = language
    page = client.get(
        f"/field/conflicts/?deployment={w.dep.pk}", HTTP_ACCEPT_LANGUAGE=language
    )
    text = page.content.decode()
    assert Conflict.objects.filter(status="open").count() == 3
    for word in words:
        assert word in text, word
    # Parties by name, people by name; no raw values or ids.
    assert str(w.party_bde13) in text or "13 LBR" in text
    assert "NLD JFC" in text
    assert str(w.bde13_safety) in text and str(w.bn_commander) in text
    for raw in ("due_date", "owner_party", '"u"', "2027-05-20", "planned"):
        assert raw not in text, raw
    status = Conflict.objects.get(field="status")
    detail = client.get(
        f"/field/conflicts/{status.pk}/", HTTP_ACCEPT_LANGUAGE=language
    ).content.decode()
    assert words[3] in detail and words[4] in detail
    assert str(w.bn_commander) in detail and "EFP-R12 field 1" in detail
    assert "2026" in detail  # when each side changed it


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


def test_who_may_take_the_field_package(world: Any) -> None:
    """The safety officers of the deployed unit and its brigade, and of units
    below them; not those of the other parties, nor other roles."""
    from missionsafety.field.package import may_export
    from missionsafety.testing import make_user

    w = world
    coy_safety = make_user("coy.safety", w.coy, "safety_officer")
    assert may_export(w.bde13_safety, w.dep)
    assert may_export(coy_safety, w.dep)
    assert not may_export(w.jfc_safety, w.dep)  # the operational command
    assert not may_export(w.coy_commander, w.dep)
    assert not may_export(w.bde43_safety, w.dep)
