"""Responses are compressed without breaking streams or ETags; static files are
fingerprinted, pre-compressed (brotli and gzip) and cached for a year or more."""

from __future__ import annotations

import gzip
import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.test import Client

GZIP = "django.middleware.gzip.GZipMiddleware"
# Middleware that may sit above compression: they produce no body of their own.
ABOVE_GZIP = {
    "missionsafety.perf.middleware.ServerTimingMiddleware",
    "missionsafety.core.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",  # serves its own pre-compressed files
    # Chooses the database and sets the read-your-writes cookie; a retry on the
    # primary goes through compression again.
    "missionsafety.core.replicas.ReplicaMiddleware",
}


def test_gzip_wraps_every_middleware_that_makes_or_changes_content() -> None:
    index = settings.MIDDLEWARE.index(GZIP)
    assert set(settings.MIDDLEWARE[:index]) <= ABOVE_GZIP
    assert (
        settings.MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware") < index
    )


@pytest.mark.django_db
def test_streaming_responses_stay_streaming_when_compressed(settings: Any) -> None:
    settings.ROOT_URLCONF = "tests.perf.streaming_urls"
    response = Client(HTTP_ACCEPT_ENCODING="gzip").get("/stream/")
    assert response.streaming
    assert response["Content-Encoding"] == "gzip"
    assert not response.has_header("Content-Length")
    body = gzip.decompress(b"".join(response.streaming_content)).decode()
    assert body.count("\n") == 2000 and body.startswith("regel 0;")


@pytest.mark.django_db
def test_compression_weakens_etags_instead_of_dropping_them(settings: Any) -> None:
    settings.ROOT_URLCONF = "tests.perf.streaming_urls"
    response = Client(HTTP_ACCEPT_ENCODING="gzip").get("/tagged/")
    assert response["Content-Encoding"] == "gzip"
    assert response["ETag"] == 'W/"v1"'
    plain = Client().get("/tagged/")
    assert plain["ETag"] == '"v1"' and not plain.has_header("Content-Encoding")


@pytest.mark.django_db
def test_static_files_are_fingerprinted_precompressed_and_cached_for_ever(
    settings: Any, tmp_path: Path
) -> None:
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        },
    }
    settings.WHITENOISE_USE_FINDERS = False
    settings.WHITENOISE_AUTOREFRESH = False
    # Only our own files: compressing the admin and API-docs bundles takes long.
    call_command(
        "collectstatic",
        interactive=False,
        verbosity=0,
        ignore_patterns=["admin", "ninja"],
    )
    css = staticfiles_storage.url("core/site.css")
    js = staticfiles_storage.url("core/htmx.min.js")
    assert re.fullmatch(r"/static/core/site\.[0-9a-f]{12}\.css", css)
    assert (tmp_path / css.removeprefix("/static/")).with_suffix(".css.br").exists()
    assert (tmp_path / css.removeprefix("/static/")).with_suffix(".css.gz").exists()

    client = Client()
    page = client.get("/login/")
    assert css in page.content.decode() and js in page.content.decode()

    br = client.get(js, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert br.status_code == 200
    assert br["Content-Encoding"] == "br"
    assert br["Cache-Control"] == "max-age=315360000, public, immutable"
    gz = client.get(css, HTTP_ACCEPT_ENCODING="gzip")
    assert gz["Content-Encoding"] == "gzip"
    assert int(gz["Content-Length"]) < (tmp_path / "core/site.css").stat().st_size / 2
    # The unversioned name still answers, but may change: no far-future caching.
    plain = client.get("/static/core/site.css")
    assert plain.status_code == 200
    assert "immutable" not in plain["Cache-Control"]


@pytest.mark.django_db
def test_server_timing_header_in_bench_runs(
    settings: Any, world: Any, client_for: Any
) -> None:
    from missionsafety.perf.middleware import parse_server_timing

    settings.MIDDLEWARE = [
        "missionsafety.perf.middleware.ServerTimingMiddleware",
        *settings.MIDDLEWARE,
    ]
    response = client_for(world.bde13_safety).get("/")
    timing = parse_server_timing(response["Server-Timing"])
    assert response.status_code == 200
    assert timing["app"] > 0 and timing["app"] >= timing["db"]
    assert timing["queries"] >= 3
