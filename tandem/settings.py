"""Tandem's one settings file, configured from environment variables.

Every variable is read through a small helper below that raises
``ImproperlyConfigured`` naming the variable when its value is malformed.
``TANDEM_ENV=development`` (the default) just works on a laptop;
``TANDEM_ENV=production`` turns on every deployment safeguard and insists on
the values a production server must be given (see README "Configuration").
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str:
    """The variable's value, or the default; required when there is no default."""
    value = os.environ.get(name)
    if value is None:
        if default is None:
            raise ImproperlyConfigured(f"Set the environment variable {name}.")
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {value}.")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


TANDEM_ENV = env_str("TANDEM_ENV", "development")
if TANDEM_ENV not in {"development", "production"}:
    raise ImproperlyConfigured(
        f"TANDEM_ENV must be 'development' or 'production', not {TANDEM_ENV!r}."
    )
PRODUCTION = TANDEM_ENV == "production"

DEBUG = env_bool("TANDEM_DEBUG", default=not PRODUCTION)

# Where the SQLite database, uploads, the secret key and run-time files live.
VAR_DIR = Path(env_str("TANDEM_VAR_DIR", str(BASE_DIR / "var"))).resolve()


def _development_secret_key() -> str:
    """A random key kept under var/, so sessions survive a restart of `make run`."""
    path = VAR_DIR / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(50)
        path.write_text(key)
        path.chmod(0o600)
        return key


if PRODUCTION:
    SECRET_KEY = env_str("TANDEM_SECRET_KEY")
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("TANDEM_SECRET_KEY must be at least 50 characters long.")
else:
    SECRET_KEY = os.environ.get("TANDEM_SECRET_KEY") or _development_secret_key()

ALLOWED_HOSTS = env_list(
    "TANDEM_ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]", "testserver"]
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "Set TANDEM_ALLOWED_HOSTS to the host names Tandem answers to, e.g. tandem.example.org."
    )
CSRF_TRUSTED_ORIGINS = env_list("TANDEM_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "tandem.accounts",
    "tandem.schools",
    "tandem.privacy",
    "tandem.library",
    "tandem.cycles",
    "tandem.coaching",
    "tandem.programs",
    "tandem.teamwork",
    "tandem.notes",
    "tandem.observations",
    "tandem.media",
    "tandem.notifications",
    "tandem.threads",
    "tandem.checkins",
    "tandem.api",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_htmx",
    "ninja",  # serves the API docs page's Swagger files from our own host (CSP)
    "django_tasks",
    "django_tasks_db",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "tandem.accounts.middleware.PreferredLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "tandem.accounts.middleware.RequireMFAMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "tandem.urls"
WSGI_APPLICATION = "tandem.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "tandem" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "tandem.schools.context_processors.membership",
                "tandem.notifications.context_processors.unread",
            ],
        },
    },
]

# Databases: SQLite under var/ by default; PostgreSQL through DATABASE_URL.
_database_url = os.environ.get("DATABASE_URL", "")
if _database_url:
    try:
        _database: dict[str, Any] = dict(dj_database_url.parse(_database_url, conn_max_age=60))
    except ValueError as error:
        raise ImproperlyConfigured(f"DATABASE_URL is not a database URL: {error}") from None
else:
    _database = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": VAR_DIR / "tandem.sqlite3",
    }
if _database["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and IMMEDIATE transactions let the web process and the task worker
    # write side by side without "database is locked".
    _database["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DATABASES = {"default": _database}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache"
        if env_bool("TANDEM_SHARED_CACHE", default=PRODUCTION)
        else "django.core.cache.backends.locmem.LocMemCache",
        # The database cache is shared by every web process, so login rate
        # limits hold across them; `manage.py createcachetable` creates it.
        "LOCATION": "tandem_cache",
    }
}

