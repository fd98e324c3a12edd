"""Access-control targets of the feedback app (see tests/test_access_control.py)."""

from __future__ import annotations

import datetime
from typing import Any

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 20


def targets(w: Any) -> dict[str, dict[str, Any]]:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import TestCase

    from missionsafety.feedback.models import Notification
    from missionsafety.feedback.services import thread_open, thread_reply

    with TestCase.captureOnCommitCallbacks(execute=True):
        thread = thread_open(
            actor=w.jfc_safety,
            deployment=w.dep,
            to_party=w.party_clas,
            subject=w.dep,
            title="Vraag over winteruitrusting",
            body="Is de winteruitrusting voor R12 op tijd geleverd?",
            due_date=w.today + datetime.timedelta(days=5),
        )
    reply = thread_reply(
        actor=w.clas_safety,
        thread=thread,
        body="Zie de foto van de pallets.",
        uploads=[SimpleUploadedFile("pallets.png", PNG, "image/png")],
    )
    attachment = reply.attachments.get()
    notification = Notification.objects.filter(recipient=w.clas_safety).first()
    assert notification is not None  # the thread above notified CLAS
    thread_kw = {"pk": thread.pk}
    return {
        "feedback:threads": {"kwargs": {}, "public": True},
        "feedback:thread": {"kwargs": thread_kw},
        "feedback:thread_reply": {
            "kwargs": thread_kw,
            "status": 405,
            "methods": ["post"],
            "data": {"body": "lek"},
        },
        "feedback:thread_close": {
            "kwargs": thread_kw,
            "status": 405,
            "methods": ["post"],
        },
        "feedback:thread_new": {"kwargs": {"deployment_pk": w.dep.pk}},
        "feedback:inbox": {"kwargs": {}, "public": True},
        "feedback:preferences": {"kwargs": {}, "public": True},
        "feedback:read_all": {
            "kwargs": {},
            "public": True,
            "status": 405,
            "methods": ["post"],
        },
        "feedback:open": {
            "kwargs": {"pk": notification.pk},
            "insider": w.clas_safety,
            "status": 302,
            "methods": ["get", "post"],
        },
        "feedback:read": {
            "kwargs": {"pk": notification.pk},
            "insider": w.clas_safety,
            "status": 405,
            "methods": ["post"],
        },
        "api:list_threads": {"kwargs": {}, "public": True, "methods": ["get"]},
        "api:open_thread": {
            "kwargs": {},
            "methods": ["post"],
            "data": {
                "deployment_id": w.dep.pk,
                "to_organisation_id": w.clas.pk,
                "title": "Lek",
                "body": "Lek",
            },
        },
        "api:post_thread_message": {
            "kwargs": {"thread_id": thread.pk},
            "status": 405,
            "methods": ["post"],
            "data": {"body": "lek"},
        },
        "api:post_thread_message_with_file": {
            "kwargs": {"thread_id": thread.pk},
            "status": 405,
            "methods": ["post"],
            "data": {"body": "lek"},
        },
        "feedback:attachment": {"kwargs": {"pk": attachment.pk}, "methods": ["get"]},
        "api:download_thread_attachment": {
            "kwargs": {"attachment_id": attachment.pk},
            "methods": ["get"],
        },
        "api:list_notifications": {"kwargs": {}, "public": True, "methods": ["get"]},
    }
