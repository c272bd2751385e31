"""Apps that put a panel on the home page register here.

The home page is a core view, and core sits below every app, so it cannot import them. An app
registers a *panel* in its ``AppConfig.ready()``: a function ``(actor) -> HomePanel | None``
(None: nothing to show this user). The home view renders every panel a user gets, in
registration order, each with its own template.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from lentera.web.accounts.models import User

__all__ = ["HomePanel", "PanelFn", "panels_for", "register"]


@dataclass(frozen=True)
class HomePanel:
    template: str
    context: dict[str, Any] = field(default_factory=dict)


PanelFn = Callable[["User"], "HomePanel | None"]

_PANELS: dict[str, PanelFn] = {}


def register(name: str, panel: PanelFn) -> None:
    """Register (or replace) the home-page panel of app ``name``."""
    _PANELS[name] = panel


def panels_for(actor: User) -> list[HomePanel]:
    """The panels ``actor`` gets, in registration order."""
    return [p for p in (fn(actor) for fn in _PANELS.values()) if p is not None]
