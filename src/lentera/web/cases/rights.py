"""Transitional (issue 19): ``referrals/apps.py`` still connects a receiver to this signal.

The data-rights services are :mod:`lentera.web.cases.services.data_rights`; this module goes
away when the referrals app declares its consent hook instead (see ADR 0022).
"""

from lentera.web.cases.services.data_rights import consent_withdrawn

__all__ = ["consent_withdrawn"]
