"""Read helpers shared by every app's selectors."""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.core.paginator import Page, Paginator
from django.db import models
from django.http import Http404

M = TypeVar("M", bound=models.Model)

PAGE_SIZE = 50


def get_visible(queryset: models.QuerySet[M], user: Any, **lookup: Any) -> M:
    """One row the user may see, or 404 — never 403, so existence does not leak."""
    try:
        return queryset.visible_to(user).get(**lookup)  # type: ignore[attr-defined]
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def paginate(
    queryset: models.QuerySet[M] | list[Any],
    page: Any,
    per_page: int = PAGE_SIZE,
    *,
    count: int | None = None,
) -> Page[Any]:
    """A page of rows; out-of-range or malformed page numbers give the nearest
    page. ``count``: the number of rows when the caller has counted them."""
    if count == 0:
        queryset = []  # nothing to read: not even a query to build
    paginator = Paginator(queryset, per_page)
    if count is not None:
        paginator.__dict__["count"] = count  # what the cached property would hold
    return paginator.get_page(page)
