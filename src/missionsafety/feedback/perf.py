"""Bulk generation of notifications for benchmarks and the reference data set."""

from __future__ import annotations

import datetime
import random
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from missionsafety.feedback.models import Notification, NotificationKind


def generate_notifications(
    *, recipient: Any, count: int, seed: int = 0, batch_size: int = 5000
) -> int:
    """Bulk-create ``count`` notifications for one person over the last two years.

    About one in twenty is unread (the newest are more often unread). Their
    subjects are placeholders: opening one leads to the inbox.
    """
    rng = random.Random(f"{seed}:notifications")
    subject_type = ContentType.objects.get_for_model(Notification)
    now = timezone.now()
    kinds = NotificationKind.values
    rows = []
    for i in range(count):
        created = now - datetime.timedelta(minutes=i * 97 + rng.randrange(90))
        kind = rng.choice(kinds)
        rows.append(
            Notification(
                recipient_id=recipient.pk,
                kind=kind,
                subject_type=subject_type,
                subject_id=i + 1,
                params={
                    "ref": f"R-{i:05d}",
                    "title": "Aanrijding bij konvooi",
                    "deployment": "EFP-R12",
                    "level": "H",
                    "category": 3,
                },
                day=created.date(),
                created_at=created,
                read_at=None if i < 50 or rng.random() < 0.03 else created,
            )
        )
    Notification.objects.bulk_create(rows, batch_size=batch_size)
    return count
