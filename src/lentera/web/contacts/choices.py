"""Closed lists of the contact log (codes stored; labels from the vocabulary registry,
``data/programmes.yaml``)."""

from __future__ import annotations

from lentera.web.core.vocabulary import text_choices

Channel = text_choices("contact_channel")
Reporter = text_choices("contact_reporter")
#: what the contact is about, in one category (counted in analytics; the words stay private)
Concern = text_choices("contact_concern")
Risk = text_choices("contact_risk")
Urgency = text_choices("contact_urgency")
Status = text_choices("contact_status")
Outcome = text_choices("contact_outcome")

#: how the case store calls the channel a contact came through (``cases.IntakeChannel``)
CASE_INTAKE = {
    Channel.PHONE: "hotline",
    Channel.WHATSAPP: "hotline",
    Channel.SOCIAL_MEDIA: "hotline",
    Channel.WALK_IN: "self",
    Channel.REFERRAL_IN: "ngo",
    Channel.OTHER: "other",
}
#: who reached out, when the survivor did not, as the case store's intake channel
REPORTER_INTAKE = {
    Reporter.FAMILY: "family",
    Reporter.COMMUNITY: "family",
    Reporter.OFFICIAL: "government",
}
