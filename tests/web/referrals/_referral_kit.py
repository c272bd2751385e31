"""Helpers of the referral tests: the survivor's identifying data, a provider in the
directory, a survivor's consent, a referral, the text of a DOCX letter."""

from __future__ import annotations

import io
from typing import Any

from docx import Document

from lentera.web.cases.services import consent_record
from lentera.web.referrals import services
from lentera.web.referrals.models import Referral

#: what build_case records about the survivor: none of it may leak beyond consent
NAME, NIK, PHONE = "Sutinah binti Karto", "5301054708990003", "081234567890"


def add_provider(actor: Any, *, linked: Any = None, name: str = "UPTD PPA NTT", **kw: Any) -> Any:
    data = {
        "name": name,
        "institution_type": "uptd_ppa",
        "services": ["shelter", "psychosocial", "legal"],
        "province_codes": ["53"],
        "linked_organisation": linked,
    }
    data.update(kw)
    return services.provider_save(actor=actor, data=data)


def record_consent(actor: Any, link: Any, fields: list[str], granted: bool = True) -> Any:
    return consent_record(
        actor=actor,
        person=link.person,
        case=link.case,
        purpose="referral",
        granted=granted,
        shared_fields=fields,
    )


def send_referral(actor: Any, link: Any, provider: Any, **kw: Any) -> Referral:
    args = {"services": ["legal"], "reason": "Butuh rumah aman segera."}
    args.update(kw)
    return services.referral_send(actor=actor, link=link, provider=provider, **args)


def docx_text(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    for t in doc.tables:
        for row in t.rows:
            parts.extend(c.text for c in row.cells)
    return "\n".join(parts)
