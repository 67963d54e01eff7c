"""Django settings for the jixiao web system.

Environment:
- ``DATABASE_URL`` — ``postgres://user:pass@host:port/name`` for PostgreSQL; unset → SQLite
  at ``$JIXIAO_DATA_DIR/jixiao.sqlite3`` (default ``./var``), in WAL mode;
  ``sqlite:////abs/path.sqlite3`` for SQLite at another place.
- ``JIXIAO_MEDIA_ROOT`` — where files are stored (task results, uploads waiting for their
  import); default ``$JIXIAO_DATA_DIR/media``. Workers on other machines need the same
  storage (a shared folder, or object storage configured in ``STORAGES``).
- ``JIXIAO_SECRET_KEY`` — the secret key; unset → one generated and kept in the data dir.
- ``JIXIAO_DEBUG=1`` — Django's debug mode (never in production).
- ``JIXIAO_POLICY`` — the scoring/audit policy: ``auto`` (the default: each form by its
  layout and region, as ``jixiao score``) or one policy's name or file for every form.
- ``JIXIAO_S3_BUCKET`` — keep 佐证材料 in this bucket of S3-compatible object storage
  (needs the ``s3`` extra: django-storages with boto3) instead of ``$JIXIAO_DATA_DIR/media``;
  with ``JIXIAO_S3_ENDPOINT_URL``, ``JIXIAO_S3_REGION``, ``JIXIAO_S3_ACCESS_KEY_ID``,
  ``JIXIAO_S3_SECRET_ACCESS_KEY`` (unset: boto3's own AWS_* variables) and ``JIXIAO_S3_PREFIX``.
- ``JIXIAO_SMTP_HOST`` (and ``_PORT``, ``_USER``, ``_PASSWORD``, ``_FROM``, ``_TLS``, ``_SSL``) —
  notifications also by e-mail (see ``email_from_env``); unset → no e-mail.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import unquote, urlparse

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("JIXIAO_DATA_DIR", "var")).resolve()


def _secret_key() -> str:
    key = os.environ.get("JIXIAO_SECRET_KEY")
    if key:
        return key
    path = DATA_DIR / "secret_key"
    try:
        return path.read_text(encoding="utf-8").strip()
    except OSError:
        pass
    key = secrets.token_urlsafe(50)
    try:
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(key, encoding="utf-8")
        path.chmod(0o600)
    except OSError:
        pass  # read-only place: a key for this process only (sessions end with it)
    return key


def file_storage(env: Mapping[str, str]) -> dict[str, object]:
    """Django's STORAGES["default"] entry (where 佐证材料 are kept): local disk under
    MEDIA_ROOT, or S3-compatible object storage when ``JIXIAO_S3_BUCKET`` is set."""
    bucket = env.get("JIXIAO_S3_BUCKET", "").strip()
    if not bucket:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    options: dict[str, object] = {
        "bucket_name": bucket,
        "location": env.get("JIXIAO_S3_PREFIX", "").strip("/"),
        "default_acl": None,  # the bucket's own (private) policy; files go out through the app
        "file_overwrite": False,
        "querystring_auth": True,
    }
    for option, variable in (
        ("endpoint_url", "JIXIAO_S3_ENDPOINT_URL"),
        ("region_name", "JIXIAO_S3_REGION"),
        ("access_key", "JIXIAO_S3_ACCESS_KEY_ID"),
        ("secret_key", "JIXIAO_S3_SECRET_ACCESS_KEY"),
    ):
        if env.get(variable):
            options[option] = env[variable]
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


def database_from_url(url: str | None) -> dict[str, object]:
    """Django's DATABASES entry for ``DATABASE_URL`` (postgres://…), or SQLite when unset."""
    parts = urlparse(url or "")
    if not url or parts.scheme == "sqlite":
        path = Path("/" + unquote(parts.path).lstrip("/")) if url else DATA_DIR / "jixiao.sqlite3"
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": path,
            "OPTIONS": {
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA cache_size=-65536; PRAGMA mmap_size=268435456;"
                ),
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
            # Each server thread keeps its connection (its page cache, no set-up per request).
            "CONN_MAX_AGE": 600,
            "CONN_HEALTH_CHECKS": True,
        }
    if parts.scheme not in ("postgres", "postgresql", "pgsql"):
        raise ValueError(f"DATABASE_URL: unsupported scheme {parts.scheme!r}")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parts.path.lstrip("/")),
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(parts.port or ""),
        "CONN_MAX_AGE": 600,
        "CONN_HEALTH_CHECKS": True,
    }


SECRET_KEY = _secret_key()
DEBUG = os.environ.get("JIXIAO_DEBUG") == "1"
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("JIXIAO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("JIXIAO_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "jixiao.web.adminsite.SuperuserAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "jixiao.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "jixiao.web.posted.middleware",  # a form's POST body read at C speed (web/posted.py)
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "jixiao.web.policy_header.CSPMiddleware",  # django-csp's, its text built once
]

ROOT_URLCONF = "jixiao.web.urls"
WSGI_APPLICATION = "jixiao.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "jixiao.web.access.context",
            ],
        },
    },
    {  # the layout and the most used pages (web/jinja.py)
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {"environment": "jixiao.web.jinja.environment"},
    },
]

