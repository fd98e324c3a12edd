"""Briefing PDFs: the risk picture of a deployment and the risk worksheets.

Both are HTML rendered by WeasyPrint, in the reader's language, with the date,
the deployment, the register's version (the last change record of the
deployment's audit trail), page numbers and the configured marking
(``DOCUMENT_MARKING``) in every page's header and footer. Other apps add their
part of the risk picture through the ``briefing`` panel slot.
"""

from __future__ import annotations

import datetime
import io
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from django.conf import settings
from django.db.models import Count, Max, Prefetch
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from missionsafety.audit.models import ChangeRecord
from missionsafety.core.panels import panels_for
from missionsafety.deployments.models import Deployment, Party, Phase
from missionsafety.risks import authority
from missionsafety.risks import selectors as risk_selectors
from missionsafety.risks.heatmap import heatmap
from missionsafety.risks.models import Control, Decision, Risk, RiskAttachment

S = Risk.Status
TOP_RISKS = 10
EXPIRING_DAYS = 30
# Below this many risks the worksheets are laid out in this process: starting
# a WeasyPrint process costs about a second, a worksheet about a tenth.
PARALLEL_MIN_RISKS = 50
# Processes laying out a large register; None is one per core.
PROCESSES: int | None = None


def register_version(deployment: Deployment) -> int:
    """The sequence number of the deployment's last change record (0 if none)."""
    last = ChangeRecord.objects.filter(deployment_id=deployment.pk).aggregate(
        m=Max("seq")
    )["m"]
    return int(last or 0)


def _frame(request: HttpRequest, deployment: Deployment, title: str) -> dict[str, Any]:
    # Two margin boxes, not six: each box is laid out on every page, and a
    # thousand-page register spent a quarter of its time on them.
    marking = str(getattr(settings, "DOCUMENT_MARKING", "") or "")
    printed_at = timezone.localtime()
    version = _("register version %(v)s") % {"v": register_version(deployment)}
    lead = f"{marking}  ·  " if marking else ""
    return {
        "deployment": deployment,
        "document_title": title,
        "marking": marking,
        "printed_at": printed_at,
        "printed_by": request.user,
        "header_text": f"{lead}{title} · {deployment.code}  ·  "
        f"{date_format(printed_at, 'j M Y H:i')}",
        "footer_text": f"{lead}{version}  ·  ",
        "page_word": _("page"),
        "of_word": pgettext("page 1 of 3", "of"),
    }


def _acceptances(risks: list[Risk]) -> dict[int, Decision]:
    ids = [r.accepted_decision_id for r in risks if r.accepted_decision_id]
    return {
        d.pk: d
        for d in Decision.objects.filter(pk__in=ids).select_related(
            "decided_by", "decided_for"
        )
    }


def risk_picture_context(
    request: HttpRequest, *, deployment: Deployment, title: str
) -> dict[str, Any]:
    """Everything the one-to-three-page risk picture shows."""
    user: Any = request.user
    matrix = authority.matrix_of(deployment)
    stats = risk_selectors.register_stats(user=user, deployment=deployment)
    summary = risk_selectors.deployment_summary(
        user=user, deployment=deployment, stats=stats
    )
    today = timezone.localdate()
    open_risks = (
        Risk.objects.visible_to(user)
        .filter(deployment=deployment)
        .exclude(status=S.CLOSED)
        .select_related("owner_party__organisation")
    )
    top = list(
        open_risks.exclude(residual_level="")
        .prefetch_related(
            Prefetch(
                "controls",
                queryset=Control.objects.select_related(
                    "owner_party__organisation"
                ).order_by("due_date", "pk"),
            )
        )
        .order_by("-residual_rank", "number")[:TOP_RISKS]
    )
    accepted = (S.ACCEPTED, S.MONITORED)
    expiring = list(
        open_risks.filter(
            status__in=accepted,
            acceptance_expires_on__lte=today + datetime.timedelta(days=EXPIRING_DAYS),
        ).order_by("acceptance_expires_on", "number")[:10]
    )
    awaiting = list(
        open_risks.filter(status=S.AWAITING_DECISION).order_by(
            "-residual_rank", "number"
        )[:10]
    )
    stopped = list(open_risks.filter(stop_flag=True).order_by("number")[:10])
    decisions = _acceptances([*top, *expiring])
    for risk in top + expiring:
        risk.acceptance = decisions.get(risk.accepted_decision_id)  # type: ignore[attr-defined,arg-type]
    overdue = list(
        Control.objects.visible_to(user)
        .filter(
            deployment=deployment,
            status__in=Control.OPEN_STATUSES,
            due_date__lt=today,
        )
        .exclude(risk__status=S.CLOSED)
        .values("owner_party__organisation__short_name")
        .annotate(n=Count("id"))
        .order_by("owner_party__organisation__short_name")
    )
    return {
        **_frame(request, deployment, title),
        "matrix": matrix,
        "summary": summary,
        "heat_inherent": heatmap(
            matrix=matrix, counts=stats.inherent, kind="i", link=""
        ),
        "heat_residual": heatmap(
            matrix=matrix, counts=stats.residual, kind="r", link=""
        ),
        "top": top,
        "expiring": expiring,
        "awaiting": awaiting,
        "stopped": stopped,
        "overdue_per_party": overdue,
        "today": today,
        "panels": panels_for("briefing", request, deployment),
    }


