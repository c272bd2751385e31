"""A session that expires mid-form loses nothing: the submission is kept, encrypted, for its user.

While a user is signed in, a signed *owner* cookie names them. When a form is submitted after
the session expired, :class:`FormDraftMiddleware` catches the POST before any view (and before
the CSRF failure page) and keeps the submitted fields in a :class:`FormDraft` row: encrypted
(``EncryptedTextField``), owned by the user the owner cookie names, found by a random id held in
a signed, short-lived *draft* cookie. Nothing is written to any record. The user is sent to the
login page and, once that same user is signed in again in that browser, back to the page the
form was shown on (for a form that posts elsewhere, e.g. the note on a case page, that page, read
from the same-origin ``Referer``, not the address it posts to), which offers the draft back ("Lanjutkan isian yang belum tersimpan?"); restoring refills the form (see
:class:`lentera.web.core.forms.DraftRestoreMixin`), and nothing is saved until they submit.

CSRF, deliberately: the capture runs only when the POST passes Django's CSRF check, or when the
browser itself says the form was submitted from this site (``Sec-Fetch-Site: same-origin`` or a
matching ``Origin``), the case where the token was lost with the session. A cross-site forgery is
neither and goes on to the normal CSRF failure. The capture writes no record, and signed-in
writes are untouched (the middleware acts only for anonymous requests).

A draft is shown to its owner only, deleted when they submit the form or discard it, and
expires after :data:`EXPIRES`; capture, restore and discard are audited without any value.
Anonymisation erases the drafts about the survivor's cases (``accounts/identity.py``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.middleware.csrf import CsrfViewMiddleware
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lentera.web.accounts.models import FormDraft, User
from lentera.web.audit.models import AuditAction
from lentera.web.audit.services import audit_log
from lentera.web.core.forms import restoring

EXPIRES = dt.timedelta(hours=24)
DRAFT_COOKIE = "lentera_draft"
OWNER_COOKIE = "lentera_owner"
_SALT = "lentera.accounts.drafts"
#: the owner cookie is re-signed when older than this (so it outlives any idle session)
_OWNER_REFRESH = 600
#: the URL namespaces whose forms can be refilled (their forms use ``DraftRestoreMixin``)
NAMESPACES = frozenset({"cases", "referrals", "reintegration", "contacts", "outreach"})
#: form fields never kept (the CSRF token, the one-time token, a confirmation)
_SKIP = frozenset({"csrfmiddlewaretoken", "_once", "confirmed", "lentera_draft"})
#: a submission larger than this (characters) is not kept
MAX_CHARS = 200_000
RESTORE_PARAM = "lentera_draft"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _audit(actor: User, action: str, draft: FormDraft, what: str) -> None:
    audit_log(
        actor=actor,
        action=action,
        obj=draft,
        detail={"draft": what, "path": draft.path},
    )


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@transaction.atomic
def draft_capture(
    *,
    actor: User,
    path: str,
    fields: list[tuple[str, str]],
    url_kwargs: dict[str, Any],
    page: str = "",
) -> str:
    """Keep an expired session's submission for ``actor``; returns the id for the draft cookie."""
    FormDraft.objects.filter(expires_at__lt=timezone.now()).delete()
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    draft = FormDraft.objects.create(
        user=actor,
        token_hash=_hash(token),
        path=path,
        page=page if page != path else "",
        case_id=_int(url_kwargs.get("case_id")),
        person_id=_int(url_kwargs.get("person_id")),
        data=json.dumps(fields),
        created_at=now,
        expires_at=now + EXPIRES,
    )
    _audit(actor, AuditAction.CREATE, draft, "kept after the session expired")
    return token


def draft_for(*, actor: User, token: str | None) -> FormDraft | None:
    """The live draft behind ``token`` if it is ``actor``'s."""
    if not token or not actor.is_authenticated:
        return None
    return FormDraft.objects.filter(
        token_hash=_hash(token), user=actor, expires_at__gte=timezone.now()
    ).first()


def draft_fields(draft: FormDraft) -> QueryDict:
    data = QueryDict(mutable=True)
    for name, value in json.loads(draft.data):
        data.appendlist(name, value)
    return data


@transaction.atomic
def draft_restore(*, actor: User, draft: FormDraft) -> QueryDict:
    """The draft's fields, to refill its form (audited; the draft stays until submitted)."""
    _audit(actor, AuditAction.READ, draft, "restored")
    return draft_fields(draft)


@transaction.atomic
def draft_delete(*, actor: User, draft: FormDraft, why: str) -> None:
    _audit(actor, AuditAction.DELETE, draft, why)
    draft.delete()


