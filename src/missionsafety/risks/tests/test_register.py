"""The register: heat maps, filters, controls on other pages, library and reuse."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse

from missionsafety.risks import services
from missionsafety.risks.models import Control, Hazard, Risk
from missionsafety.risks.tests.factories import assess, make_risk


def test_heat_map_cells_link_to_the_filtered_register(
    world: Any, client_for: Any
) -> None:
    a = make_risk(world, title="Hoog")
    assess(world, a)  # residual C/II? -> C,I = H
    b = make_risk(world, title="Laag")
    assess(world, b, residual=("D", "III"))
    client = client_for(world.bde13_safety)
    page = client.get(reverse("risks:register", args=[world.dep.pk])).content.decode()
    assert '<table class="heatmap"' in page and "cell=r:C:I" in page
    filtered = client.get(
        reverse("risks:register", args=[world.dep.pk]) + "?cell=r:C:I"
    ).content.decode()
    assert "Hoog" in filtered and ">Laag<" not in filtered
    heat = client.get(f"/api/v1/deployments/{world.dep.pk}/heatmap").json()
    assert heat["overall_residual_level"] == "H"
    cell = next(
        c for c in heat["cells"] if (c["probability"], c["severity"]) == ("C", "I")
    )
    assert cell["residual"] == 1 and cell["level"] == "H"


def test_filters_by_level_owner_and_stop(world: Any, client_for: Any) -> None:
    a = make_risk(world, title="Eigen bataljon")
    assess(world, a, residual=("D", "III"))
    b = make_risk(world, title="Brigade", owner_party=world.party_bde13)
    assess(world, b)
    client = client_for(world.bde13_safety)
    url = reverse("risks:register", args=[world.dep.pk])
    by_owner = client.get(url, {"owner": world.party_bde13.pk}).content.decode()
    assert "Brigade" in by_owner and "Eigen bataljon" not in by_owner
    by_level = client.get(url, {"level": "L"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Eigen bataljon" in by_level and "<html" not in by_level
    stopped = client.get(url, {"stop": "1"}).content.decode()
    assert "Eigen bataljon" not in stopped and "Geen risico’s voldoen" in stopped


def test_overdue_controls_show_on_deployment_and_organisation(
    world: Any, client_for: Any
) -> None:
    risk = make_risk(world)
    control = services.control_add(
        actor=world.bde13_safety,
        risk=risk,
        description="Gekoelde containers plaatsen",
        kind="engineer",
        owner_party=world.party_clas,
        due_date=world.today - datetime.timedelta(days=2),
    )
    assert control.is_overdue
    client = client_for(world.clas_safety)
    deployment = client.get(reverse("deployments:detail", args=[world.dep.pk]))
    assert "Gekoelde containers plaatsen" in deployment.content.decode()
    org = client.get(reverse("organisations:detail", args=[world.clas.pk]))
    assert "Gekoelde containers plaatsen" in org.content.decode()


def test_control_status_machine_and_event(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from missionsafety.core.events import subscribe

    seen: list[Any] = []
    subscribe("control.status_changed", lambda **kw: seen.append(kw["control"].status))
    risk = make_risk(
        world,
        controls=[
            {"description": "X", "kind": "protect", "owner_party": world.party_bn}
        ],
    )
    control = risk.controls.get()
    import pytest

    from missionsafety.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.control_update(
            actor=world.bde13_safety,
            control=control,
            version=control.version,
            status="verified",
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.control_update(
            actor=world.bde13_safety,
            control=control,
            version=control.version,
            status="implemented",
        )
    assert seen == ["implemented"]


def test_start_from_library_and_from_an_earlier_register(
    world: Any, client_for: Any
) -> None:
    hazards = list(Hazard.objects.filter(code__in=["heat-injury", "ammo-storage-heat"]))
    assert Hazard.objects.count() >= 20
    client = client_for(world.bde13_safety)
    response = client.post(
        reverse("risks:start", args=[world.dep.pk]),
        {
            "mode": "library",
            "hazards": [h.pk for h in hazards],
            "owner_party": world.party_bn.pk,
        },
    )
    assert response.status_code == 302
    risks = Risk.objects.filter(deployment=world.dep)
    assert risks.count() == 2
    assert all(r.status == Risk.Status.IDENTIFIED for r in risks)
    assert Control.objects.filter(risk__in=risks, status="planned").count() >= 4
    # A later rotation copies the register as new, unassessed items.
    world.other.parties.create(organisation=world.bde13, role="supporting")
    copy = client.post(
        reverse("risks:start", args=[world.other.pk]),
        {
            "mode": "copy",
            "source": world.dep.pk,
            "owner_party": world.other_party.pk,
        },
    )
    assert copy.status_code == 302, copy.content.decode()[:2000]
    copied = Risk.objects.filter(deployment=world.other)
    assert copied.count() == 2
    assert all(r.copied_from_id and r.current_assessment_id is None for r in copied)
    assert client.get(reverse("risks:library")).status_code == 200


def test_new_risk_form_renders_the_risk_new_slot(world: Any, client_for: Any) -> None:
    from missionsafety.core.panels import _panels, register_panel

    register_panel(
        slot="risk_new",
        order=99,
        template="risks/_organisation_panel.html",
        context=lambda request, obj: {"controls": [], "marker": obj.code},
    )
    try:
        page = client_for(world.bde13_safety).get(
            reverse("risks:create", args=[world.dep.pk])
        )
        assert (
            "Controls owned" in page.content.decode()
            or "Beheersmaatregelen" in page.content.decode()
        )
    finally:
        _panels.pop(("risk_new", "risks/_organisation_panel.html"), None)


def test_matrix_pages_show_both_shipped_matrices(world: Any, client_for: Any) -> None:
    client = client_for(world.viewer)
    listing = client.get(reverse("risks:matrices")).content.decode()
    assert "ATP 5-19 (4 × 5)" in listing and "RI&amp;E (5 × 5)" in listing
    matrices = client.get("/api/v1/matrices").json()["items"]
    default = next(m for m in matrices if m["is_default"])
    assert default["in_use"] is True and len(default["rules"]) == 8
