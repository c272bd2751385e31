"""A survivor's RSS trajectory as a table and a small server-side SVG line chart (no JS)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from lentera.reintegration import ReintegrationResult, trajectory
from lentera.web.reintegration.models import RssScore

SERIES = (
    ("composite", _("Composite"), "#1b4d89"),
    ("economic", _("Economic"), "#b35806"),
    ("social", _("Social"), "#1a9850"),
    ("psychosocial", _("Psychosocial"), "#762a83"),
)
WIDTH, HEIGHT, PAD_X, PAD_Y = 320, 160, 34, 16


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    series: list[dict[str, Any]]
    x_labels: list[tuple[float, str]]
    y_ticks: list[tuple[float, str]]


def _y(value: float) -> float:
    return round(PAD_Y + (1 - value) * (HEIGHT - 2 * PAD_Y), 1)


def chart(scores: Iterable[RssScore]) -> Chart | None:
    """Line per dimension over the visits in date order; None without a scored visit."""
    rows = sorted(scores, key=lambda s: (s.visit_date, s.pk))
    if not rows:
        return None
    n = len(rows)
    step = (WIDTH - 2 * PAD_X) / max(1, n - 1)
    xs = [round(PAD_X + i * step if n > 1 else WIDTH / 2, 1) for i in range(n)]
    series = []
    for key, label, colour in SERIES:
        dots = [
            (xs[i], _y(getattr(r, key)), f"{getattr(r, key):.2f}")
            for i, r in enumerate(rows)
            if getattr(r, key) is not None
        ]
        series.append(
            {
                "key": key,
                "label": label,
                "colour": colour,
                "points": " ".join(f"{x},{y}" for x, y, _v in dots),
                "dots": dots,
            }
        )
    labels = [(xs[i], r.visit_date.strftime("%d/%m/%y")) for i, r in enumerate(rows)]
    ticks = [(_y(v), f"{v:.1f}") for v in (0.0, 0.5, 1.0)]
    return Chart(WIDTH, HEIGHT, series, labels, ticks)


def change(scores: Iterable[RssScore]) -> dict[str, float | None]:
    """Last minus first per dimension and composite (the engine's rule), {} with no score."""
    results = []
    for s in scores:
        if s.result:
            results.append(ReintegrationResult.model_validate(s.result))
    if not results:
        return {}
    dates = [r.visit_date for r in results]
    if len(set(dates)) != len(dates):
        return {}
    return dict(trajectory(results).change)
