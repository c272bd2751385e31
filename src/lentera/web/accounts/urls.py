from django.urls import path

from lentera.web.accounts import views
from lentera.web.core.routes import record_routes

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("2fa/setup/", views.twofactor_setup, name="2fa_setup"),
    path("2fa/verify/", views.twofactor_verify, name="2fa_verify"),
    path("2fa/recover/", views.twofactor_recover, name="2fa_recover"),
    path("2fa/", views.twofactor_manage, name="2fa_manage"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("tokens/", views.token_list, name="tokens"),
    *record_routes(views, "token", "revoke"),
    path("users/", views.user_list, name="users"),
    path("users/new/", views.user_create_view, name="user_create"),
    path("draft/discard/", views.draft_discard, name="draft_discard"),
    path("users/<int:user_id>/", views.user_edit, name="user_edit"),
    path("users/teams/", views.team_list, name="teams"),
    path("users/teams/<int:team_id>/", views.team_edit, name="team_edit"),
]
