"""Background jobs in the identity registry (see :mod:`lentera.web.core.identity`)."""

from lentera.web.core.identity import declare_not_identity

declare_not_identity(
    ["jobs.Job.params", "jobs.Job.result", "jobs.Job.error_message"],
    "job parameters, counts and plain-language errors: codes, no survivor values",
)
declare_not_identity(
    ["jobs.JobInput.payload", "jobs.JobOutput.payload"],
    "encrypted upload and import-report files, not linked to a person: the input is deleted "
    "when the job ends; an import report can carry the file's values until it is deleted "
    "(known gap: not erased by anonymisation)",
)
