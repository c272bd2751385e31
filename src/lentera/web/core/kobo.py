"""KoboToolbox as a source: which servers may be asked, and the fields every fetch asks for.

The intake import (``imports``) and the follow-up survey import (``reintegration``) both fetch
submissions from the KoboToolbox API (:mod:`lentera.intake.kobo`). The API token is typed for
one fetch and never stored; the server must be in ``LENTERA_KOBO_SERVERS`` so the token is not
sent to a server an administrator has not allowed.
"""

from __future__ import annotations

import urllib.parse

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lentera.errors import LenteraError

__all__ = ["KoboSourceForm", "check_kobo_server"]


def check_kobo_server(server_url: str) -> None:
    """Refuse a server not in ``LENTERA_KOBO_SERVERS`` (field ``server_url``)."""
    host = (urllib.parse.urlsplit((server_url or "").strip()).hostname or "").lower()
    if host not in settings.LENTERA_KOBO_SERVERS:
        raise LenteraError(
            "kobo_host",
            _(
                "This KoboToolbox server is not allowed here (%(host)s). An administrator can add it to LENTERA_KOBO_SERVERS."
            )
            % {"host": host or "?"},
            kind="forbidden",
            field="server_url",
        )


class KoboSourceForm(forms.Form):
    """Server, form (asset) id and API token of a KoboToolbox fetch."""

    server_url = forms.URLField(
        label=gettext_lazy("KoboToolbox server"),
        initial="https://kf.kobotoolbox.org",
        max_length=200,
        assume_scheme="https",
    )
    asset_uid = forms.RegexField(
        label=gettext_lazy("Form (asset) ID"),
        regex=r"^[A-Za-z0-9]{4,64}$",
        max_length=64,
        help_text=gettext_lazy("The letters and digits after /forms/ in the form's address."),
    )
    token = forms.CharField(
        label=gettext_lazy("API token"),
        widget=forms.PasswordInput(render_value=False),
        max_length=200,
        help_text=gettext_lazy("Used once for this request and never stored."),
    )
