"""Settings shared by every environment. Configuration comes from the environment.

- ``LENTERA_DATA_DIR``: database, keys, attachments, warehouse (default ``./var``)
- ``DATABASE_URL``: any dj-database-url URL (default SQLite under the data dir)
- ``LENTERA_KEYS``: the field-encryption key ring as JSON (default: key file in the data dir)
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from lentera.datadir import data_dir

PACKAGE_DIR = Path(__file__).resolve().parents[2]  # src/lentera/web
# Files and directories the project creates (database, keys, attachments, warehouse, releases,
# backups, checkpoints) are readable by the service account only: 0600 / 0700.
os.umask(0o077)
DATA_DIR = data_dir().resolve()

DEBUG = False
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("LENTERA_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",")
    if h.strip()
]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "ninja",
    "lentera.web.core",
    "lentera.web.accounts",
    "lentera.web.audit",
    "lentera.web.cases",
    "lentera.web.assessments",
    "lentera.web.referrals",
    "lentera.web.insights",
    "lentera.web.releases",
    "lentera.web.imports",
    "lentera.web.reintegration",
    "lentera.web.api",
    "django_tasks",
    "django_tasks_db",
    "lentera.web.jobs",
    # contact log, prevention outreach, report builder
    "lentera.web.contacts",
    "lentera.web.outreach",
    "lentera.web.reporting",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "lentera.web.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "lentera.web.core.input.InputSanityMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "lentera.web.core.middleware.SessionIdleMiddleware",
    "lentera.web.accounts.middleware.TwoFactorMiddleware",
    "lentera.web.core.reads.IdentityReadAuditMiddleware",
    "lentera.web.audit.probes.CrossOrganisationProbeMiddleware",
    "lentera.web.core.middleware.SecurityHeadersMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # before any view (and the CSRF check of its view): a form sent after the session expired
    "lentera.web.accounts.drafts.FormDraftMiddleware",
    "lentera.web.core.once.SubmissionOnceMiddleware",
    "lentera.web.core.timezones.OrganisationTimeZoneMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "lentera.web.core.middleware.LenteraErrorMiddleware",
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Login throttling and lockout (django-axes): 5 failures per username+IP lock for 30 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("LENTERA_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_VERBOSE = False
# Typed usernames are stored only as a keyed hash; old records are purged.
AXES_USERNAME_CALLABLE = "lentera.web.accounts.lockout.hashed_username"
# Behind N trusted reverse proxies, lock out per client address from X-Forwarded-For.
LENTERA_TRUSTED_PROXY_COUNT = int(os.environ.get("LENTERA_TRUSTED_PROXY_COUNT", "0") or 0)
AXES_CLIENT_IP_CALLABLE = "lentera.web.accounts.lockout.client_ip"

# Two-factor authentication (TOTP) is required for these roles, optional for the others.
LENTERA_2FA_REQUIRED_ROLES = ("org_admin", "supervisor", "legal")
OTP_TOTP_ISSUER = "Lentera"

ROOT_URLCONF = "lentera.web.config.urls"
#: relabels every select's "---------" empty choice as a translated "— choose —"
FORM_RENDERER = "lentera.web.core.renderer.Renderer"
WSGI_APPLICATION = "lentera.web.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lentera.web.core.context_processors.lentera",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'lentera.sqlite3'}"),
        conn_max_age=int(os.environ.get("LENTERA_DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + a busy timeout keep an embedded SQLite usable by several server threads.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Bahasa Indonesia first; English one click away.
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "lentera_language"
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Jakarta"  # shown as WIB; stored in UTC

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = DATA_DIR / "attachments"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Sessions end after LENTERA_SESSION_IDLE_MINUTES of inactivity (sliding) and at browser close.
SESSION_COOKIE_AGE = int(os.environ.get("LENTERA_SESSION_IDLE_MINUTES", "30")) * 60
SESSION_SAVE_EVERY_REQUEST = (
    False  # SessionIdleMiddleware refreshes the expiry at most once a minute
)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LENTERA_KEYS_ENV = "LENTERA_KEYS"
LENTERA_KEY_FILE = Path(os.environ.get("LENTERA_KEY_FILE", DATA_DIR / "keys.json"))
LENTERA_PAGE_SIZE = 25

# E-mail for reminders (`lentera reminders --email`); in-app notifications need none of it.
EMAIL_BACKEND = os.environ.get(
    "LENTERA_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_HOST = os.environ.get("LENTERA_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("LENTERA_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("LENTERA_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("LENTERA_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("LENTERA_EMAIL_TLS") == "1"
DEFAULT_FROM_EMAIL = os.environ.get("LENTERA_EMAIL_FROM", "lentera@localhost")
#: e-mail counts as configured (security notices are e-mailed at once) when a host or backend is set
LENTERA_EMAIL_ENABLED = bool(
    os.environ.get("LENTERA_EMAIL_HOST") or os.environ.get("LENTERA_EMAIL_BACKEND")
)
#: KoboToolbox servers the import page may fetch from (host names, comma-separated): the
#: server makes the request, so only named hosts are allowed (no requests into the LAN by URL)
LENTERA_KOBO_SERVERS = [
    h.strip().lower()
    for h in os.environ.get("LENTERA_KOBO_SERVERS", "kf.kobotoolbox.org,eu.kobotoolbox.org").split(
        ","
    )
    if h.strip()
]
#: hub mode: this instance also merges release packages of other organisations (national view)
LENTERA_HUB = os.environ.get("LENTERA_HUB") == "1"
#: the organisation (code) that runs the hub: its staff may upload any member's signed package
LENTERA_HUB_OPERATOR = os.environ.get("LENTERA_HUB_OPERATOR", "")
#: the address users reach Lentera under, for links in e-mails (e.g. https://lentera.example.org)
LENTERA_BASE_URL = os.environ.get("LENTERA_BASE_URL", "")

# Background jobs run through Django's Tasks API (ADR 0016): "db" (default: the database
# is the queue, nothing else to install) or "rq" (Redis, for larger installs).
LENTERA_TASKS_BACKEND = os.environ.get("LENTERA_TASKS_BACKEND", "db")
LENTERA_REDIS_URL = os.environ.get("LENTERA_REDIS_URL", "redis://127.0.0.1:6379/0")
if LENTERA_TASKS_BACKEND == "rq":
    INSTALLED_APPS.append("django_rq")
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    RQ_QUEUES = {"default": {"URL": LENTERA_REDIS_URL, "DEFAULT_TIMEOUT": 6 * 3600}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LENTERA_LOG_LEVEL", "WARNING")},
}
