"""Access-control targets of the lessons app (see tests/test_access_control.py)."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile


def make_risk(deployment: Any, *, title: str, hazard: str = "", category: Any = None):  # type: ignore[no-untyped-def]
    """A bare risk for tests (the risks app owns the real creation service)."""
    from django.db.models import Max

    from missionsafety.risks.models import Risk

    number = (
        Risk.objects.filter(deployment=deployment).aggregate(n=Max("number"))["n"] or 0
    ) + 1
    return Risk.objects.create(
        deployment=deployment,
        number=number,
        title=title,
        hazard=hazard or title,
        category=category,
        owner_party=deployment.parties.order_by("id").first(),
    )


def targets(w: Any) -> dict[str, dict[str, Any]]:
    from missionsafety.lessons import services

    obs = services.observation_submit(
        actor=w.bde13_safety,
        deployment=w.dep,
        title="Wachtpost zonder verlichting",
        observation="De wachtpost bij de poort had 's nachts geen verlichting.",
        discussion="Het aggregaat viel twee keer uit.",
        conclusion="Geen reserve voor verlichting.",
        recommendation="Noodverlichting op accu plaatsen.",
        source="hot_wash",
    )
    services.observation_transition(
        actor=w.jfc_safety, observation=obs, to_status="verified"
    )
    obs.refresh_from_db()
    lesson = services.lesson_create(
        actor=w.jfc_lessons, title="Noodverlichting wachtposten", observations=[obs]
    )
    attachment = services.attachment_add(
        actor=w.bde13_safety,
        observation=obs,
        upload=SimpleUploadedFile("foto.txt", b"schets van de poort", "text/plain"),
    )
    risk = make_risk(w.dep, title="Wachtpost in het donker")
    o, le = {"pk": obs.pk}, {"pk": lesson.pk}
    post_only = {"status": 405, "methods": ["post"]}
    return {
        "lessons:observation_list": {"kwargs": {}, "public": True},
        "lessons:observation_new": {"kwargs": {}, "public": True},
        "lessons:observation_detail": {"kwargs": o},
        "lessons:observation_edit": {"kwargs": o},
        "lessons:observation_transition": {"kwargs": o, **post_only},
        "lessons:attachment_add": {"kwargs": o, **post_only},
        "lessons:attachment": {"kwargs": {"pk": attachment.pk}, "methods": ["get"]},
        "lessons:lesson_list": {"kwargs": {}, "public": True},
        "lessons:lesson_new": {"kwargs": {}, "public": True},
        "lessons:lesson_detail": {"kwargs": le},
        "lessons:lesson_edit": {"kwargs": le},
        "lessons:lesson_transition": {"kwargs": le, **post_only},
        "lessons:search": {"kwargs": {}, "public": True},
        "lessons:suggest": {"kwargs": {"deployment_pk": w.dep.pk}, "methods": ["get"]},
        "lessons:review_add": {"kwargs": {"deployment_pk": w.dep.pk}, **post_only},
        "lessons:use_add": {"kwargs": {"risk_pk": risk.pk}, **post_only},
        "api:list_observations": {"kwargs": {}, "public": True},
        "api:create_observation": {"kwargs": {}, "public": True},
        "api:get_observation": {
            "kwargs": {"observation_id": obs.pk},
            "methods": ["get"],
        },
        "api:patch_observation": {
            "kwargs": {"observation_id": obs.pk},
            "methods": ["patch"],
            "data": {"version": obs.version, "title": "leak"},
        },
        "api:list_lessons": {"kwargs": {}, "public": True},
        "api:create_lesson": {"kwargs": {}, "public": True},
        "api:transition_lesson": {
            "kwargs": {"lesson_id": lesson.pk},
            "status": 405,
            "methods": ["post"],
            "data": {"to_status": "closed", "reason": "leak"},
        },
        "api:search_lessons": {"kwargs": {}, "public": True},
    }
