"""Request logs carry the request id that the audit trail stores."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from missionsafety.core.middleware import RequestIdFilter

pytestmark = pytest.mark.django_db


def test_request_log_carries_the_request_id(client: Any, caplog: Any) -> None:
    caplog.set_level(logging.INFO, logger="missionsafety.request")
    client.get("/login/", HTTP_X_REQUEST_ID="trace-4242-abcdef")
    records = [r for r in caplog.records if r.name == "missionsafety.request"]
    assert len(records) == 1
    assert records[0].request_id == "trace-4242-abcdef"
    assert records[0].getMessage() == "GET /login/ 200"


def test_every_log_line_of_a_request_gets_its_id(client: Any, caplog: Any) -> None:
    """Django's own warnings (here: a 404) are tagged by the handler's filter."""
    caplog.set_level(logging.WARNING, logger="django.request")
    client.get("/no-such-page/", HTTP_X_REQUEST_ID="trace-404-abcdefgh")
    warning = next(r for r in caplog.records if r.name == "django.request")
    # The configured handler's filter tagged the record when it was emitted.
    assert warning.request_id == "trace-404-abcdefgh"
    assert "Not Found" in warning.getMessage()


def test_outside_a_request_the_id_is_a_dash(client: Any) -> None:
    client.get("/login/", HTTP_X_REQUEST_ID="trace-done-abcdefgh")
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "hello", None, None)
    RequestIdFilter().filter(record)
    assert record.request_id == "-"


def test_a_secret_token_in_the_query_never_reaches_the_log(
    client: Any, caplog: Any
) -> None:
    """The calendar feed is fetched with ``?token=``: the log keeps the rest."""
    caplog.set_level(logging.INFO, logger="missionsafety.request")
    client.get("/login/?next=/&token=s3cret-feed-token&Token=other-s3cret")
    line = next(
        r.getMessage() for r in caplog.records if r.name == "missionsafety.request"
    )
    assert "s3cret" not in line
    assert "next=" in line
    assert "token=%5Bremoved%5D" in line or "token=[removed]" in line
