"""The demo data holds contacts (some converted, some open missing persons) and outreach."""

from __future__ import annotations

import pytest

from lentera.web.contacts.models import Contact
from lentera.web.demo import load_demo
from lentera.web.outreach.models import OutreachActivity

pytestmark = pytest.mark.django_db


def test_demo_has_contacts_and_outreach() -> None:
    load_demo(scale=0.05)
    assert Contact.objects.count() == 40
    assert Contact.objects.filter(case__isnull=False, outcome="case_opened").count() >= 5
    assert Contact.objects.filter(missing_person=True, status="open").exists()
    assert OutreachActivity.objects.count() == 25
