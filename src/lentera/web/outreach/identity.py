"""Prevention outreach holds no survivor identity (see :mod:`lentera.web.core.identity`)."""

from __future__ import annotations

from lentera.web.core.identity import declare_not_identity

declare_not_identity(
    ["outreach.OutreachActivity.topics"],
    "topic codes of a prevention activity; attendance is counted, never named",
)
