"""Closed lists of prevention outreach (the activity kinds and topics from the vocabulary
registry, ``data/programmes.yaml``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from lentera.web.core.vocabulary import text_choices

ActivityKind = text_choices("outreach_kind")
Topic = text_choices("outreach_topic")


#: attendance cells: (field, sex, age band) — counts only, never names
SEXES = (("female", _("Women and girls")), ("male", _("Men and boys")))
AGE_BANDS = (
    ("u18", _("under 18")),
    ("18_35", _("18–35")),
    ("36_59", _("36–59")),
    ("60p", _("60 and over")),
)
ATTENDANCE_FIELDS = tuple(f"{sex[0]}_{band[0]}" for sex in SEXES for band in AGE_BANDS)
