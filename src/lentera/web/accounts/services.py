"""Organisations and users."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lentera.errors import LenteraError
from lentera.web.accounts.devices import has_confirmed_device
from lentera.web.accounts.models import ApiToken, Membership, Organisation, Role, User
from lentera.web.accounts.twofactor import second_factor_reset
from lentera.web.audit.models import AuditAction
from lentera.web.audit.services import audit_log, save_created
from lentera.web.core.access import membership_for, require_org_admin
from lentera.web.core.selectors import first_or_not_found


@transaction.atomic
def organisation_create(
    *, actor: User | None, name: str, code: str, org_type: str, province_code: str = ""
) -> Organisation:
    org = Organisation(name=name, code=code.upper(), org_type=org_type, province_code=province_code)
    try:
        org.full_clean()
    except ValidationError as exc:
        field, errors = next(iter(exc.message_dict.items()))
        raise LenteraError(
            "invalid_organisation", f"{field}: {'; '.join(errors)}", field=field
        ) from exc
    return save_created(actor=actor, obj=org, organisation=org)


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    username: str,
    password: str,
    organisation: Organisation,
    role: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    check_password: bool = True,
) -> User:
    """A new user with one membership; by an organisation admin of ``organisation`` (who sets
    a temporary password the user changes at first login), or by the command line
    (``actor=None``)."""
    if actor is not None:
        admin = require_org_admin(actor)
        if admin.organisation_id != organisation.pk:
            raise LenteraError(
                "admin_required", _("Only an organisation admin may do this."), kind="forbidden"
            )
    if role not in Role.values:
        raise LenteraError(
            "invalid_role", _("Unknown role: %(role)s") % {"role": role}, field="role"
        )
    if User.objects.filter(username=username).exists():
        raise LenteraError(
            "user_exists",
            _("A user with this name already exists."),
            field="username",
            kind="conflict",
        )
    user = User(username=username, first_name=first_name, last_name=last_name, email=email)
    if check_password:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise LenteraError("weak_password", " ".join(exc.messages), field="password") from exc
    user.set_password(password)
    # a password someone else chose (an admin's) is changed by the user at first login
    user.must_change_password = actor is not None
    user.full_clean(exclude=["password"])
    save_created(actor=actor, obj=user, organisation=organisation, detail={"role": role})
    Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


#: days an API token lives unless the issuer chooses fewer (at most this many)
API_TOKEN_MAX_DAYS = 365
API_TOKEN_DEFAULT_DAYS = 90


def needs_second_factor(user: User) -> bool:
    """True if the user's role requires 2FA, or the user has set up a device."""
    membership = user.membership_or_none
    return bool(
        (membership is not None and membership.role in settings.LENTERA_2FA_REQUIRED_ROLES)
        or has_confirmed_device(user)
    )


def api_token_issue(
    *,
    actor: User | None,
    user: User,
    name: str = "api",
    days: int = API_TOKEN_DEFAULT_DAYS,
    read_only: bool = False,
    verified_session: bool = False,
) -> str:
    """Create an API token for a user and return it (shown once; only its SHA-256 is kept).

    Every token expires (at most :data:`API_TOKEN_MAX_DAYS`). A user who must use a second
    factor gets a token only from a session verified with it (``verified_session``): a
    token must not be a way around 2FA.
    """
    if not 1 <= int(days) <= API_TOKEN_MAX_DAYS:
        raise LenteraError(
            "bad_days",
            _("A token lives 1 to %(n)s days.") % {"n": API_TOKEN_MAX_DAYS},
            field="days",
        )
    if needs_second_factor(user) and not verified_session:
        raise LenteraError(
            "token_needs_2fa",
            _(
                "This account uses two-factor authentication: create its API tokens on the "
                "API tokens page after verifying your code."
            ),
            kind="forbidden",
        )
    raw = "lnt_" + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        name=(name or "api")[:100],
        key_hash=hashlib.sha256(raw.encode()).hexdigest(),
        expires_at=timezone.now() + dt.timedelta(days=int(days)),
        read_only=read_only,
    )
    detail = {"user": user.pk, "days": int(days), "read_only": read_only}
    save_created(actor=actor, obj=token, detail=detail)
    return raw


def api_token_revoke(*, actor: User | None, token: ApiToken) -> None:
    """Revoke one token (its owner, an admin of the owner's organisation, or the command line)."""
    if actor is not None and token.user_id != actor.pk:
        admin = membership_for(actor)
        owner = token.user.membership_or_none
        if (
            admin.role != Role.ORG_ADMIN
            or owner is None
            or (owner.organisation_id != admin.organisation_id)
        ):
            raise LenteraError("not_found", _("Token not found."), kind="not_found")
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    audit_log(actor=actor, action=AuditAction.DELETE, obj=token, detail={"user": token.user_id})