DATABASES = {"default": database_from_url(os.environ.get("DATABASE_URL"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# ModelBackend, with the user's Profile and unit loaded in the same query (web/auth.py).
AUTHENTICATION_BACKENDS = ["jixiao.web.auth.ProfileBackend"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
with contextlib.suppress(OSError):  # WhiteNoise serves from here after collectstatic
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = True  # serve from the package when collectstatic has not run
# The default storage's files (佐证材料, task results), never served as static files.
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": file_storage(os.environ),
    # hashed names with a long cache after collectstatic (web/static_storage.py)
    "staticfiles": {"BACKEND": "jixiao.web.static_storage.StaticStorage"},
}

MEDIA_ROOT = Path(os.environ.get("JIXIAO_MEDIA_ROOT", DATA_DIR / "media")).resolve()

# Background tasks (web/jobs.py): a queue in the database, run by `jixiao worker`
# (`jixiao web` starts one); on PostgreSQL, workers on other machines share the queue.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A running job whose worker has not reported for this long is taken as interrupted.
JIXIAO_JOB_STALE_SECONDS = int(os.environ.get("JIXIAO_JOB_STALE_SECONDS", "120"))
# Each imported file is read in a child process with these limits (jixiao.isolation).
JIXIAO_IMPORT_MEMORY_MB = int(os.environ.get("JIXIAO_IMPORT_MEMORY_MB", "1024"))
JIXIAO_IMPORT_SECONDS = float(os.environ.get("JIXIAO_IMPORT_SECONDS", "60"))
# A scan (image-only PDF, PNG, JPEG, TIFF) is read by OCR: more memory (ONNX Runtime's
# arenas) and this much more time for each page it may hold.
JIXIAO_SCAN_MEMORY_MB = int(os.environ.get("JIXIAO_SCAN_MEMORY_MB", "3072"))
JIXIAO_SCAN_SECONDS_PER_PAGE = float(os.environ.get("JIXIAO_SCAN_SECONDS_PER_PAGE", "120"))

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "form-list"
LOGOUT_REDIRECT_URL = "login"

# Sessions end after 8 working hours or when the browser closes. Kept in the database
# (web/sessions.py: Django's store, its read written once).
SESSION_ENGINE = "jixiao.web.sessions"
SESSION_COOKIE_AGE = 8 * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "jixiao.web.errors.csrf_failure"
# Content-Security-Policy (django-csp): scripts only from our own static files, never inline
# or eval'd; nothing from another origin. Inline style attributes stay allowed (the official
# form's template carries its own <style>).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Behind HTTPS (JIXIAO_HTTPS=1): cookies only over HTTPS, HSTS for a year, http → https.
if os.environ.get("JIXIAO_HTTPS") == "1":
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 365 * 24 * 3600
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = os.environ.get("JIXIAO_SSL_REDIRECT", "1") == "1"

# Login throttling (web/auth.py): this many failures of one user name from one address lock
# that name for a while; so does LOGIN_FAILURE_LIMIT_ANY_ADDRESS from any address. An
# address's own failures lock others' log-ins only when LOGIN_ADDRESS_LIMIT is set.
LOGIN_FAILURE_LIMIT = 5
LOGIN_FAILURE_LIMIT_ANY_ADDRESS = 20
LOGIN_ADDRESS_LIMIT = int(os.environ.get("JIXIAO_LOGIN_ADDRESS_LIMIT", "0")) or None
LOGIN_LOCK_SECONDS = 15 * 60
# (Failures are kept in the database, so every server worker sees them.)

# Uploads: each file at most this many bytes; at most this many files per upload.
UPLOAD_MAX_BYTES = 10 * 1024 * 1024
UPLOAD_MAX_FILES = 50
UPLOAD_SUFFIXES = (".txt", ".pdf", ".xlsx", ".xls", ".docx", ".doc", ".wps", ".json")
UPLOAD_SUFFIXES += (".png", ".jpg", ".jpeg", ".tif", ".tiff")  # scans, read by OCR
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20000
DATA_UPLOAD_MAX_NUMBER_FILES = UPLOAD_MAX_FILES
# 佐证材料: each file at most this many bytes; at most this many files on one form.
EVIDENCE_MAX_BYTES = 20 * 1024 * 1024
EVIDENCE_MAX_FILES = 200

# "auto": each form by its layout and region (jixiao.layouts.choose, as `jixiao score`);
# a policy's name or file forces that one on every form.
JIXIAO_POLICY = os.environ.get("JIXIAO_POLICY", "auto")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}


def email_from_env(env: dict[str, str] | os._Environ[str]) -> dict[str, object]:
    """E-mail settings from ``JIXIAO_SMTP_*``: with ``JIXIAO_SMTP_HOST`` notifications also go
    out by e-mail through Django's SMTP backend; without it nothing is sent (and nothing fails).
    ``JIXIAO_SMTP_PORT`` (25), ``_USER``, ``_PASSWORD``, ``_FROM``, ``_TLS=1`` (STARTTLS),
    ``_SSL=1`` (implicit TLS); ``JIXIAO_SITE_URL`` puts full links in the e-mails."""
    host = env.get("JIXIAO_SMTP_HOST", "").strip()
    out: dict[str, object] = {
        "JIXIAO_EMAIL_ENABLED": bool(host),
        "JIXIAO_SITE_URL": env.get("JIXIAO_SITE_URL", "").strip(),
    }
    if host:
        out.update(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST=host,
            EMAIL_PORT=int(env.get("JIXIAO_SMTP_PORT", "25") or 25),
            EMAIL_HOST_USER=env.get("JIXIAO_SMTP_USER", ""),
            EMAIL_HOST_PASSWORD=env.get("JIXIAO_SMTP_PASSWORD", ""),
            EMAIL_USE_TLS=env.get("JIXIAO_SMTP_TLS") == "1",
            EMAIL_USE_SSL=env.get("JIXIAO_SMTP_SSL") == "1",
            EMAIL_TIMEOUT=20,
            DEFAULT_FROM_EMAIL=env.get("JIXIAO_SMTP_FROM", "") or "jixiao@localhost",
        )
    return out


globals().update(email_from_env(os.environ))
