"""Pages for the history of an object and the state of the audit chain."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render

from missionsafety.audit.models import ChangeRecord
from missionsafety.audit.selectors import history_target, object_history
from missionsafety.audit.services import verify_chain
from missionsafety.core.permissions import sees_everything
from missionsafety.core.selectors import paginate
from missionsafety.core.views import AuthedRequest


@login_required
def history(request: AuthedRequest, model: str, pk: str) -> HttpResponse:
    obj = history_target(user=request.user, model_label=model, pk=pk)
    page = paginate(object_history(obj=obj), request.GET.get("page"))
    return render(request, "audit/history.html", {"object": obj, "page": page})


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
    return render(request, "audit/chain.html", {"page": page, "result": result})
