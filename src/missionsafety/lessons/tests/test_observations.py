"""Submitting, editing, verifying and rejecting observations."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from missionsafety.audit.models import ChangeRecord
from missionsafety.core.exceptions import NotAllowed, ValidationError
from missionsafety.lessons import services
from missionsafety.lessons.models import Observation

from .conftest import full_odcr

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def submit(w: Any, actor: Any = None, **kw: Any) -> Observation:
    data = {
        "actor": actor or w.coy_leader,
        "deployment": w.dep,
        "title": "Voertuig kantelde in greppel",
        "observation": "Een Bushmaster gleed bij dooi in een greppel.",
        "source": "hot_wash",
    }
    return services.observation_submit(**(data | kw))


def test_a_contributor_submits_with_facts_only(world: Any) -> None:
    obs = submit(world)
    assert obs.status == "submitted"
    assert obs.organisation == world.coy
    assert obs.phase == world.dep.phase
    assert ChangeRecord.objects.filter(object_id=str(obs.pk), action="create").exists()


def test_facts_are_required(world: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        submit(world, observation="  ")
    assert "observation" in exc.value.error_dict


def test_a_viewer_or_outsider_cannot_submit(world: Any) -> None:
    with pytest.raises(NotAllowed):
        submit(world, actor=world.viewer)
    with pytest.raises(NotAllowed):
        submit(world, actor=world.bde43_safety)


def test_verification_needs_the_full_odcr(world: Any) -> None:
    obs = submit(world)
    with pytest.raises(ValidationError) as exc:
        services.observation_transition(
            actor=world.jfc_safety, observation=obs, to_status="verified"
        )
    assert set(exc.value.error_dict) == {"discussion", "conclusion", "recommendation"}
    obs = services.observation_update(
        actor=world.coy_leader, observation=obs, version=obs.version, **full_odcr()
    )
    obs = services.observation_transition(
        actor=world.jfc_safety, observation=obs, to_status="verified"
    )
    assert obs.status == "verified"
    # Once verified, the parts cannot be emptied again.
    with pytest.raises(ValidationError):
        services.observation_update(
            actor=world.jfc_safety,
            observation=obs,
            version=obs.version,
            conclusion="",
        )


def test_only_officers_verify_and_rejecting_needs_a_reason(world: Any) -> None:
    obs = submit(world, **full_odcr())
    with pytest.raises(NotAllowed):
        services.observation_transition(
            actor=world.coy_leader, observation=obs, to_status="verified"
        )
    with pytest.raises(ValidationError) as exc:
        services.observation_transition(
            actor=world.bde13_safety, observation=obs, to_status="rejected"
        )
    assert "reason" in exc.value.error_dict
    obs = services.observation_transition(
        actor=world.bde13_safety,
        observation=obs,
        to_status="rejected",
        reason="Dubbel met W-00001",
    )
    assert obs.status_reason == "Dubbel met W-00001"
    with pytest.raises(ValidationError):  # out of order
        services.observation_transition(
            actor=world.jfc_safety, observation=obs, to_status="in_analysis"
        )
    obs = services.observation_transition(
        actor=world.coy_leader, observation=obs, to_status="submitted"
    )
    assert obs.status == "submitted"


def test_named_release_needs_organisations(world: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        submit(world, releasability="organisations", released_to=[])
    assert "released_to" in exc.value.error_dict


def test_unknown_organisation_in_the_api_is_422(world: Any, api_for: Any) -> None:
    response = api_for(world.coy_leader).post(
        "/api/v1/observations",
        {
            "deployment_id": world.dep.pk,
            "title": "t",
            "observation": "o",
            "releasability": "organisations",
            "released_to": [999999],
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "999999" in str(response.json())


def test_api_submit_patch_and_verify(world: Any, api_for: Any) -> None:
    api = api_for(world.coy_leader)
    created = api.post(
        "/api/v1/observations",
        {
            "deployment_id": world.dep.pk,
            "title": "Radio viel uit",
            "observation": "De PRC-radio viel uit bij -20 graden.",
            "categories": ["climate"],
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    obs = created.json()
    patched = api.patch(
        f"/api/v1/observations/{obs['id']}",
        {"version": obs["version"], **full_odcr()},
        content_type="application/json",
    )
    assert patched.status_code == 200
    stale = api.patch(
        f"/api/v1/observations/{obs['id']}",
        {"version": obs["version"], "title": "x"},
        content_type="application/json",
    )
    assert stale.status_code == 409
    wrong_role = api.patch(
        f"/api/v1/observations/{obs['id']}",
        {"version": patched.json()["version"], "status": "verified"},
        content_type="application/json",
    )
    assert wrong_role.status_code == 403
    verified = api_for(world.jfc_safety).patch(
        f"/api/v1/observations/{obs['id']}",
        {"version": patched.json()["version"], "status": "verified"},
        content_type="application/json",
    )
    assert verified.json()["status"] == "verified"
    assert (
        api_for(world.bde43_safety).get(f"/api/v1/observations/{obs['id']}").status_code
        == 404
    )


def test_submit_from_an_occurrence_by_url(world: Any, client_for: Any) -> None:
    """The URL contract other apps use for "submit an observation from …"."""
    client = client_for(world.coy_leader)
    url = reverse("lessons:observation_new")
    page = client.get(
        url,
        {
            "deployment": world.dep.pk,
            "source": "occurrence",
            "object": f"deployments.party:{world.party_bn.pk}",
            "title": "Bijna-ongeval bij het tanken",
        },
    )
    html = page.content.decode()
    assert 'value="Bijna-ongeval bij het tanken"' in html
    assert f"deployments.party:{world.party_bn.pk}" in html
    # A link to an object type that is not a source is refused, not a 500.
    response = client.post(
        url,
        {
            "deployment": world.dep.pk,
            "title": "Bijna-ongeval bij het tanken",
            "observation": "Brandstof liep over.",
            "source": "occurrence",
            "kind": "issue",
            "releasability": "parties",
            "source_object": f"deployments.party:{world.party_bn.pk}",
        },
    )
    assert response.status_code == 422
    assert "Brandstof liep over." in response.content.decode()
    response = client.post(
        url,
        {
            "deployment": world.dep.pk,
            "title": "Bijna-ongeval bij het tanken",
            "observation": "Brandstof liep over.",
            "source": "occurrence",
            "kind": "issue",
            "releasability": "parties",
            "source_object": "nope.nothing:abc",
        },
    )
    assert response.status_code == 422


def test_attachments_are_limited_and_served_to_who_may_see(
    world: Any, client_for: Any
) -> None:
    obs = submit(world)
    with pytest.raises(ValidationError):
        services.attachment_add(
            actor=world.coy_leader,
            observation=obs,
            upload=SimpleUploadedFile("x.exe", b"MZ", "application/octet-stream"),
        )
    with pytest.raises(ValidationError):
        services.attachment_add(
            actor=world.coy_leader,
            observation=obs,
            upload=SimpleUploadedFile(
                "big.pdf", b"0" * (services.MAX_ATTACHMENT_BYTES + 1)
            ),
        )
    client = client_for(world.coy_leader)
    response = client.post(
        reverse("lessons:attachment_add", kwargs={"pk": obs.pk}),
        {"file": SimpleUploadedFile("schets.png", PNG, "image/png")},
    )
    assert response.status_code == 302
    attachment = obs.attachments.get()
    url = reverse("lessons:attachment", kwargs={"pk": attachment.pk})
    download = client_for(world.bde13_safety).get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PNG
    assert client_for(world.bde43_safety).get(url).status_code == 404


def test_an_attachment_whose_content_does_not_match_its_name_is_refused(
    world: Any, client_for: Any
) -> None:
    obs = submit(world)
    response = client_for(world.coy_leader).post(
        reverse("lessons:attachment_add", kwargs={"pk": obs.pk}),
        {"file": SimpleUploadedFile("schets.pdf", b"MZ\x90\x00 not a pdf", "x")},
        follow=True,
    )
    assert "schets.pdf bevat niet wat de naam zegt (.pdf)" in response.content.decode()
    assert not obs.attachments.exists()
    with pytest.raises(ValidationError) as exc:
        services.attachment_add(
            actor=world.coy_leader,
            observation=obs,
            upload=SimpleUploadedFile("notitie.txt", b"\x00\x01\x02binary"),
        )
    assert "file" in exc.value.error_dict


def test_the_observation_text_is_changed_through_the_api(
    world: Any, api_for: Any
) -> None:
    obs = submit(world)
    api = api_for(world.coy_leader)
    patched = api.patch(
        f"/api/v1/observations/{obs.pk}",
        {"version": obs.version, "observation": "De radio viel uit bij -25 graden."},
        content_type="application/json",
    )
    assert patched.status_code == 200, patched.content
    assert patched.json()["observation"] == "De radio viel uit bij -25 graden."
    obs.refresh_from_db()
    assert obs.observation == "De radio viel uit bij -25 graden."


def test_the_observation_text_is_changed_through_the_edit_form(
    world: Any, client_for: Any
) -> None:
    obs = submit(world)
    response = client_for(world.coy_leader).post(
        reverse("lessons:observation_edit", args=[obs.pk]),
        {
            "title": "Voertuig kantelde in greppel",
            "source": "hot_wash",
            "kind": obs.kind,
            "observation": "Een Bushmaster gleed bij dooi in een diepe greppel.",
            "releasability": obs.releasability,
            "version": obs.version,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    obs.refresh_from_db()
    assert obs.observation == "Een Bushmaster gleed bij dooi in een diepe greppel."
