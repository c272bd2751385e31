"""Writes of the service directory: one provider at a time (the import is
:mod:`lentera.web.referrals.directory`), validated, with its search indexes."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lentera import reference
from lentera.errors import LenteraError
from lentera.web.accounts.models import User
from lentera.web.accounts.selectors import receives_referrals_from
from lentera.web.audit.services import save_new_or_edited
from lentera.web.core.access import require_case_role, require_own_organisation
from lentera.web.core.services import new_or_checked, set_given
from lentera.web.referrals import choices
from lentera.web.referrals.models import ServiceProvider

#: how to reach a provider: model fields and directory-file columns alike
PROVIDER_CONTACT_FIELDS = (
    "address",
    "phone",
    "email",
    "website",
    "contact_person",
    "languages",
    "opening_hours",
    "notes",
)
PROVIDER_FIELDS = (
    "name",
    "institution_type",
    "services",
    "nationwide",
    "province_codes",
    "regency_codes",
    *PROVIDER_CONTACT_FIELDS,
    "is_active",
    "linked_organisation",
)


def provider_errors(provider: ServiceProvider) -> dict[str, list[str]]:
    """Every problem of a provider record, per field (used by the form, the API and the import)."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    try:
        provider.full_clean(exclude=["organisation", "linked_organisation"], validate_unique=False)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            for m in messages:
                add(field, m)
    checks = (
        ("services", provider.services, choices.ServiceType.values),
        ("languages", provider.languages, choices.Language.values),
        ("province_codes", provider.province_codes, reference.provinces().keys()),
        ("regency_codes", provider.regency_codes, reference.regencies().keys()),
    )
    for field, values, allowed in checks:
        if not isinstance(values, list):
            add(field, _("Expected a list."))
            continue
        unknown = sorted({str(v) for v in values} - set(allowed))
        if unknown:
            add(field, _("Unknown value(s): %(values)s.") % {"values": ", ".join(unknown)})
    if isinstance(provider.services, list) and not provider.services:
        add("services", _("Name at least one service."))
    if not provider.nationwide and not provider.province_codes and not provider.regency_codes:
        add("province_codes", _("Name the provinces or regencies covered, or tick nationwide."))
    if _links_to_a_closed_inbox(provider):
        add(
            "linked_organisation",
            _("This organisation does not receive referrals from other organisations."),
        )
    return errors


def _links_to_a_closed_inbox(provider: ServiceProvider) -> bool:
    """A new link (or a changed one) to an organisation whose referral inbox is closed to
    others (review finding 15: any organisation could push referrals into any inbox)."""
    target = provider.linked_organisation_id
    if target is None or provider.organisation_id is None:
        return False
    if provider.pk is not None:
        before = (
            ServiceProvider.objects.filter(pk=provider.pk)
            .values_list("linked_organisation_id", flat=True)
            .first()
        )
        if before == target:
            return False  # an existing link stays; referrals to a closed inbox are refused
    return not receives_referrals_from(organisation_id=target, sender_id=provider.organisation_id)


def provider_indexes(provider: ServiceProvider) -> None:
    """Set the ``|service|`` and ``|P<province>|R<regency>|`` indexes the directory search
    filters on (call before every save of a provider: the form, the API and the import)."""
    provider.service_index = "|" + "|".join(sorted(provider.services)) + "|"
    regions = [f"P{c}" for c in sorted(provider.province_codes)]
    regions += [f"R{c}" for c in sorted(provider.regency_codes)]
    provider.region_index = "|" + "|".join(regions) + "|" if regions else ""


def _check_provider(provider: ServiceProvider) -> None:
    errors = provider_errors(provider)
    if errors:
        field, messages = next(iter(errors.items()))
        raise LenteraError(
            "invalid_field",
            f"{field}: {'; '.join(messages)}",
            field=field,
            params={"errors": errors},
        )
    clash = ServiceProvider.objects.filter(
        organisation_id=provider.organisation_id, name=provider.name
    ).exclude(pk=provider.pk)
    if clash.exists():
        raise LenteraError(
            "duplicate_name",
            _("Your directory already has a provider named %(name)s.") % {"name": provider.name},
            field="name",
            params={"errors": {"name": [_("This name is already in your directory.")]}},
        )


@transaction.atomic
def provider_save(
    *, actor: User, data: dict[str, Any], provider: ServiceProvider | None = None
) -> ServiceProvider:
    """Create or update a directory entry of the actor's organisation."""
    membership = require_case_role(actor)
    if provider is not None:
        require_own_organisation(actor, provider.organisation_id)
    provider = new_or_checked(
        provider,
        lambda: ServiceProvider(organisation_id=membership.organisation_id),
        data.get("version"),
    )
    set_given(provider, data, PROVIDER_FIELDS)
    provider.name = (provider.name or "").strip()
    _check_provider(provider)
    provider_indexes(provider)
    return save_new_or_edited(actor=actor, obj=provider, detail={"directory": True})
