"""Account pages: log in and out and change one's password (:mod:`.login`), the second factor
(:mod:`.twofactor`), one's own API tokens (:mod:`.tokens`) and user and team administration
for organisation admins (:mod:`.users`, :mod:`.teams`). ``accounts/urls.py`` names them from here."""

from lentera.web.accounts.views.drafts import draft_discard
from lentera.web.accounts.views.login import LoginView, LogoutView, PasswordChangeView
from lentera.web.accounts.views.teams import team_edit, team_list
from lentera.web.accounts.views.tokens import token_list, token_revoke
from lentera.web.accounts.views.twofactor import (
    twofactor_manage,
    twofactor_recover,
    twofactor_setup,
    twofactor_verify,
)
from lentera.web.accounts.views.users import user_create_view, user_edit, user_list

__all__ = [
    "LoginView",
    "LogoutView",
    "PasswordChangeView",
    "draft_discard",
    "team_edit",
    "team_list",
    "token_list",
    "token_revoke",
    "twofactor_manage",
    "twofactor_recover",
    "twofactor_setup",
    "twofactor_verify",
    "user_create_view",
    "user_edit",
    "user_list",
]
