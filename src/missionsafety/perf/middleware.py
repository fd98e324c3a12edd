"""A ``Server-Timing`` header for benchmark runs (enabled by an environment variable).

``app`` is the time Django spent on the request (every middleware included),
``db`` the time spent in database queries and their number. Set
``MISSIONSAFETY_SERVER_TIMING=1`` to enable it; ``missionsafety bench`` does.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import ExitStack
from typing import Any

from django.db import connections
from django.http import HttpRequest, HttpResponse


class ServerTimingMiddleware:
    """Measure the request in the server, so client latency and server time part."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        queries = [0, 0.0]

        def count(execute: Any, sql: Any, params: Any, many: Any, context: Any) -> Any:
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                queries[0] += 1
                queries[1] += time.perf_counter() - started

        started = time.perf_counter()
        with ExitStack() as stack:
            # The primary's and any replica's queries alike.
            for connection in connections.all():
                stack.enter_context(connection.execute_wrapper(count))
            response = self.get_response(request)
        app_ms = (time.perf_counter() - started) * 1000
        response["Server-Timing"] = (
            f'app;dur={app_ms:.2f}, db;dur={queries[1] * 1000:.2f};desc="{queries[0]}"'
        )
        return response


def parse_server_timing(header: str) -> dict[str, float]:
    """``{"app": ms, "db": ms, "queries": n}`` from a ``Server-Timing`` header."""
    result: dict[str, float] = {}
    for metric in header.split(","):
        parts = [p.strip() for p in metric.split(";")]
        name = parts[0]
        for part in parts[1:]:
            key, _sep, value = part.partition("=")
            value = value.strip('"')
            try:
                if key == "dur":
                    result[name] = float(value)
                elif key == "desc" and name == "db":
                    result["queries"] = float(value)
            except ValueError:
                continue
    return result
