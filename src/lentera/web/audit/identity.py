"""The audit log holds no personal data (see :mod:`lentera.web.core.identity`)."""

from lentera.web.core.identity import declare_not_identity

declare_not_identity(
    ["audit.AuditEvent.detail"],
    "field names, codes and counts only: audit_log() never takes personal values",
)
