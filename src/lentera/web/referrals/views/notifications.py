"""Notification pages: the list (and "mark all read"), opening one."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from lentera.web.referrals import labels, selectors, services


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        services.notification_mark_read(actor=request.user)
        return redirect("referrals:notifications")
    qs = selectors.notifications_for_user(actor=request.user)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    items = [(n, labels.notification_text(n)) for n in page.object_list]
    return render(request, "referrals/notifications.html", {"page": page, "items": items})


@login_required
@require_GET
def notification_open(request: HttpRequest, notification_id: int) -> HttpResponse:
    n = selectors.notification_get_for_user(actor=request.user, notification_id=notification_id)
    if n.read_at is None:
        services.notification_mark_read(actor=request.user, notification=n)
    return redirect(n.url if n.url.startswith("/") and not n.url.startswith("//") else "/")
