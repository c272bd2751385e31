"""Transitional (issue 19), delete at integration: ``referrals/apps.py`` still connects a
receiver to this signal until the referrals app declares its ``CONSENT_HOOKS`` instead.

Nothing sends it: consent withdrawal calls the declared hooks
(:func:`lentera.web.cases.services.consent_withdraw`, ADR 0022).
"""

from django.dispatch import Signal

consent_withdrawn = Signal()
