"""Feedback threads: jfc.safety asks Staf CLAS a question and clas.safety answers."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse

from missionsafety.feedback.models import Notification, Thread
from missionsafety.occurrences.tests.factories import make_risk

pytestmark = pytest.mark.django_db


def test_question_and_answer_on_the_pages(
    world: Any, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    risk = make_risk(world)
    jfc = client_for(world.jfc_safety)
    new_url = reverse("feedback:thread_new", args=[world.dep.pk])
    form = jfc.get(new_url, {"subject": f"risks.risk:{risk.pk}"})
    assert form.status_code == 200 and risk.title in form.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = jfc.post(
            new_url,
            {
                "subject": f"risks.risk:{risk.pk}",
                "from_party": world.party_jfc.pk,
                "to_party": world.party_clas.pk,
                "kind": "question",
                "title": "Winteruitrusting R12",
                "body": "Is de winteruitrusting voor de konvooien op tijd geleverd?",
                "due_date": (world.today + datetime.timedelta(days=7)).isoformat(),
            },
        )
    thread = Thread.objects.get()
    assert response.status_code == 302
    assert thread.from_party == world.party_jfc and thread.to_party == world.party_clas
    assert thread.subject == risk
    assert Notification.objects.filter(
        recipient=world.clas_safety, kind="thread_to_party"
    ).exists()

    clas = client_for(world.clas_safety)
    page = clas.get(reverse("feedback:thread", args=[thread.pk])).content.decode()
    assert "Winteruitrusting R12" in page and "uw antwoord" in page
    with django_capture_on_commit_callbacks(execute=True):
        clas.post(
            reverse("feedback:thread_reply", args=[thread.pk]),
            {"body": "Ja, geleverd op 12 november; zie vrachtbrief."},
        )
    thread.refresh_from_db()
    assert thread.status == Thread.Status.ANSWERED
    assert Notification.objects.filter(
        recipient=world.jfc_safety, kind="thread_answer"
    ).exists()

    # Only the asker's party closes the thread.
    clas.post(reverse("feedback:thread_close", args=[thread.pk]))
    thread.refresh_from_db()
    assert thread.status == Thread.Status.ANSWERED
    jfc.post(reverse("feedback:thread_close", args=[thread.pk]))
    thread.refresh_from_db()
    assert thread.status == Thread.Status.CLOSED

    # bde43.safety sees none of it.
    outsider = client_for(world.bde43_safety)
    assert outsider.get(reverse("feedback:thread", args=[thread.pk])).status_code == 404
    assert (
        "Winteruitrusting"
        not in outsider.get(reverse("feedback:threads")).content.decode()
    )


def test_question_and_answer_through_the_api(
    world: Any, api_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        opened = api_for(world.jfc_safety).post(
            "/api/v1/threads",
            {
                "deployment_id": world.dep.pk,
                "to_organisation_id": world.clas.pk,
                "title": "Rotatieschema geneeskundige ondersteuning",
                "body": "Wanneer wisselt het Role 1-team?",
            },
            content_type="application/json",
        )
    assert opened.status_code == 201, opened.content
    thread_id = opened.json()["id"]
    assert opened.json()["subject"] == f"deployments.deployment:{world.dep.pk}"
    with django_capture_on_commit_callbacks(execute=True):
        answered = api_for(world.clas_safety).post(
            f"/api/v1/threads/{thread_id}/messages",
            {"body": "Half december, overdracht in Rukla."},
            content_type="application/json",
        )
    assert answered.status_code == 201
    assert answered.json()["status"] == "answered"
    assert len(answered.json()["messages"]) == 2
    listing = api_for(world.jfc_safety).get("/api/v1/threads")
    assert listing.json()["count"] == 1
    assert api_for(world.bde43_safety).get("/api/v1/threads").json()["count"] == 0
    notes = api_for(world.jfc_safety).get("/api/v1/notifications").json()
    assert notes["items"][0]["kind"] == "thread_answer"
    assert (
        api_for(world.bde43_safety)
        .post(
            f"/api/v1/threads/{thread_id}/messages",
            {"body": "lek"},
            content_type="application/json",
        )
        .status_code
        == 404
    )


def test_thread_to_a_non_party_is_refused(world: Any, api_for: Any) -> None:
    response = api_for(world.jfc_safety).post(
        "/api/v1/threads",
        {
            "deployment_id": world.dep.pk,
            "to_organisation_id": world.bde43.pk,
            "title": "Vraag",
            "body": "Kunnen jullie helpen?",
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "43 MECHBRIG" in response.content.decode()
    assert "geen partij" in response.content.decode()
    assert not Thread.objects.exists()


def test_subject_of_another_deployment_is_refused(world: Any, api_for: Any) -> None:
    foreign = make_risk(world, deployment=world.other)
    response = api_for(world.inspector).post(
        "/api/v1/threads",
        {
            "deployment_id": world.dep.pk,
            "to_organisation_id": world.clas.pk,
            "subject": f"risks.risk:{foreign.pk}",
            "title": "Vraag",
            "body": "?",
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    response = api_for(world.jfc_safety).post(
        "/api/v1/threads",
        {
            "deployment_id": world.dep.pk,
            "to_organisation_id": world.clas.pk,
            "subject": f"risks.risk:{foreign.pk}",
            "title": "Vraag",
            "body": "?",
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    assert not Thread.objects.exists()


def test_auditor_and_viewer_cannot_open_threads(world: Any, api_for: Any) -> None:
    for user in (world.inspector, world.viewer):
        response = api_for(user).post(
            "/api/v1/threads",
            {
                "deployment_id": world.dep.pk,
                "to_organisation_id": world.clas.pk,
                "title": "Vraag",
                "body": "?",
            },
            content_type="application/json",
        )
        assert response.status_code == 403


def test_overdue_threads_show_on_both_parties_pages(
    world: Any, client_for: Any
) -> None:
    from missionsafety.feedback.services import thread_open

    thread = thread_open(
        actor=world.jfc_safety,
        deployment=world.dep,
        to_party=world.party_clas,
        subject=world.dep,
        title="Achterstallige vraag over munitie",
        body="?",
    )
    Thread.objects.filter(pk=thread.pk).update(
        due_date=world.today - datetime.timedelta(days=3)
    )
    client = client_for(world.jfc_safety)
    for org in (world.jfc, world.clas):
        body = client.get(
            reverse("organisations:detail", args=[org.pk])
        ).content.decode()
        assert "Achterstallige vraag over munitie" in body
        assert "over de termijn" in body
    body = client.get(
        reverse("organisations:detail", args=[world.bde13.pk])
    ).content.decode()
    assert "Achterstallige vraag" not in body
    body = client.get(
        reverse("deployments:detail", args=[world.dep.pk])
    ).content.decode()
    assert "Achterstallige vraag over munitie" in body
    overdue = client.get(reverse("feedback:threads"), {"overdue": "1"}).content.decode()
    assert "Achterstallige vraag over munitie" in overdue


def test_threads_list_queries_are_constant(
    world: Any, client_for: Any, django_assert_num_queries: Any
) -> None:
    from missionsafety.feedback.services import thread_open

    for i in range(12):
        thread_open(
            actor=world.jfc_safety,
            deployment=world.dep,
            to_party=world.party_clas if i % 2 else world.party_bde13,
            subject=world.dep,
            title=f"Vraag {i}",
            body="?",
        )
    client = client_for(world.jfc_safety)
    client.get(reverse("feedback:threads"))
    with django_assert_num_queries(7):
        response = client.get(reverse("feedback:threads"))
    assert "Vraag 11" in response.content.decode()