@transaction.atomic
def user_update(
    *,
    actor: User,
    user: User,
    role: str | None = None,
    is_active: bool | None = None,
    reset_2fa: bool = False,
    new_password: str = "",
) -> User:
    """An org admin changes a member's role, deactivates/reactivates them, resets their 2FA,
    or sets a temporary password (the member must change it at next login)."""
    admin = require_org_admin(actor)
    target = first_or_not_found(
        Membership.objects.select_related("user").filter(
            user=user, organisation_id=admin.organisation_id
        ),
        _("User not found."),
    )
    changed = []
    if role is not None and role != target.role:
        if role not in Role.values:
            raise LenteraError(
                "invalid_role", _("Unknown role: %(role)s") % {"role": role}, field="role"
            )
        if target.user_id == actor.pk:
            raise LenteraError("self_demotion", _("You cannot change your own role."), field="role")
        target.role = role
        target.save(update_fields=["role"])
        changed.append("role")
    if is_active is not None and is_active != target.user.is_active:
        if target.user_id == actor.pk:
            raise LenteraError(
                "self_deactivation", _("You cannot deactivate your own account."), field="is_active"
            )
        target.user.is_active = is_active
        target.user.save(update_fields=["is_active"])
        changed.append("is_active")
        if not is_active:
            ApiToken.objects.filter(user=target.user, revoked_at__isnull=True).update(
                revoked_at=timezone.now()
            )
            end_sessions(target.user)  # reactivating later does not revive them
    if new_password:
        if target.user_id == actor.pk:
            raise LenteraError(
                "own_password", _("Change your own password on the password page."),
                field="new_password",
            )  # fmt: skip
        try:
            validate_password(new_password, target.user)
        except ValidationError as exc:
            raise LenteraError(
                "weak_password", " ".join(exc.messages), field="new_password"
            ) from exc
        target.user.set_password(new_password)
        target.user.must_change_password = True
        target.user.save(update_fields=["password", "must_change_password"])
        end_sessions(target.user)
        changed.append("password")
    if reset_2fa:
        second_factor_reset(actor=actor, user=target.user)
        changed.append("2fa")
    if changed:
        audit_log(
            actor=actor, action=AuditAction.UPDATE, obj=target.user, detail={"fields": changed}
        )
    return target.user


def end_sessions(user: User) -> int:
    """Delete every session of ``user`` (deactivation, password reset by an admin)."""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()
            ended += 1
    return ended


@transaction.atomic
def password_changed(*, actor: User) -> None:
    """The actor changed their own password (Django's form saved it): a password an admin
    chose no longer has to be changed, and the change is audited."""
    User.objects.filter(pk=actor.pk).update(must_change_password=False)
    audit_log(actor=actor, action=AuditAction.UPDATE, obj=actor, detail={"password": "changed"})


def _organisation_setting(actor: User, field: str, value: bool) -> Organisation:
    """An organisation admin sets one setting of their organisation; audited with its value."""
    org = require_org_admin(actor).organisation
    setattr(org, field, value)
    org.save(update_fields=[field])
    audit_log(actor=actor, action=AuditAction.UPDATE, obj=org, detail={field: getattr(org, field)})
    return org


@transaction.atomic
def organisation_assigned_only_set(*, actor: User, assigned_only: bool) -> Organisation:
    """An organisation admin restricts caseworkers to their assigned cases (or lifts it)."""
    return _organisation_setting(actor, "caseworkers_assigned_only", assigned_only)


def api_token_authenticate(*, token: str) -> ApiToken | None:
    """The usable API token whose hash matches ``token`` (active user, not revoked, not
    expired), with its use recorded in ``last_used_at``; ``None`` for anything else."""
    digest = hashlib.sha256(token.encode()).hexdigest()
    row = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=digest, revoked_at__isnull=True)
        .first()
    )
    if row is None or not row.user.is_active or not row.is_usable:
        return None
    ApiToken.objects.filter(pk=row.pk).update(last_used_at=timezone.now())
    return row


@transaction.atomic
def organisation_referral_inbox_set(*, actor: User, accepts: bool) -> Organisation:
    """An organisation admin opens or closes the organisation's referral inbox to the other
    organisations of the instance (closed: no new directory links to it, no new referrals)."""
    return _organisation_setting(actor, "accepts_referrals", accepts)


def login_failed(*, username: str) -> None:
    """Audit a refused password login. When the name tried is an account's, the row names that
    account and goes into its organisation's log (a supervisor sees someone trying a
    colleague's password); otherwise the name tried is not stored (it may be a mistyped
    password or a survivor's name) and the row belongs to no organisation."""
    tried = User.objects.filter(username=username).first() if username else None
    membership = getattr(tried, "membership_or_none", None) if tried is not None else None
    audit_log(
        actor=None,
        action=AuditAction.LOGIN_FAILED,
        object_type="accounts.user",
        object_id=tried.pk if tried is not None else "",
        organisation=membership.organisation if membership is not None else None,
    )
