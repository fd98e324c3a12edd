"""A streaming view and an ETag view, to check compression keeps them intact."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.urls import path


def stream(request: HttpRequest) -> StreamingHttpResponse:
    return StreamingHttpResponse(
        (f"regel {i};risico;laag\n" for i in range(2000)), content_type="text/csv"
    )


def tagged(request: HttpRequest) -> HttpResponse:
    response = HttpResponse("inhoud " * 100, content_type="text/plain")
    response["ETag"] = '"v1"'
    return response


urlpatterns = [path("stream/", stream), path("tagged/", tagged)]
