"""Referral letters never exceed consent and are Indonesian by default."""

from __future__ import annotations

import itertools
import json
from typing import Any

import pytest
from _referral_kit import NAME, NIK, PHONE, docx_text, record_consent, send_referral
from django.utils import translation

from lentera.web.audit.models import AuditEvent
from lentera.web.referrals import choices
from lentera.web.referrals.letter import letter_blocks, letter_file

pytestmark = pytest.mark.django_db


# --------------------------------------------------------------------------- letter within consent


FIELD_MARKERS = {
    "name": [NAME],
    "nik": [NIK],
    "contact": [PHONE],
    "exploitation": ["Kerja paksa", "Forced labour"],
}


@pytest.mark.parametrize("size", [0, 1, 2, 3, 6])
def test_letter_never_exceeds_consent(setup: dict[str, Any], size: int) -> None:
    worker, link = setup["a"]["caseworker"], setup["link"]
    all_fields = sorted(choices.SharedField.values)
    for shared in itertools.islice(itertools.combinations(all_fields, size), 6):
        record_consent(worker, link, list(shared))
        r = send_referral(worker, link, setup["external"], services=["legal"])
        payload = r.payload_data
        for fmt in ("docx",):
            content, _name, _ctype = letter_file(actor=worker, referral=r, fmt=fmt)
            text = docx_text(content)
            for field_code, markers in FIELD_MARKERS.items():
                present = any(m in text for m in markers)
                assert present == (field_code in shared), (shared, field_code)
        assert ("full_name" in payload) == ("name" in shared)
        assert ("nik" in payload) == ("nik" in shared)
        assert ("phone" in payload) == ("contact" in shared)
        for secret in ("Catatan rahasia", "Pak Calo", "Dijanjikan"):
            assert secret not in json.dumps(payload, ensure_ascii=False)
        pdf, _n, ctype = letter_file(actor=worker, referral=r, fmt="pdf", lang="en")
        assert pdf.startswith(b"%PDF") and ctype == "application/pdf"
    assert AuditEvent.objects.filter(action="export", object_type="referrals.referral").exists()


def test_letter_in_indonesian_by_default(setup: dict[str, Any]) -> None:
    worker, link = setup["a"]["caseworker"], setup["link"]
    record_consent(worker, link, [])
    r = send_referral(worker, link, setup["external"], services=["legal"])

    with translation.override("id"):
        blocks = letter_blocks(r)
    assert blocks[0] == ("h1", "Yayasan Alfa") and blocks[1] == ("h2", "Surat Rujukan")  # kop first
    text = json.dumps(blocks, ensure_ascii=False)
    assert NAME not in text and r.number in text
