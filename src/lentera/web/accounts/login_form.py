"""The login form with a message that reads well in Indonesian.

Django's own message puts the field name into a sentence that already names it; its Indonesian
catalogue then says "Masukkan nama pengguna nama pengguna dan sandi yang benar".
"""

from __future__ import annotations

from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "The username or the password is wrong. Both are case-sensitive (capital letters "
            "count)."
        ),
    }
