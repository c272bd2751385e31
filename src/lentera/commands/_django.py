"""Start Django for verbs that need the case store."""

from __future__ import annotations

import os

DEFAULT_SETTINGS = "lentera.web.config.settings.local"


def setup() -> None:
    """Configure Django once, honouring ``DJANGO_SETTINGS_MODULE`` when set."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS)
    import django

    django.setup()
