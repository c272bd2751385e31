"""Organisations and users."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lentera.errors import LenteraError
from lentera.web.accounts.models import Membership, Organisation, Role, User
from lentera.web.audit.models import AuditAction
from lentera.web.audit.services import audit_log


@transaction.atomic
def organisation_create(
    *, actor: Any | None, name: str, code: str, org_type: str, province_code: str = ""
) -> Organisation:
    org = Organisation(name=name, code=code.upper(), org_type=org_type, province_code=province_code)
    try:
        org.full_clean()
    except ValidationError as exc:
        field, errors = next(iter(exc.message_dict.items()))
        raise LenteraError(
            "invalid_organisation", f"{field}: {'; '.join(errors)}", field=field
        ) from exc
    org.save()
    audit_log(actor=actor, action=AuditAction.CREATE, obj=org, organisation=org)
    return org


@transaction.atomic
def user_create(
    *,
    actor: Any | None,
    username: str,
    password: str,
    organisation: Organisation,
    role: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    check_password: bool = True,
) -> User:
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
    user.full_clean(exclude=["password"])
    user.save()
    Membership.objects.create(user=user, organisation=organisation, role=role)
    audit_log(
        actor=actor,
        action=AuditAction.CREATE,
        obj=user,
        organisation=organisation,
        detail={"role": role},
    )
    return user


def api_token_issue(*, actor: Any | None, user: User, name: str = "api") -> str:
    """Create an API token for a user and return it (shown once; only its hash is kept)."""
    import hashlib
    import secrets

    from lentera.web.accounts.models import ApiToken

    raw = "lnt_" + secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, name=name, key_hash=hashlib.sha256(raw.encode()).hexdigest())
    audit_log(
        actor=actor,
        action=AuditAction.CREATE,
        object_type="accounts.apitoken",
        object_id=user.pk,
        detail={"name": name},
    )
    return raw


@transaction.atomic
def user_update(
    *,
    actor: Any,
    user: User,
    role: str | None = None,
    is_active: bool | None = None,
    reset_2fa: bool = False,
) -> User:
    """An org admin changes a member's role, deactivates/reactivates them, or resets their 2FA."""
    from lentera.web.core.access import membership_for

    admin = membership_for(actor)
    if admin.role != Role.ORG_ADMIN:
        raise LenteraError(
            "role_forbidden", _("Only an organisation admin can manage users."), kind="forbidden"
        )
    target = (
        Membership.objects.select_related("user")
        .filter(user=user, organisation_id=admin.organisation_id)
        .first()
    )
    if target is None:
        raise LenteraError("not_found", _("User not found."), kind="not_found")
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
            from lentera.web.accounts.models import ApiToken

            ApiToken.objects.filter(user=target.user, revoked_at__isnull=True).update(
                revoked_at=timezone.now()
            )
    if reset_2fa:
        from lentera.web.accounts.twofactor import second_factor_reset

        second_factor_reset(actor=actor, user=target.user)
        changed.append("2fa")
    if changed:
        audit_log(
            actor=actor, action=AuditAction.UPDATE, obj=target.user, detail={"fields": changed}
        )
    return target.user
