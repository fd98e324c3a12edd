"""Reporting from the field: the same submission twice keeps one record (for
observations and thread messages as for occurrences), the service worker and
the pages it keeps, and the report buttons at the top of the pages."""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse

from missionsafety.audit.models import ChangeRecord
from missionsafety.feedback.models import Message
from missionsafety.feedback.services import thread_open
from missionsafety.lessons.models import Observation


def observation_body(world: Any, key: str) -> dict[str, Any]:
    return {
        "deployment_id": world.dep.pk,
        "title": "Generator viel uit bij vorst",
        "observation": "De noodstroom startte niet onder min tien.",
        "source": "hot_wash",
        "idempotency_key": key,
    }


def test_an_observation_sent_twice_through_the_api_is_kept_once(
    world: Any, api_for: Any
) -> None:
    client = api_for(world.coy_leader)
    body = observation_body(world, str(uuid.uuid4()))
    first = client.post("/api/v1/observations", body, content_type="application/json")
    second = client.post("/api/v1/observations", body, content_type="application/json")
    assert first.status_code == 201, first.content
    assert second.status_code == 200, second.content
    assert first.json()["id"] == second.json()["id"]
    assert Observation.objects.filter(title=body["title"]).count() == 1
    obs = Observation.objects.get(title=body["title"])
    records = ChangeRecord.objects.filter(
        content_type=ContentType.objects.get_for_model(Observation),
        object_id=str(obs.pk),
        action="create",
    )
    assert records.count() == 1
    # Without a key, each call is a new observation, as before.
    del body["idempotency_key"]
    again = client.post("/api/v1/observations", body, content_type="application/json")
    assert again.status_code == 201
    assert Observation.objects.filter(title=body["title"]).count() == 2


