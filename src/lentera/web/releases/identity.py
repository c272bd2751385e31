"""Releases hold aggregates and codes only (see :mod:`lentera.web.core.identity`)."""

from lentera.web.core.identity import declare_not_identity

declare_not_identity(
    [f"releases.Release.{f}" for f in ("dimensions", "preview", "manifest")],
    "dimension names, suppressed or noised counts and file digests; no survivor values",
)