def worksheet_context(
    request: HttpRequest,
    *,
    deployment: Deployment,
    risks: list[Risk],
    title: str,
    frame: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The worksheet of each risk: hazard, levels, controls, acceptance block.

    ``frame`` (header, footer, print time) is shared by the parts of one
    document laid out separately.
    """
    ids = [r.pk for r in risks]
    controls: dict[int, list[Control]] = {}
    for c in (
        Control.objects.filter(risk_id__in=ids)
        .select_related("owner_party__organisation", "implementer")
        .order_by("due_date", "pk")
    ):
        controls.setdefault(c.risk_id, []).append(c)
    decisions: dict[int, list[Decision]] = {}
    for d in (
        Decision.objects.filter(risk_id__in=ids)
        .select_related("decided_by", "decided_for", "assessment")
        .prefetch_related(
            Prefetch(
                "parties_consulted",
                queryset=Party.objects.select_related("organisation"),
            )
        )
        .order_by("-decided_at", "-pk")
    ):
        decisions.setdefault(d.risk_id, []).append(d)
    files: dict[int, list[RiskAttachment]] = {}
    for f in RiskAttachment.objects.filter(risk_id__in=ids).order_by("pk"):
        files.setdefault(f.risk_id, []).append(f)
    accepted = _acceptances(risks)
    phases = {value: str(label) for value, label in Phase.choices}
    sheets = []
    for risk in risks:
        acceptance = accepted.get(risk.accepted_decision_id)  # type: ignore[arg-type]
        sheets.append(
            {
                "risk": risk,
                "assessment": risk.current_assessment,
                "phases": [phases.get(p, p) for p in risk.phases],
                "controls": controls.get(risk.pk, []),
                "acceptance": acceptance,
                "decisions": decisions.get(risk.pk, []),
                "attachments": files.get(risk.pk, []),
            }
        )
    return {
        **(frame if frame is not None else _frame(request, deployment, title)),
        "matrix": authority.matrix_of(deployment),
        "sheets": sheets,
    }


def worksheet_risks(*, user: Any, deployment: Deployment) -> list[Risk]:
    """The register's risks for the worksheets, by number (one query)."""
    return list(
        risk_selectors.register(user=user, deployment=deployment)
        .select_related("current_assessment", "owner")
        .order_by("number")
    )


def render_pdf(template: str, context: dict[str, Any], request: HttpRequest) -> bytes:
    from weasyprint import HTML

    html = render_to_string(template, context, request=request)
    return bytes(HTML(string=html).write_pdf())


def _chunks(risks: list[Risk], parts: int) -> list[list[Risk]]:
    """``risks`` in ``parts`` consecutive runs of nearly equal length."""
    size, extra = divmod(len(risks), parts)
    out, start = [], 0
    for i in range(parts):
        end = start + size + (1 if i < extra else 0)
        if end > start:
            out.append(risks[start:end])
        start = end
    return out


def render_worksheets_pdf(
    request: HttpRequest,
    *,
    deployment: Deployment,
    risks: list[Risk],
    title: str,
) -> bytes:
    """The worksheets of ``risks`` as one PDF, one risk a page.

    A large register is split into one consecutive run of risks per core, each
    laid out by its own process, and the pages joined with pypdf. Every run is
    told the number of its first page and the total, so that "page n of N"
    counts on across the runs. A worksheet is one page, so the first pages are
    known beforehand; should a risk need a second page, the runs are laid out
    again with the numbers counted from the first layout.
    """
    template = "reports/worksheets_pdf.html"
    workers = PROCESSES or os.cpu_count() or 1
    if workers < 2 or len(risks) < max(PARALLEL_MIN_RISKS, 2):
        context = worksheet_context(
            request, deployment=deployment, risks=risks, title=title
        )
        return render_pdf(template, context, request)
    from pypdf import PdfReader, PdfWriter

    from missionsafety.reports.pdfrender import html_to_pdf, warm_up

    chunks = _chunks(risks, workers)

    def layout(
        pool: ProcessPoolExecutor, firsts: list[int], total: int
    ) -> list[tuple[bytes, int]]:
        futures = [
            pool.submit(
                html_to_pdf,
                render_to_string(
                    template,
                    {**context, "page_first": first, "page_total": total},
                    request=request,
                ),
            )
            for context, first in zip(contexts, firsts, strict=True)
        ]
        return [f.result() for f in futures]

    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=len(chunks), mp_context=spawn) as pool:
        # Starting a process and loading WeasyPrint and its fonts takes a
        # second or more: done while the worksheets are read and written.
        for _chunk in chunks:
            pool.submit(warm_up)
        frame = _frame(request, deployment, title)
        contexts = [
            worksheet_context(
                request, deployment=deployment, risks=chunk, title=title, frame=frame
            )
            for chunk in chunks
        ]
        firsts, first = [], 1
        for chunk in chunks:
            firsts.append(first)
            first += len(chunk)
        parts = layout(pool, firsts, len(risks))
        counted = [pages for _pdf, pages in parts]
        if counted != [len(chunk) for chunk in chunks]:
            firsts, first = [], 1
            for pages in counted:
                firsts.append(first)
                first += pages
            parts = layout(pool, firsts, sum(counted))
    writer = PdfWriter()
    for pdf, _pages in parts:
        writer.append(PdfReader(io.BytesIO(pdf)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
