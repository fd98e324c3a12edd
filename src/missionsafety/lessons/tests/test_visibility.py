"""Releasability decides who sees observations and lessons, in the query."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from missionsafety.lessons import services
from missionsafety.lessons.models import Lesson, Observation

from .conftest import full_odcr


def visible(user: Any) -> set[int]:
    return set(Observation.objects.visible_to(user).values_list("id", flat=True))


def test_releasability(loop: Any) -> None:
    w = loop.w
    fuzes, secret, parties = loop.fuzes.pk, loop.secret.pk, loop.parties_only.pk
    assert visible(w.bde13_safety) >= {fuzes, secret, parties}
    assert visible(w.coy_leader) >= {fuzes, secret}  # a unit below 13 LBR
    assert visible(w.bde43_safety) == {fuzes}
    assert visible(w.jfc_safety) >= {fuzes, secret, parties}  # a party
    assert visible(w.inspector) >= {fuzes, secret, parties}


def test_lessons_are_visible_to_their_action_body(loop: Any) -> None:
    w = loop.w
    obs = services.observation_submit(
        actor=w.bde13_safety,
        deployment=loop.mali,
        title="Geen reservebanden",
        observation="o",
        source="aar",
        **full_odcr(),
    )
    obs = services.observation_transition(
        actor=w.jfc_safety, observation=obs, to_status="verified"
    )
    lesson = services.lesson_create(
        actor=w.jfc_lessons,
        title="Reservebanden",
        observations=[obs],
        action_body=w.bde43,
    )
    assert Lesson.objects.visible_to(w.bde43_safety).filter(pk=lesson.pk).exists()
    assert not Lesson.objects.visible_to(w.bde43_safety).exclude(pk=lesson.pk).exists()


def test_lists_hide_what_is_not_released(loop: Any, client_for: Any) -> None:
    page = client_for(loop.w.bde43_safety).get(reverse("lessons:observation_list"))
    html = page.content.decode()
    assert loop.fuzes.title in html
    assert loop.secret.title not in html
    url = reverse("lessons:observation_detail", kwargs={"pk": loop.secret.pk})
    assert client_for(loop.w.bde43_safety).get(url).status_code == 404
    assert client_for(loop.w.coy_leader).get(url).status_code == 200
