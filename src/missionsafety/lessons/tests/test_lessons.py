"""The lesson process: each step by the role allowed to make it."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import RequestFactory
from django.urls import reverse

from missionsafety.core.exceptions import NotAllowed, ValidationError
from missionsafety.core.panels import panels_for
from missionsafety.lessons import services
from missionsafety.lessons.models import Lesson

from .conftest import full_odcr


@pytest.fixture
def lesson(world: Any) -> Lesson:
    obs = services.observation_submit(
        actor=world.coy_leader,
        deployment=world.dep,
        title="Geen koeling voor medicijnen",
        observation="Insuline werd te warm bewaard in de post.",
        source="review",
        **full_odcr(),
    )
    obs = services.observation_transition(
        actor=world.bde13_safety, observation=obs, to_status="verified"
    )
    return services.lesson_create(
        actor=world.jfc_lessons,
        title="Koelketen medicijnen",
        observations=[obs],
        root_cause="Geen koelkast in de uitrustingslijst.",
        remedial_action="Koelkast opnemen in de uitrustingslijst.",
        tasking_authority=world.clas,
        action_body=world.bde13,
        due_date=world.today + datetime.timedelta(days=30),
    )


def move(lesson: Lesson, actor: Any, to: str, **kw: Any) -> Lesson:
    lesson.refresh_from_db()
    return services.lesson_transition(actor=actor, lesson=lesson, to_status=to, **kw)


def test_the_whole_process(world: Any, lesson: Lesson) -> None:
    assert lesson.observations.get().status == "in_analysis"
    with pytest.raises(NotAllowed):
        move(lesson, world.jfc_lessons, "endorsed")  # not the tasking commander
    move(lesson, world.clas_commander, "endorsed")
    with pytest.raises(NotAllowed):
        move(lesson, world.bde13_safety, "tasked")
    move(lesson, world.jfc_lessons, "tasked")
    with pytest.raises(NotAllowed):
        move(lesson, world.jfc_lessons, "implemented")  # not the action body
    move(lesson, world.bn_commander, "implemented")  # a unit of 13 LBR
    with pytest.raises(ValidationError) as exc:
        move(lesson, world.jfc_lessons, "validated")
    assert "validation_evidence" in exc.value.error_dict
    done = move(
        lesson,
        world.jfc_lessons,
        "validated",
        validation_evidence="Koelkast aanwezig bij controle R13.",
    )
    assert done.status == "validated"
    assert done.validation_evidence.startswith("Koelkast")


def test_out_of_order_is_refused_clearly(world: Any, lesson: Lesson) -> None:
    with pytest.raises(ValidationError) as exc:
        move(lesson, world.jfc_lessons, "validated")
    assert "cannot become" in str(exc.value) or "kan niet" in str(exc.value)


def test_closing_without_action_needs_a_reason(world: Any, lesson: Lesson) -> None:
    with pytest.raises(ValidationError):
        move(lesson, world.jfc_lessons, "closed")
    closed = move(lesson, world.jfc_lessons, "closed", reason="Al geregeld door DMO.")
    assert closed.status_reason == "Al geregeld door DMO."
    with pytest.raises(ValidationError):
        move(closed, world.jfc_lessons, "tasked")


def test_only_a_lessons_officer_identifies(world: Any) -> None:
    obs = services.observation_submit(
        actor=world.coy_leader,
        deployment=world.dep,
        title="t",
        observation="o",
        source="aar",
        **full_odcr(),
    )
    obs = services.observation_transition(
        actor=world.jfc_safety, observation=obs, to_status="verified"
    )
    with pytest.raises(NotAllowed):
        services.lesson_create(actor=world.bde13_safety, title="x", observations=[obs])


def test_api_transition(world: Any, lesson: Lesson, api_for: Any) -> None:
    url = f"/api/v1/lessons/{lesson.pk}/transition"
    wrong = api_for(world.bde13_safety).post(
        url, {"to_status": "endorsed"}, content_type="application/json"
    )
    assert wrong.status_code == 403
    order = api_for(world.jfc_lessons).post(
        url, {"to_status": "implemented"}, content_type="application/json"
    )
    assert order.status_code == 422
    ok = api_for(world.clas_commander).post(
        url, {"to_status": "endorsed"}, content_type="application/json"
    )
    assert ok.status_code == 200 and ok.json()["status"] == "endorsed"
    assert (
        api_for(world.bde43_safety)
        .post(url, {"to_status": "tasked"}, content_type="application/json")
        .status_code
        == 404
    )


def test_overdue_actions_show_on_the_action_body_and_deployment(
    world: Any, lesson: Lesson, client_for: Any
) -> None:
    move(lesson, world.clas_commander, "endorsed")
    move(lesson, world.jfc_lessons, "tasked")
    Lesson.objects.filter(pk=lesson.pk).update(
        due_date=world.today - datetime.timedelta(days=3)
    )
    page = client_for(world.bde13_safety).get(
        reverse("organisations:detail", kwargs={"pk": world.bde13.pk})
    )
    assert "Koelketen medicijnen" in page.content.decode()
    page = client_for(world.jfc_safety).get(
        reverse("deployments:detail", kwargs={"pk": world.dep.pk})
    )
    assert "Koelketen medicijnen" in page.content.decode()
    request = RequestFactory().get("/")
    request.user = world.bde43_safety
    assert panels_for("organisation", request, world.bde13) == []


def test_lesson_pages(world: Any, lesson: Lesson, client_for: Any) -> None:
    client = client_for(world.clas_commander)
    page = client.get(reverse("lessons:lesson_detail", kwargs={"pk": lesson.pk}))
    assert b'value="endorsed"' in page.content
    response = client.post(
        reverse("lessons:lesson_transition", kwargs={"pk": lesson.pk}),
        {"to_status": "endorsed", "version": lesson.version},
    )
    assert response.status_code == 302
    lesson.refresh_from_db()
    assert lesson.status == "endorsed"
