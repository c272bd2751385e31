"""Production settings: refuse to start without a secret key or with DEBUG on."""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if len(SECRET_KEY) < 32:
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be set (at least 32 characters) in production."
    )
if os.environ.get("LENTERA_DEBUG") == "1" or os.environ.get("DJANGO_DEBUG", "").lower() in {
    "1",
    "true",
}:
    raise ImproperlyConfigured("DEBUG must be off in production.")
DEBUG = False

_hosts = os.environ.get("LENTERA_ALLOWED_HOSTS", "")
if not _hosts:
    raise ImproperlyConfigured(
        "LENTERA_ALLOWED_HOSTS must list the host names Lentera is served under."
    )
ALLOWED_HOSTS = [h.strip() for h in _hosts.split(",") if h.strip()]

# Behind TLS. Set LENTERA_INSECURE_HTTP=1 only for a loopback benchmark or an isolated LAN test.
_insecure = os.environ.get("LENTERA_INSECURE_HTTP") == "1"
SESSION_COOKIE_SECURE = not _insecure
CSRF_COOKIE_SECURE = not _insecure
SECURE_SSL_REDIRECT = not _insecure
SECURE_HSTS_SECONDS = 0 if _insecure else 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = not _insecure
SECURE_HSTS_PRELOAD = not _insecure and os.environ.get("LENTERA_HSTS_PRELOAD", "1") == "1"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = [
    o for o in os.environ.get("LENTERA_CSRF_TRUSTED_ORIGINS", "").split(",") if o
]
