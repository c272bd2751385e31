"""The programmes vocabulary (analytics codes of contacts, outreach, reintegration) holds the
same codes, in the same order, as the web apps' TextChoices."""

from __future__ import annotations

import pytest

from lentera import vocabulary
from lentera.web.contacts import choices as contacts
from lentera.web.outreach import choices as outreach
from lentera.web.reintegration import choices as reintegration


@pytest.mark.parametrize(
    ("name", "values"),
    [
        ("contact_channel", contacts.Channel.values),
        ("contact_reporter", contacts.Reporter.values),
        ("contact_concern", contacts.Concern.values),
        ("contact_risk", contacts.Risk.values),
        ("contact_urgency", contacts.Urgency.values),
        ("contact_status", contacts.Status.values),
        ("contact_outcome", contacts.Outcome.values),
        ("outreach_kind", outreach.ActivityKind.values),
        ("outreach_topic", outreach.Topic.values),
        ("attendee_age_band", [band for band, _label in outreach.AGE_BANDS]),
        ("support_type", reintegration.ActionKind.values),
        ("followup_outcome", reintegration.Outcome.values),
        ("departure_kind", reintegration.DepartureKind.values),
        ("departure_channel", reintegration.Channel.values),
    ],
)
def test_programme_vocabularies_match_the_web_choices(name, values):
    assert vocabulary.vocabulary(name).codes == tuple(values)
