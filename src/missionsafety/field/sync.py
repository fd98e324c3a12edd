"""``missionsafety field sync``: push the field's bundles to home, pull home's.

Small batches, each a bundle with the next sequence number; a transfer cut
halfway is simply repeated (the same bundle again), and a bundle home already
applied is confirmed rather than applied twice.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from missionsafety.field.envelope import BundleRefused
from missionsafety.field.files import DEFAULT_BATCH_BYTES
from missionsafety.field.models import Instance, SentBundle
from missionsafety.field.services import bundle_apply, bundle_make, self_instance

TIMEOUT = 120


def _request(url: str, token: str, data: bytes | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(
        url,
        data=data,
        method="POST" if data is not None else "GET",
        headers={
            "X-Field-Token": token,
            "Content-Type": "application/octet-stream",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise BundleRefused(
            _("Home cannot be reached (%(reason)s); try again later.")
            % {"reason": getattr(exc, "reason", exc)}
        ) from None


def sync_with_home(
    *,
    url: str | None = None,
    batch: int = 200,
    batch_bytes: int = DEFAULT_BATCH_BYTES,
) -> dict[str, int]:
    me = self_instance()
    if me is None or me.role != Instance.Role.FIELD:
        raise BundleRefused(_("Only a field instance syncs with home."))
    home = Instance.objects.get(is_self=False, role=Instance.Role.HOME)
    base = (url or home.url).rstrip("/")
    if not base:
        raise BundleRefused(_("No home address: give --url."))
    prefix = f"{base}/api/v1/field/{me.uuid}"
    sent = received = 0
    # Push: first what home has not confirmed, then new batches.
    while True:
        home.refresh_from_db()
        if home.acked_seq < home.sent_seq:
            bundle = SentBundle.objects.get(peer=home, seq=home.acked_seq + 1)
            data, count = bytes(bundle.data), bundle.changes
        else:
            data, count = bundle_make(peer=home, limit=batch, max_bytes=batch_bytes)
            if not count:
                _drop_empty(home)
                break
        status, body = _request(f"{prefix}/push", home.token, data)
        reply = _json(body)
        # Home applied it now, or before (a file, or a reply lost on the way).
        already = status == 409 and reply.get("applied", 0) >= home.acked_seq + 1
        if status == 200 or already:
            Instance.objects.filter(pk=home.pk).update(
                acked_seq=home.acked_seq + 1, last_sync_at=timezone.now()
            )
            sent += 0 if already else count
            continue
        raise BundleRefused(str(reply.get("detail") or status))
    # Pull home's bundles until nothing waits.
    while True:
        home.refresh_from_db()
        status, body = _request(
            f"{prefix}/pull?after={home.received_seq}&limit={batch}&size={batch_bytes}",
            home.token,
        )
        if status == 204:
            break
        if status != 200:
            raise BundleRefused(str(_json(body).get("detail") or status))
        result = bundle_apply(data=body, via="https")
        received += result.created + result.updated + result.unchanged
    Instance.objects.filter(pk=home.pk).update(last_sync_at=timezone.now())
    return {"sent": sent, "received": received}


@transaction.atomic
def _drop_empty(home: Instance) -> None:
    """A bundle with no change is not sent: take its number back."""
    bundle = SentBundle.objects.filter(peer=home).order_by("-seq").first()
    if bundle is not None and bundle.changes == 0 and bundle.seq > home.acked_seq:
        bundle.delete()
        Instance.objects.filter(pk=home.pk).update(sent_seq=bundle.seq - 1)


def _json(body: bytes) -> dict[str, Any]:
    try:
        value = json.loads(body or b"{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}
