"""Settings for Mission Safety, driven by the environment.

Every setting that differs between a laptop and production comes from an
environment variable (secrets may come from a ``*_FILE`` path instead). With
nothing set, the application runs on an embedded SQLite database in ``var/``.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent


def env(name: str, default: str | None = None) -> str | None:
    """Read ``NAME`` or the contents of the file named by ``NAME_FILE``."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text().strip()
    return os.environ.get(name, default)


def envbool(name: str, default: bool = False) -> bool:
    value = env(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    value = env(name)
    return int(value) if value not in (None, "") else default


def envlist(name: str, default: list[str]) -> list[str]:
    value = env(name)
    if value is None or value.strip() == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DATA_DIR = Path(env("MISSIONSAFETY_DATA_DIR") or PROJECT_DIR / "var")
DEBUG = envbool("MISSIONSAFETY_DEBUG", False)
TESTING = envbool("MISSIONSAFETY_TESTING", False)


def _generated_once(name: str, filename: str) -> str:
    """``NAME`` (or ``NAME_FILE``), else a key generated once into ``DATA_DIR``."""
    configured = env(name)
    if configured:
        return configured
    # Zero set-up: a key generated once and kept beside the embedded database.
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key_file = DATA_DIR / filename
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def _secret_key() -> str:
    return _generated_once("SECRET_KEY", "secret_key")


SECRET_KEY = _secret_key()
# The key of the audit chain's HMACs (and, derived from it, of the signed
# checkpoints). It lives outside the database: someone who can write the
# database but not read this key cannot rewrite the chain unnoticed.
AUDIT_KEY = _generated_once("AUDIT_KEY", "audit_key")
# A field instance's number (0 on home): its risk numbers are taken from a
# block of its own (see docs/field-instance.md); written by "field init".
_field_number_file = DATA_DIR / "field_instance_number"
FIELD_INSTANCE_NUMBER = envint(
    "FIELD_INSTANCE_NUMBER",
    int(_field_number_file.read_text().strip() or 0)
    if _field_number_file.exists()
    else 0,
)
RISK_NUMBER_BLOCK = 10_000
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "missionsafety.core",
    "missionsafety.organisations",
    "missionsafety.deployments",
    "missionsafety.risks",
    "missionsafety.occurrences",
    "missionsafety.feedback",
    "missionsafety.lessons",
    "missionsafety.evaluations",
    "missionsafety.audit",
    "missionsafety.reports",
    "missionsafety.field",
    # The project package last: the commands that assemble all of the above.
    "missionsafety",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "template_partials",
    "ninja",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "missionsafety.core.middleware.RequestIdMiddleware",
    "missionsafety.core.replicas.ReplicaMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "missionsafety.urls"
WSGI_APPLICATION = "missionsafety.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "missionsafety.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'missionsafety.sqlite3'}",
        conn_max_age=envint("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
# PostgreSQL: a persistent connection per worker (DATABASE_CONN_MAX_AGE) saves
# a new connection per request (about 15 ms against 1 ms a query on the
# benchmark machine). With threaded workers, DATABASE_POOL_SIZE > 0 shares a
# psycopg pool of that many connections per process instead.
if (
    DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    and envint("DATABASE_POOL_SIZE", 0) > 0
):
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": 1,
        "max_size": envint("DATABASE_POOL_SIZE", 0),
    }
# PostgreSQL: parameters bound on the server, so that a statement asked again
# on the same connection is prepared once and planned once (psycopg prepares it
# from its DATABASE_PREPARE_THRESHOLD-th use; 0 switches this off).
if (
    DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    and envint("DATABASE_PREPARE_THRESHOLD", 2) > 0
):
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "server_side_binding": True,
            "prepare_threshold": envint("DATABASE_PREPARE_THRESHOLD", 2),
        }
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Kept open too (DATABASE_CONN_MAX_AGE): opening the file, its pragmas and
    # reading its schema cost 1.7 ms a request against 0.2 ms for a query.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=20000;"
            ),
        }
    )
    DATA_DIR.mkdir(parents=True, exist_ok=True)

# Streaming replicas of the PostgreSQL primary (comma-separated URLs): GET and
# HEAD requests read from one that answers and lags at most
# DATABASE_REPLICA_MAX_LAG seconds, except for DATABASE_READ_YOUR_WRITES
# seconds after the same browser wrote. See docs/operations-scaling.md.
DATABASE_REPLICA_MAX_LAG = float(env("DATABASE_REPLICA_MAX_LAG") or 5)
DATABASE_REPLICA_CHECK_SECONDS = float(env("DATABASE_REPLICA_CHECK_SECONDS") or 2)
DATABASE_READ_YOUR_WRITES = envint("DATABASE_READ_YOUR_WRITES", 10)
for _number, _url in enumerate(envlist("DATABASE_REPLICA_URLS", []), start=1):
    _replica = dj_database_url.parse(
        _url,
        conn_max_age=DATABASES["default"]["CONN_MAX_AGE"],
        conn_health_checks=True,
    )
    # A replica that does not answer is skipped after two seconds, not sixty.
    _replica.setdefault("OPTIONS", {}).setdefault("connect_timeout", 2)
    for _option in ("server_side_binding", "prepare_threshold"):
        if _option in DATABASES["default"].get("OPTIONS", {}):
            _replica["OPTIONS"][_option] = DATABASES["default"]["OPTIONS"][_option]
    if "pool" in DATABASES["default"].get("OPTIONS", {}):
        _replica["OPTIONS"]["pool"] = dict(DATABASES["default"]["OPTIONS"]["pool"])
    # Tests read the primary's test database through the replica alias.
    _replica["TEST"] = {"MIRROR": "default"}
    DATABASES[f"replica{_number}"] = _replica
