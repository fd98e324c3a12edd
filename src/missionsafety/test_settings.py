"""Settings for the test suite: the normal ones with tasks run immediately."""

from __future__ import annotations

import os
import tempfile

os.environ["MISSIONSAFETY_TESTING"] = "1"
os.environ.setdefault(
    "SECRET_KEY", "test-secret-key-not-for-production-0123456789abcdef"
)
os.environ.setdefault(
    "MISSIONSAFETY_DATA_DIR", tempfile.mkdtemp(prefix="missionsafety-test-")
)

from missionsafety.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SECURE_COOKIES = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
LOGGING["root"]["level"] = "WARNING"  # type: ignore[index]  # noqa: F405
LOGGING["loggers"]["django.request"] = {"level": "ERROR"}  # type: ignore[index]  # noqa: F405
# Tests see every panel and page rendered (tests/test_kept_panels.py keeps
# them); KEEP_PANELS=1 runs the whole suite with kept panels and pages.
KEEP_PANELS = os.environ.get("KEEP_PANELS") == "1"
