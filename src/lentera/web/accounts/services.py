"""Organisations and users."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lentera.errors import LenteraError
from lentera.web.accounts.models import Membership, Organisation, Role, User
from lentera.web.audit.models import AuditAction
from lentera.web.audit.services import audit_log


@transaction.atomic
def organisation_create(*, actor: Any | None, name: str, code: str, org_type: str, province_code: str = "") -> Organisation:
    org = Organisation(name=name, code=code.upper(), org_type=org_type, province_code=province_code)
    try:
        org.full_clean()
    except ValidationError as exc:
        field, errors = next(iter(exc.message_dict.items()))
        raise LenteraError("invalid_organisation", f"{field}: {'; '.join(errors)}", field=field) from exc
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
        raise LenteraError("invalid_role", _("Unknown role: %(role)s") % {"role": role}, field="role")
    if User.objects.filter(username=username).exists():
        raise LenteraError("user_exists", _("A user with this name already exists."), field="username", kind="conflict")
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
    audit_log(actor=actor, action=AuditAction.CREATE, obj=user, organisation=organisation, detail={"role": role})
    return user


def api_token_issue(*, actor: Any | None, user: User, name: str = "api") -> str:
    """Create an API token for a user and return it (shown once; only its hash is kept)."""
    import hashlib
    import secrets

    from lentera.web.accounts.models import ApiToken

    raw = "lnt_" + secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, name=name, key_hash=hashlib.sha256(raw.encode()).hexdigest())
    audit_log(actor=actor, action=AuditAction.CREATE, object_type="accounts.apitoken", object_id=user.pk, detail={"name": name})
    return raw
