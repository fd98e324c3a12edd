"""Field sync over HTTPS: a field instance pushes its bundles and pulls home's.

Authenticated by the field token from the package (``X-Field-Token``), not by
a person: the bundles themselves carry who changed what.
"""

import hmac

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import Router

from missionsafety.field.envelope import BundleRefused
from missionsafety.field.files import DEFAULT_BATCH_BYTES
from missionsafety.field.models import Instance, SentBundle
from missionsafety.field.services import (
    bundle_apply,
    bundle_make,
    self_instance,
    token_digest,
)

router = Router(tags=["field"], auth=None)
MAX_BUNDLE = 20 * 1024 * 1024
# A batch asked for is kept small enough to resume over a thin link.
MAX_BATCH_BYTES = 4 * 1024 * 1024


def _field(request: HttpRequest, instance: str) -> Instance:
    me = self_instance()
    token = request.headers.get("X-Field-Token", "")
    peer = (
        Instance.objects.filter(
            uuid=instance, is_self=False, role=Instance.Role.FIELD
        ).first()
        if me is not None and len(instance) == 36
        else None
    )
    if (
        peer is None
        or not token
        or not hmac.compare_digest(peer.token_hash, token_digest(token))
    ):
        raise Http404
    return peer


@router.post("/field/{instance}/push", include_in_schema=False)
def push(request: HttpRequest, instance: str) -> HttpResponse:
    """Apply one bundle from the field; an already applied one is confirmed."""
    peer = _field(request, instance)
    # Read the stream, not ``request.body``: a batch with an attachment is
    # larger than the limit Django sets for form posts.
    length = int(request.META.get("CONTENT_LENGTH") or 0)
    if length > MAX_BUNDLE:
        return JsonResponse({"detail": _("The bundle is too large.")}, status=413)
    data = request.read(MAX_BUNDLE + 1)
    if len(data) > MAX_BUNDLE:
        return JsonResponse({"detail": _("The bundle is too large.")}, status=413)
    try:
        result = bundle_apply(data=data, via="https")
    except BundleRefused as exc:
        peer.refresh_from_db()
        return JsonResponse(
            {"detail": exc.message, "applied": peer.received_seq}, status=409
        )
    return JsonResponse(
        {
            "applied": result.seq,
            "created": result.created,
            "updated": result.updated,
            "conflicts": result.conflicts,
        }
    )


@router.get("/field/{instance}/pull", include_in_schema=False)
def pull(
    request: HttpRequest,
    instance: str,
    after: int = 0,
    limit: int = 200,
    size: int = DEFAULT_BATCH_BYTES,
) -> HttpResponse:
    """The bundle after ``after``: sent again if it was made already, else the
    next one (204 when nothing waits)."""
    peer = _field(request, instance)
    sent = SentBundle.objects.filter(peer=peer, seq=after + 1).first()
    if sent is not None:
        return HttpResponse(bytes(sent.data), content_type="application/octet-stream")
    if after != peer.sent_seq:
        return JsonResponse(
            {"detail": _("Unknown bundle number."), "sent": peer.sent_seq}, status=409
        )
    data, count = bundle_make(
        peer=peer,
        limit=max(1, min(limit, 1000)),
        max_bytes=max(16 * 1024, min(size, MAX_BATCH_BYTES)),
    )
    if not count:
        # Nothing to send: take the empty bundle back.
        SentBundle.objects.filter(peer=peer, seq=after + 1).delete()
        Instance.objects.filter(pk=peer.pk).update(sent_seq=after)
        return HttpResponse(status=204)
    return HttpResponse(data, content_type="application/octet-stream")
