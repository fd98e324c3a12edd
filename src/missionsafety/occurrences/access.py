"""Access-control targets of the occurrences app (see tests/test_access_control.py)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def make_occurrence(w: Any, **extra: Any) -> Any:
    from missionsafety.occurrences.services import occurrence_report

    values: dict[str, Any] = {
        "actor": w.coy_commander,
        "deployment": w.dep,
        "occurred_at": timezone.now() - datetime.timedelta(hours=3),
        "place": "Pabradė, schietbaan 3",
        "unit": w.coy,
        "kind": "near_miss",
        "title": "Voertuig raakt bijna wachtpost",
        "actual_category": 1,
        "potential_category": 2,
    }
    values.update(extra)
    occurrence, _created = occurrence_report(**values)
    return occurrence


def targets(w: Any) -> dict[str, dict[str, Any]]:
    from missionsafety.occurrences.services import action_add

    occurrence = make_occurrence(
        w,
        attachments=[SimpleUploadedFile("foto.png", PNG, "image/png")],
        persons=[{"name": "Sld J. Jansen", "medical_details": "kneuzing"}],
    )
    action = action_add(
        actor=w.bde13_safety,
        occurrence=occurrence,
        description="Wachtpost verplaatsen",
        owner=w.bn_commander,
        due_date=w.today + datetime.timedelta(days=7),
    )
    person = occurrence.persons.get()
    attachment = occurrence.attachments.get()
    dep = {"deployment_pk": w.dep.pk}
    occ = {"pk": occurrence.pk}
    api_occ = {"occurrence_id": occurrence.pk}
    return {
        "occurrences:mine": {"kwargs": {}, "public": True},
        "occurrences:list": {"kwargs": dep},
        "occurrences:report": {"kwargs": dep},
        "occurrences:detail": {"kwargs": occ},
        "occurrences:edit": {"kwargs": occ},
        "occurrences:triage": {"kwargs": occ},
        "occurrences:transition": {
            "kwargs": occ,
            "status": 405,
            "methods": ["post"],
            "data": {"to_status": "triaged"},
        },
        "occurrences:action_add": {"kwargs": occ, "status": 405, "methods": ["post"]},
        "occurrences:action_done": {
            "kwargs": {"pk": action.pk},
            "status": 405,
            "methods": ["post"],
        },
        "occurrences:person_add": {
            "kwargs": occ,
            "status": 405,
            "methods": ["post"],
            "data": {"name": "Lek"},
        },
        "occurrences:person_remove": {
            "kwargs": {"pk": person.pk},
            "status": 405,
            "methods": ["post"],
        },
        "occurrences:attachment_add": {
            "kwargs": occ,
            "status": 405,
            "methods": ["post"],
        },
        "occurrences:attachment": {
            "kwargs": {"pk": attachment.pk},
            "methods": ["get"],
        },
        "api:list_occurrences": {
            "kwargs": {"deployment_id": w.dep.pk},
            "methods": ["get"],
        },
        "api:create_occurrence": {
            "kwargs": {"deployment_id": w.dep.pk},
            "methods": ["post"],
            "data": {
                "occurred_at": (
                    timezone.now() - datetime.timedelta(hours=1)
                ).isoformat(),
                "place": "Rukla",
                "unit_id": w.bn.pk,
                "kind": "incident",
                "title": "Lek",
                "actual_category": 0,
                "potential_category": 0,
            },
        },
        "api:get_occurrence": {"kwargs": api_occ, "methods": ["get"]},
        "api:patch_occurrence": {
            "kwargs": api_occ,
            "methods": ["patch"],
            "data": {"version": occurrence.version, "title": "Lek"},
        },
        "api:triage_occurrence": {
            "kwargs": api_occ,
            "methods": ["post"],
            "status": 405,
            "data": {"actual_category": 4, "potential_category": 4},
        },
    }
