"""Synthetic demo data for ``lentera demo`` — never part of a production request.

It sits above every web app (it fills the case store, then referrals), so no app imports
it and it may import them all. Everything it writes goes through the apps' services.
"""

from lentera.web.demo.case_store import DEMO_PASSWORD, DemoResult, demo_logins, load_demo

__all__ = ["DEMO_PASSWORD", "DemoResult", "demo_logins", "load_demo"]