def test_another_users_key_or_a_bad_key_is_refused_with_the_field_named(
    world: Any, api_for: Any
) -> None:
    key = str(uuid.uuid4())
    body = observation_body(world, key)
    mine = api_for(world.coy_leader).post(
        "/api/v1/observations", body, content_type="application/json"
    )
    assert mine.status_code == 201
    theirs = api_for(world.coy_commander).post(
        "/api/v1/observations", body, content_type="application/json"
    )
    assert theirs.status_code == 422
    assert "idempotency_key" in theirs.content.decode()
    bad = api_for(world.coy_leader).post(
        "/api/v1/observations",
        observation_body(world, "not-a-key"),
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert "idempotency_key" in bad.content.decode()
    assert Observation.objects.filter(title=body["title"]).count() == 1


def test_the_observation_form_sent_twice_leads_to_the_first_observation(
    world: Any, client_for: Any
) -> None:
    client = client_for(world.coy_leader)
    page = client.get(
        reverse("lessons:observation_new") + f"?deployment={world.dep.pk}"
    )
    key = page.context["form"]["idempotency_key"].value()
    assert uuid.UUID(str(key))
    assert 'name="idempotency_key"' in page.content.decode()
    data = {
        "deployment": world.dep.pk,
        "title": "Sneeuwkettingen ontbraken",
        "observation": "Twee voertuigen zonder kettingen.",
        "source": "hot_wash",
        "kind": "issue",
        "releasability": "parties",
        "idempotency_key": str(key),
    }
    first = client.post(reverse("lessons:observation_new"), data)
    second = client.post(reverse("lessons:observation_new"), data, follow=True)
    obs = Observation.objects.get(title="Sneeuwkettingen ontbraken")
    assert first.status_code == 302
    assert first["Location"] == reverse("lessons:observation_detail", args=[obs.pk])
    assert second.redirect_chain[-1][0] == first["Location"]
    assert "al opgeslagen" in second.content.decode()
    # Editing an observation carries no submission key.
    edit = client.get(reverse("lessons:observation_edit", args=[obs.pk]))
    assert 'name="idempotency_key"' not in edit.content.decode()


def _thread(world: Any) -> Any:
    return thread_open(
        actor=world.jfc_safety,
        deployment=world.dep,
        to_party=world.party_clas,
        subject=world.dep,
        title="Wisseling Role 1",
        body="Wanneer wisselt het team?",
    )


def test_a_thread_message_sent_twice_is_kept_once(world: Any, api_for: Any) -> None:
    thread = _thread(world)
    client = api_for(world.clas_safety)
    body = {"body": "Half december.", "idempotency_key": str(uuid.uuid4())}
    url = f"/api/v1/threads/{thread.pk}/messages"
    first = client.post(url, body, content_type="application/json")
    second = client.post(url, body, content_type="application/json")
    assert first.status_code == 201, first.content
    assert second.status_code == 200, second.content
    assert first.json()["id"] == second.json()["id"] == thread.pk
    assert first.json()["messages"] == second.json()["messages"]
    assert Message.objects.filter(thread=thread, body="Half december.").count() == 1


def test_the_reply_form_sent_twice_shows_the_thread_with_one_answer(
    world: Any, client_for: Any
) -> None:
    thread = _thread(world)
    client = client_for(world.clas_safety)
    page = client.get(reverse("feedback:thread", args=[thread.pk]))
    key = page.context["reply_form"]["idempotency_key"].value()
    data = {"body": "Rond de vijftiende.", "idempotency_key": str(key)}
    url = reverse("feedback:thread_reply", args=[thread.pk])
    first = client.post(url, data)
    second = client.post(url, data, follow=True)
    assert first.status_code == 302
    assert "al verzonden" in second.content.decode()
    assert (
        Message.objects.filter(thread=thread, body="Rond de vijftiende.").count() == 1
    )
    # An empty answer still comes back with its error, the key kept.
    refused = client.post(url, {"body": "", "idempotency_key": str(uuid.uuid4())})
    assert refused.status_code == 422


def test_the_service_worker_is_served_fresh_and_names_the_current_files(
    client: Any,
) -> None:
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert "no-cache" in response["Cache-Control"]
    text = response.content.decode()
    assert "/static/core/field.js" in text
    assert "/static/core/field-photos.js" in text
    assert 'const VERSION = "";' not in text
    # The same files, the same version: browsers install it once.
    assert client.get("/sw.js").content == response.content


def test_the_kept_pages_are_the_shell_and_the_forms_of_the_users_deployment(
    world: Any, client_for: Any
) -> None:
    response = client_for(world.coy_commander).get("/field/pages.json")
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    data = json.loads(response.content)
    assert data["user"] == world.coy_commander.pk
    assert "/" in data["pages"] and "/outbox/" in data["pages"]
    assert f"/deployments/{world.dep.pk}/occurrences/new/" in data["pages"]
    assert f"/observations/new/?deployment={world.dep.pk}" in data["pages"]
    # A staff officer at home is not out on the deployment: only the shell.
    home = json.loads(client_for(world.jfc_safety).get("/field/pages.json").content)
    assert not [p for p in home["pages"] if "new" in p]
    # Not logged in: to the login page, no list.
    assert Client().get("/field/pages.json").status_code == 302


def test_offline_and_outbox_pages_speak_dutch_and_english(
    world: Any, client_for: Any
) -> None:
    client = client_for(world.coy_commander)
    offline = client.get("/offline/").content.decode()
    assert "Geen verbinding" in offline
    queued = client.get("/offline/?queued=1").content.decode()
    assert "Bewaard in het postvak uit" in queued
    outbox = client.get("/outbox/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="outbox-list"' in outbox
    assert "outbox-texts" in outbox


def test_the_report_buttons_are_at_the_top_for_a_user_out_on_the_deployment(
    world: Any, client_for: Any
) -> None:
    report = reverse("occurrences:report", args=[world.dep.pk])
    observe = reverse("lessons:observation_new") + f"?deployment={world.dep.pk}"
    html = client_for(world.coy_commander).get("/").content.decode()
    top = html.split('id="main"')[1].split("<form")[0]
    assert report in top and observe.replace("?", "?") in top
    assert "Waarneming vastleggen" in top
    detail = client_for(world.coy_commander).get(
        reverse("deployments:detail", args=[world.dep.pk])
    )
    head = detail.content.decode().split('id="main"')[1].split("</div>\n</div>")[0]
    assert report in head
    # At home, a staff officer gets no field buttons on the home page.
    html = client_for(world.jfc_safety).get("/").content.decode()
    assert report not in html
    # A viewer may not report: no buttons on the deployment page.
    viewer = client_for(world.viewer).get(
        reverse("deployments:detail", args=[world.dep.pk])
    )
    assert report not in viewer.content.decode()
