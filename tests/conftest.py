"""Suite-wide setup: compile the translation catalogues once, before any test imports Django views."""

from __future__ import annotations


def pytest_configure(config: object) -> None:
    try:
        from lentera.web.core.i18n import compile_messages
    except ImportError:  # pragma: no cover - engine-only environments
        return
    compile_messages()
