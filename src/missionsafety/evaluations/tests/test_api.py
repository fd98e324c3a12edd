"""The REST API: agreement, signing, evaluations, gate."""

from __future__ import annotations

from typing import Any

from missionsafety.evaluations.models import Evaluation
from missionsafety.evaluations.tests.helpers import (
    high_risk,
    readiness_deployment,
    set_contacts,
)

J = "application/json"


def _english(api_for: Any) -> Any:
    """API clients that ask for English answers (the default is Dutch)."""

    def make(user: Any) -> Any:
        client = api_for(user)
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        return client

    return make


def test_agreement_put_sign_and_read(world: Any, api_for: Any) -> None:
    api_for = _english(api_for)
    dep = world.dep
    set_contacts(world, dep)
    safety = api_for(world.jfc_safety)
    url = f"/api/v1/deployments/{dep.pk}/agreement"
    assert safety.get(url).status_code == 404  # none yet
    two_a = {
        "assignments": [
            {"step": "decide", "party_id": world.party_bde13.pk, "raci": "A"}
        ]
    }
    response = safety.put(url, two_a, content_type=J)
    assert response.status_code == 422
    assert "exactly one party must be Accountable" in response.content.decode()
    assert safety.get(url).status_code == 404  # nothing half-written
    response = safety.put(url, {"submit": True}, content_type=J)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "in_signature" and len(body["not_signed"]) == 4
    sign = f"{url}/sign"
    response = api_for(world.bde13_commander).post(
        sign, {"party_id": world.party_jfc.pk, "version": 1}, content_type=J
    )
    assert response.status_code == 403
    response = api_for(world.jfc_commander).post(
        sign, {"party_id": world.party_jfc.pk, "version": 1}, content_type=J
    )
    assert response.json()["not_signed"] == ["Staf CLAS", "13 LBR", "42 BLJ"]
    response = safety.put(
        url,
        {
            "version": 1,
            "assignments": [
                {"step": "evaluate", "party_id": world.party_clas.pk, "raci": "R"}
            ],
        },
        content_type=J,
    )
    assert response.json()["version"] == 2
    response = api_for(world.clas_commander).post(
        sign, {"party_id": world.party_clas.pk, "version": 1}, content_type=J
    )
    assert response.status_code == 422 and "superseded" in response.content.decode()
    old = safety.get(f"{url}?version=1").json()
    assert old["status"] == "superseded"
    response = safety.put(url, {"version": 1, "note": "x"}, content_type=J)
    assert response.status_code == 409, response.content


def test_evaluations_list_patch_and_gate(
    world: Any, api_for: Any, django_assert_num_queries: Any
) -> None:
    api_for = _english(api_for)
    api = api_for(world.bn_commander)
    url = f"/api/v1/deployments/{world.dep.pk}/evaluations"
    with django_assert_num_queries(8):
        body = api.get(url).json()
    assert body["count"] == Evaluation.objects.filter(deployment=world.dep).count()
    overdue = api.get(f"{url}?show=overdue").json()["items"]
    assert overdue and all(i["timeliness"] == "overdue" for i in overdue)
    review = Evaluation.objects.get(
        deployment=world.dep, template__code="periodic_review", slot=1
    )
    detail = api.get(f"/api/v1/evaluations/{review.pk}").json()
    assert [q["key"] for q in detail["questions"]][:2] == ["reassessment", "trends"]
    patch: dict[str, Any] = {
        "version": review.version,
        "status": "held",
        "participants": [{"party_id": world.party_bn.pk, "names": "AOO"}],
        "answers": {"reassessment": "ja"},
    }
    response = api.patch(f"/api/v1/evaluations/{review.pk}", patch, content_type=J)
    assert response.status_code == 422
    assert "needs an answer" in response.content.decode()
    patch["participants"].append({"party_id": world.party_jfc.pk, "names": ""})
    patch["answers"]["trends"] = "geen"
    patch["findings"] = ["Te weinig strooizout"]
    response = api.patch(f"/api/v1/evaluations/{review.pk}", patch, content_type=J)
    assert response.status_code == 200, response.content
    assert response.json()["findings"][0]["text"] == "Te weinig strooizout"
    response = api.patch(f"/api/v1/evaluations/{review.pk}", patch, content_type=J)
    assert response.status_code == 409, response.content

    dep = readiness_deployment(world)
    high_risk(world, dep)
    gate = api.get(f"/api/v1/deployments/{dep.pk}/gate").json()
    assert gate["held"] is False and gate["passes"] is False
    items = {i["key"]: i for i in gate["items"]}
    assert items["acceptance"]["status"] == "open"
    assert items["lessons"]["status"] == "ok"  # no earlier lessons in this theatre
    response = api.post(
        f"/api/v1/deployments/{dep.pk}/phase", {"to_phase": "deployed"}, content_type=J
    )
    assert response.status_code == 422
    assert "pre-departure safety gate" in response.content.decode()
