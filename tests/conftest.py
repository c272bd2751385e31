"""Suite-wide setup: compile the translation catalogues once, before any test imports Django
views (the only place they are compiled for the tests), and the hypothesis profiles.

Hypothesis: ``dev`` (default) and ``ci`` (``HYPOTHESIS_PROFILE=ci``, derandomised so a CI run
is reproducible) both drop the per-example deadline and the too-slow health check (examples
run through Django and the database); a test's own ``@settings`` sets only what differs
(usually ``max_examples``).
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

_COMMON = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow]}
settings.register_profile("dev", **_COMMON)
settings.register_profile("ci", **_COMMON, derandomize=True, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


def pytest_configure(config: object) -> None:
    try:
        from lentera.web.core.i18n import compile_messages
    except ImportError:  # pragma: no cover - engine-only environments
        return
    compile_messages()