# Accounts
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
ACCOUNT_ADAPTER = "tandem.accounts.adapters.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_PASSWORD_RESET_TOKEN_GENERATOR = (  # a class path, not a secret
    "allauth.account.forms.EmailAwarePasswordResetTokenGenerator"  # noqa: S105
)
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Tandem] "
ACCOUNT_RATE_LIMITS = {
    # Five wrong passwords for one account in five minutes, then a pause.
    "login_failed": "20/m/ip,5/5m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Tandem"

# E-mail: printed to the console in development, SMTP in production.
EMAIL_BACKEND = env_str(
    "TANDEM_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env_str("TANDEM_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("TANDEM_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("TANDEM_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("TANDEM_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("TANDEM_EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env_str("TANDEM_FROM_EMAIL", "Tandem <tandem@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Languages: every page in English and Spanish.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "tandem" / "locale"]
USE_I18N = True
TIME_ZONE = env_str("TANDEM_TIME_ZONE", "America/Los_Angeles")
try:
    ZoneInfo(TIME_ZONE)
except (ZoneInfoNotFoundError, ValueError):
    raise ImproperlyConfigured(
        f"TANDEM_TIME_ZONE must be an IANA time zone such as America/Chicago, not {TIME_ZONE!r}."
    ) from None
USE_TZ = True

# Static files, served by WhiteNoise from the app process.
STATIC_URL = "static/"
# collectstatic writes here in production; in development WhiteNoise finds files in place.
STATIC_ROOT = Path(env_str("TANDEM_STATIC_ROOT", str(VAR_DIR / "static"))) if PRODUCTION else None
WHITENOISE_USE_FINDERS = not PRODUCTION
STATICFILES_DIRS = [BASE_DIR / "tandem" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = VAR_DIR / "media"

# Background work: the Django tasks API with its database backend.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Security headers. Content-Security-Policy names no host but our own.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "media-src": [SELF, "blob:"],
        "connect-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SAMESITE = "Lax"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("TANDEM_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env_int("TANDEM_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    if env_bool("TANDEM_BEHIND_PROXY", default=False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("TANDEM_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# Tandem's own settings.
TANDEM_MFA_REQUIRED_ROLES = ["district_admin"]
TANDEM_API_TOKEN_PREFIX = "tdm_"  # noqa: S105 — a visible prefix, not a secret

# Lesson video (tandem/media, README "Configuration"). Sizes are given in MB.
TANDEM_VIDEO_MAX_BYTES = env_int("TANDEM_VIDEO_MAX_MB", 5 * 1024, minimum=1) * 1024 * 1024
TANDEM_VIDEO_QUOTA_BYTES = env_int("TANDEM_VIDEO_QUOTA_MB", 20 * 1024, minimum=1) * 1024 * 1024
# Resumable uploads are written here until transcoded: a local (or shared) disk, never
# object storage, because tus appends to a file. Every web process and worker must see it.
TANDEM_UPLOAD_DIR = Path(env_str("TANDEM_UPLOAD_DIR", str(VAR_DIR / "uploads"))).resolve()
TANDEM_UPLOAD_EXPIRES_HOURS = env_int("TANDEM_UPLOAD_EXPIRES_HOURS", 24, minimum=1)
# How video bytes reach the browser once the permission check passed: "django" streams
# ranges itself; "x-accel" hands the file to nginx (X-Accel-Redirect to the prefix below);
# "signed-url" redirects to the storage's URL signed for 60 seconds (S3-compatible storage).
TANDEM_VIDEO_SERVE = env_str("TANDEM_VIDEO_SERVE", "django")
if TANDEM_VIDEO_SERVE not in {"django", "x-accel", "signed-url"}:
    raise ImproperlyConfigured(
        f"TANDEM_VIDEO_SERVE must be django, x-accel or signed-url, not {TANDEM_VIDEO_SERVE!r}."
    )
TANDEM_VIDEO_ACCEL_PREFIX = env_str("TANDEM_VIDEO_ACCEL_PREFIX", "/protected-media/")
TANDEM_VIDEO_URL_SECONDS = 60  # DESIGN.md: signed media URLs live at most 60 seconds
TANDEM_FFMPEG_TIMEOUT = env_int("TANDEM_FFMPEG_TIMEOUT", 6 * 3600, minimum=10)
# Impact Cycles: an open cycle with no activity for this many days shows as stalled.
TANDEM_STALLED_DAYS = env_int("TANDEM_STALLED_DAYS", 14, minimum=1)
# Coaching team: a teacher whose coaches together meet her more often than this a week is
# flagged on the alignment report ("cadence overload").
TANDEM_TEAM_MEETINGS_PER_WEEK = env_int("TANDEM_TEAM_MEETINGS_PER_WEEK", 3, minimum=1)
# Student work and other evidence files: the largest upload accepted.
TANDEM_EVIDENCE_MAX_BYTES = env_int("TANDEM_EVIDENCE_MAX_MB", 20, minimum=1) * 1024 * 1024
# Reminders of coaching sessions go out this many hours before they start.
TANDEM_REMINDER_HOURS = env_int("TANDEM_REMINDER_HOURS", 24, minimum=1)
# The address people open Tandem at, for links in e-mails and calendar invitations.
TANDEM_BASE_URL = env_str("TANDEM_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# Lesson video in S3-compatible object storage (django-storages; `pip install tandem[s3]`)
# when a bucket is named; otherwise on the local disk under MEDIA_ROOT.
TANDEM_S3_BUCKET = env_str("TANDEM_S3_BUCKET", "")
if TANDEM_S3_BUCKET:
    _s3: dict[str, Any] = {
        "bucket_name": TANDEM_S3_BUCKET,
        "endpoint_url": env_str("TANDEM_S3_ENDPOINT_URL", "") or None,
        "region_name": env_str("TANDEM_S3_REGION", "") or None,
        "access_key": env_str("TANDEM_S3_ACCESS_KEY_ID", "") or None,
        "secret_key": env_str("TANDEM_S3_SECRET_ACCESS_KEY", "") or None,
        "default_acl": "private",
        "querystring_auth": True,
        "querystring_expire": TANDEM_VIDEO_URL_SECONDS,
        "signature_version": "s3v4",  # X-Amz-Expires: a lifetime, not a date
        "file_overwrite": True,
    }
    STORAGES["video"] = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": _s3}  # type: ignore[dict-item]
