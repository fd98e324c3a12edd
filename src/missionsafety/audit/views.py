"""Pages for the history of an object and the state of the audit chain."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from missionsafety.audit.models import ChangeRecord
from missionsafety.audit.presentation import (
    action_text,
    describe,
    model_label,
    object_label,
    references,
    with_changes,
)
from missionsafety.audit.selectors import (
    deployment_history,
    history_target,
    object_history,
)
from missionsafety.audit.services import verify_chain
from missionsafety.core.selectors import paginate
from missionsafety.core.text import attachment_disposition, spreadsheet_cell
from missionsafety.core.views import AuthedRequest
from missionsafety.organisations.scope import sees_everything


@login_required
def history(request: AuthedRequest, model: str, pk: str) -> HttpResponse:
    obj = history_target(user=request.user, model_label=model, pk=pk)
    page = paginate(object_history(obj=obj), request.GET.get("page"))
    # The page's object is named already: no query for it.
    page.object_list = with_changes(page.object_list, request.user, known=[obj])
    return render(request, "audit/history.html", {"object": obj, "page": page})


@login_required
def deployment_changes(request: AuthedRequest, deployment_pk: int) -> HttpResponse:
    """Every change under a deployment: its risks, occurrences, threads, …"""
    from missionsafety.deployments.selectors import deployment_get

    deployment = deployment_get(user=request.user, pk=deployment_pk)
    page = paginate(
        deployment_history(user=request.user, deployment_id=deployment.pk),
        request.GET.get("page"),
    )
    page.object_list = with_changes(page.object_list, request.user)
    return render(
        request, "audit/deployment.html", {"deployment": deployment, "page": page}
    )


CSV_CHUNK = 500


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_rows(writer: Any, batch: list[ChangeRecord], user: Any) -> Iterator[str]:
    """CSV lines of a chunk of records; what they refer to is looked up once."""
    refs = references(batch, user)
    for r in batch:
        change = "; ".join(
            f"{c['label']}: {c['before'] + ' → ' if c['changed'] else ''}{c['after']}"
            for c in describe(r, refs)
        )
        yield writer.writerow(
            spreadsheet_cell(cell)
            for cell in [
                r.seq,
                r.created_at.isoformat(),
                r.actor_label,
                model_label(r),
                object_label(r, refs),
                action_text(r),
                change,
                r.request_id,
                r.prev_hash,
                r.hash,
            ]
        )


@login_required
def deployment_changes_csv(
    request: AuthedRequest, deployment_pk: int
) -> StreamingHttpResponse:
    """The deployment's whole audit history as CSV, oldest first, with the hashes
    so that the export can be checked against the chain."""
    from missionsafety.deployments.selectors import deployment_get

    deployment = deployment_get(user=request.user, pk=deployment_pk)
    records = (
        deployment_history(user=request.user, deployment_id=deployment.pk)
        .order_by("seq")
        .iterator(chunk_size=CSV_CHUNK)
    )
    writer = csv.writer(_Echo())

    def rows() -> Iterator[str]:
        yield writer.writerow(
            [
                _("sequence"),
                _("time"),
                _("actor"),
                _("object type"),
                _("object"),
                _("action"),
                _("change"),
                _("request id"),
                _("previous hash"),
                _("hash"),
            ]
        )
        batch: list[ChangeRecord] = []
        for record in records:
            batch.append(record)
            if len(batch) == CSV_CHUNK:
                yield from _csv_rows(writer, batch, request.user)
                batch = []
        yield from _csv_rows(writer, batch, request.user)

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = attachment_disposition(
        f"{deployment.code}-audit-history", "csv"
    )
    return response


@login_required
def chain(request: AuthedRequest) -> HttpResponse:
    """Recent changes everywhere and, on request, a verification of the chain."""
    if not sees_everything(request.user):
        raise Http404
    result = verify_chain() if request.GET.get("verify") == "1" else None
    page = paginate(
        ChangeRecord.objects.select_related("actor", "content_type").order_by("-seq"),
        request.GET.get("page"),
    )
    page.object_list = with_changes(page.object_list, request.user)
    return render(request, "audit/chain.html", {"page": page, "result": result})
