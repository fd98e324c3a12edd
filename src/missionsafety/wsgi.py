"""WSGI entry point: ``gunicorn missionsafety.wsgi``."""

from __future__ import annotations

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "missionsafety.settings")
application = get_wsgi_application()

# Import every view now (through the URLs) and move what start-up created to
# the collector's permanent generation: a full collection then walks only what
# requests create, instead of some 130,000 start-up objects (about 70 ms of a
# request, every hundred requests or so, at scale 1).
get_resolver().url_patterns  # noqa: B018
gc.freeze()
