"""Idempotent form submissions: every POST form carries a one-time token.

A browser re-sending a POST on a flaky connection (or a second tap that got through) must not
create a second case, survivor, referral, release request or import. Every ``<form
method="post">`` of a page served to a signed-in user gets a hidden ``_once`` token (added to
the HTML here, so a new form is covered without anyone remembering it). The first submission
with a token is processed; if it succeeded (a redirect), a replay of the same token is sent to
the same place instead of being processed again. A rejected submission frees its token.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
import time
from collections.abc import Callable

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from lentera.web.core.models import SubmissionOnce

FIELD = "_once"
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
_FORM = re.compile(rb"(<form\b[^>]*\bmethod=[\"']?post[\"']?[^>]*>)", re.IGNORECASE)
KEEP = dt.timedelta(days=2)
WAIT_SECONDS = 5.0


def _with_tokens(content: bytes) -> bytes:
    def add(match: re.Match[bytes]) -> bytes:
        token = secrets.token_urlsafe(18).encode()
        return (
            match.group(1)
            + b'<input type="hidden" name="'
            + FIELD.encode()
            + b'" value="'
            + token
            + b'">'
        )

    return _FORM.sub(add, content)


class SubmissionOnceMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        token = request.POST.get(FIELD, "") if request.method == "POST" else ""
        row = None
        if token and _TOKEN.match(token):
            try:
                with transaction.atomic():
                    row = SubmissionOnce.objects.create(user=user, token=token)
            except IntegrityError:
                return self._replay(request, user, token)
        response = self.get_response(request)
        if row is not None:
            if response.status_code in (301, 302, 303) and response.get("Location"):
                SubmissionOnce.objects.filter(pk=row.pk).update(location=response["Location"][:500])
            else:
                SubmissionOnce.objects.filter(pk=row.pk).delete()
            if secrets.randbelow(50) == 0:
                SubmissionOnce.objects.filter(created_at__lt=timezone.now() - KEEP).delete()
        content_type = response.get("Content-Type", "")
        if (
            not response.streaming
            and content_type.startswith("text/html")
            and b"<form" in response.content
        ):
            response.content = _with_tokens(response.content)
            if response.has_header("Content-Length"):
                response["Content-Length"] = str(len(response.content))
        return response

    def _replay(self, request: HttpRequest, user: object, token: str) -> HttpResponse:
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            row = SubmissionOnce.objects.filter(user=user, token=token).first()
            if row is None:  # the first one was rejected meanwhile: this one may go through
                return self.__call__(request)
            if row.location:
                messages.info(
                    request, _("This form had already been sent; nothing was saved twice.")
                )
                return HttpResponseRedirect(row.location)
            if time.monotonic() > deadline:
                break
            time.sleep(0.2)
        return render(
            request,
            "core/error.html",
            {
                "status": 409,
                "message": _(
                    "This form is still being saved. Wait a moment, then open the page again: it will not be saved twice."
                ),
            },
            status=409,
        )
