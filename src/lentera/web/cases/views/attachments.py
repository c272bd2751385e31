"""Files attached to a case: upload, download (audited), delete."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lentera.web.cases import selectors, services
from lentera.web.cases.attachment_files import MAX_BYTES
from lentera.web.cases.forms import AttachmentForm
from lentera.web.core.confirm import ask_then, destructive
from lentera.web.core.forms import save_with_message


@login_required
def attachment_add(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.case_get_for_user(actor=request.user, case_id=case_id, audit=False)
    form = AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            form.add_error("file", _("The file is too large."))
        else:
            saved = save_with_message(
                request,
                form,
                lambda: services.attachment_add(
                    actor=request.user,
                    case=case,
                    filename=upload.name,
                    data=upload.read(),
                    description=form.cleaned_data["description"],
                ),
                _("File attached."),
            )
            if saved:
                return redirect("cases:detail", case_id=case.pk)
    return render(
        request,
        "cases/form.html",
        {"form": form, "case": case, "title": _("Attach a file"), "multipart": True},
    )


@login_required
def attachment_download(request: HttpRequest, attachment_id: int) -> HttpResponse:
    attachment, data = selectors.attachment_read(actor=request.user, attachment_id=attachment_id)
    response = HttpResponse(data, content_type=attachment.content_type)
    safe = "".join(ch for ch in attachment.filename if ch.isalnum() or ch in "._- ")[:100] or "file"
    response["Content-Disposition"] = f'attachment; filename="{safe}"'
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@destructive(
    gettext_lazy("Delete this file?"),
    consequence=gettext_lazy("The file is deleted for good."),
    button=gettext_lazy("Yes, delete"),
)
def attachment_delete(request: HttpRequest, attachment_id: int) -> HttpResponse:
    attachment = selectors.attachment_get_for_user(actor=request.user, attachment_id=attachment_id)
    return ask_then(
        request,
        lambda: services.attachment_delete(actor=request.user, attachment=attachment),
        _("File deleted."),
        "cases:detail",
        case_id=attachment.case_id,
    )