def _same_origin(request: HttpRequest) -> bool:
    if request.headers.get("Sec-Fetch-Site") == "same-origin":
        return True
    origin = request.headers.get("Origin", "")
    return bool(origin) and origin == f"{request.scheme}://{request.get_host()}"


def form_page(request: HttpRequest) -> str:
    """The page the submitted form was shown on: the ``Referer``'s path when it is this site's
    own page whose forms can be refilled, else the address the form was sent to."""
    referer = urlsplit(str(request.headers.get("Referer", "")))
    same_site = (referer.scheme, referer.netloc) == (request.scheme, request.get_host())
    if not same_site or not referer.path.startswith("/") or referer.path.startswith("//"):
        return request.path
    try:
        match = resolve(referer.path)
    except Resolver404:
        return request.path
    return referer.path if match.namespace in NAMESPACES else request.path


def _owner(request: HttpRequest, max_age: int | dt.timedelta = EXPIRES) -> User | None:
    try:
        pk = request.get_signed_cookie(OWNER_COOKIE, salt=_SALT, max_age=max_age)
    except (KeyError, signing.BadSignature):
        return None
    return User.objects.filter(pk=_int(pk), is_active=True).first()


def _set(response: HttpResponse, name: str, value: str) -> None:
    response.set_signed_cookie(
        name,
        value,
        salt=_SALT,
        max_age=int(EXPIRES.total_seconds()),
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


def draft_token(request: HttpRequest) -> str | None:
    try:
        return request.get_signed_cookie(DRAFT_COOKIE, salt=_SALT, max_age=EXPIRES)
    except (KeyError, signing.BadSignature):
        return None


class FormDraftMiddleware:
    """Keep a form submitted after the session expired; offer it back after the same login."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            if request.method == "POST" and (kept := self._capture(request)):
                return kept
            return self.get_response(request)
        token = draft_token(request)
        draft = draft_for(actor=user, token=token) if token else None
        if draft is not None and request.method == "POST" and request.path == draft.path:
            response = self.get_response(request)  # the user submits the form: the draft is used
            draft_delete(actor=user, draft=draft, why="submitted")
            response.delete_cookie(DRAFT_COOKIE, samesite="Lax")
            return self._owner_cookie(request, response)
        if draft is None or request.method != "GET" or request.path != draft.shown_on:
            return self._owner_cookie(request, self.get_response(request))
        if request.GET.get(RESTORE_PARAM) == "restore":
            messages.info(
                request,
                _("What you typed is back in the form. Nothing is saved until you press Save."),
            )
            with restoring(draft_restore(actor=user, draft=draft)):
                response = self.get_response(request)
            return self._owner_cookie(request, response)
        request.lentera_draft_offer = {  # type: ignore[attr-defined]
            "restore": f"{request.path}?{RESTORE_PARAM}=restore",
            "discard": reverse("accounts:draft_discard"),
            "saved_at": draft.created_at,
        }
        return self._owner_cookie(request, self.get_response(request))

    def _owner_cookie(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            # the signed cookie's value is compared, not looked up: the signed-in user is
            # the one the cookie must name (no query for it on every page)
            try:
                current = request.get_signed_cookie(
                    OWNER_COOKIE, salt=_SALT, max_age=_OWNER_REFRESH
                )
            except (KeyError, signing.BadSignature):
                current = None
            if current != str(user.pk):
                _set(response, OWNER_COOKIE, str(user.pk))
        return response

    def _capture(self, request: HttpRequest) -> HttpResponse | None:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return None
        if (
            match.namespace not in NAMESPACES
            or getattr(match.func, "asks_confirmation", False)
            or request.headers.get("HX-Request")
        ):
            return None
        owner = _owner(request)
        if owner is None:
            return None  # nobody to keep it for: the ordinary login redirect follows
        checked = CsrfViewMiddleware(self.get_response).process_view(request, match.func, (), {})
        if checked is not None and not _same_origin(request):
            return None  # a cross-site submission: the CSRF failure page follows
        fields = [(k, v) for k in request.POST if k not in _SKIP for v in request.POST.getlist(k)]
        if not fields or sum(len(k) + len(v) for k, v in fields) > MAX_CHARS:
            return None
        page = form_page(request)
        token = draft_capture(
            actor=owner, path=request.path, fields=fields, url_kwargs=match.kwargs, page=page
        )
        messages.warning(
            request,
            _(
                "Your session had ended, so nothing was saved yet. What you typed is kept: "
                "sign in again to continue."
            ),
        )
        login = reverse(settings.LOGIN_URL)
        back = request.get_full_path() if page == request.path else page
        response = HttpResponseRedirect(f"{login}?{urlencode({'next': back})}")
        _set(response, DRAFT_COOKIE, token)
        return response
