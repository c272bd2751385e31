"""The one error type for expected failures.

Engines and services raise :class:`LenteraError` with a stable ``code`` and a
message that the edge (web, API, CLI) shows to the user. The web layer maps
codes to HTTP statuses and the CLI maps them to exit codes, each in one place.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["LenteraError"]


class LenteraError(Exception):
    """An expected failure: bad input, forbidden action, missing object, conflict."""

    #: codes understood by the HTTP and CLI mappings
    KINDS = ("invalid", "forbidden", "not_found", "conflict", "unavailable")

    def __init__(
        self,
        code: str,
        message: str,
        *,
        kind: str = "invalid",
        field: str | None = None,
        params: Mapping[str, Any] | None = None,
    ) -> None:
        if kind not in self.KINDS:
            raise ValueError(f"unknown error kind {kind!r}")
        super().__init__(message)
        self.code = code
        self.message = message
        self.kind = kind
        self.field = field
        self.params = dict(params or {})

    def __str__(self) -> str:
        return self.message