DATABASE_ROUTERS = ["missionsafety.core.replicas.ReplicaRouter"]
if len(DATABASES) > 1 and not (env("SECRET_KEY") and env("AUDIT_KEY")):
    # Keys generated into one server's DATA_DIR would differ from the next
    # server's: sessions would not hold and the audit chain would not verify.
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "With DATABASE_REPLICA_URLS (several application servers) set "
        "SECRET_KEY and AUDIT_KEY (or *_FILE) to the same values on every server."
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "organisations.User"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's model backend, reading each request's user with plain SQL.
    "missionsafety.organisations.backends.UserBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling: five failures lock the username from that address for 15 min.
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = envint("AXES_COOLOFF_MINUTES", 15) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# A lock ends after its cool-off: failures during the lock do not prolong it
# (otherwise anyone could keep a commander locked out for good).
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# Behind a reverse proxy: its addresses (or networks), so that the client's
# address is read from X-Forwarded-For; see docs/operations-audit-backup.md.
TRUSTED_PROXIES = envlist("TRUSTED_PROXIES", [])
AXES_CLIENT_IP_CALLABLE = "missionsafety.core.client_address.client_address"
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
AXES_ENABLED = envbool("AXES_ENABLED", True)

# Sessions: eight working hours, gone when the browser closes.
# Django's database sessions, read with plain SQL on every request (core.sessions).
SESSION_ENGINE = "missionsafety.core.sessions"
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", 8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE_COOKIES = envbool("SECURE_COOKIES", not DEBUG and bool(env("SECRET_KEY")))
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
if env("SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SILENCED_SYSTEM_CHECKS = envlist("SILENCED_SYSTEM_CHECKS", [])

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LANGUAGE_COOKIE_NAME = "missionsafety_language"
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = env("TIME_ZONE", "Europe/Amsterdam") or "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

# dumpdata/loaddata keep the ids that change records name (see the module).
SERIALIZATION_MODULES = {"json": "missionsafety.core.serializers"}

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT") or DATA_DIR / "static")
MEDIA_ROOT = Path(env("MEDIA_ROOT") or DATA_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not TESTING
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_MANIFEST_STRICT = False
WHITENOISE_USE_FINDERS = DEBUG or TESTING

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "missionsafety@localhost")
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000")

TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"
        if TESTING
        else "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

# The cache holds only what can be derived again, under keys that name the
# version of what it was derived from (kept page panels, see core.panels), so
# each process's own memory is correct; CACHE_URL (Redis) shares it between
# processes and servers.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "missionsafety",
        "OPTIONS": {"MAX_ENTRIES": envint("CACHE_MAX_ENTRIES", 3000)},
    }
}
if env("CACHE_URL"):
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env("CACHE_URL") or "",
    }

# Page panels that follow only from deployments' data are rendered once per
# version (core.panels); 0 renders every panel on every request.
KEEP_PANELS = envbool("KEEP_PANELS", True)

# Occurrences: attachment size limit and retention of personal data (names,
# medical details) before ``missionsafety purge-personal-data`` deletes them.
OCCURRENCE_ATTACHMENT_MAX_MB = envint("OCCURRENCE_ATTACHMENT_MAX_MB", 10)
PERSONAL_DATA_RETENTION_DAYS = envint("PERSONAL_DATA_RETENTION_DAYS", 730)

# Personal API tokens expire this many days after they are made (0: never).
# A password change revokes them all.
API_TOKEN_DAYS = envint("API_TOKEN_DAYS", 0)

# Briefing PDFs: the marking printed in every page's header and footer, e.g.
# "DEPARTEMENTAAL VERTROUWELIJK" (empty: no marking).
DOCUMENT_MARKING = env("DOCUMENT_MARKING", "") or ""

NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 500

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "missionsafety.core.middleware.RequestIdFilter"}},
    "formatters": {
        "plain": {
            "format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s %(message)s"
        }
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "plain",
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}

# Benchmark runs only (missionsafety bench): time every request in a
# Server-Timing header, outermost so that every middleware is included.
if envbool("MISSIONSAFETY_SERVER_TIMING", False):
    MIDDLEWARE.insert(0, "missionsafety.perf.middleware.ServerTimingMiddleware")
