"""Disclosure control for releases: k-anonymised CTDC exports, HTCDS exchange files,
differentially private count tables with an ε budget ledger, verifiable release packages and the
coalition hub that merges them. Works from the de-identified analytics snapshot; no Django here
(import-linter contract). See docs/disclosure.md.
"""

from lentera.disclosure._common import DisclosureError, victims_frame
from lentera.disclosure.ctdc import (
    CTDC_LAYOUTS,
    CtdcRelease,
    ctdc_qi_columns,
    ctdc_release,
    write_ctdc,
)
from lentera.disclosure.dp import (
    DIMENSIONS,
    DpTable,
    dimension_domain,
    discrete_laplace_error95,
    dp_counts,
    write_dp_table,
)
from lentera.disclosure.guard import IdentifierLeak, assert_no_identifiers
from lentera.disclosure.htcds import htcds_frame, read_htcds, write_htcds
from lentera.disclosure.hub import (
    HubImport,
    UniqueSurvivors,
    import_package,
    national_ctdc_counts,
    national_dp_counts,
    unique_survivors,
)
from lentera.disclosure.kanon import (
    DEFAULT_K,
    DEFAULT_MAX_SUPPRESSION,
    KAnonResult,
    KCheck,
    LCheck,
    anonymise,
    check_l_diversity,
    generalise,
    quasi_identifier,
    verify_k,
)
from lentera.disclosure.ledger import (
    BudgetExceeded,
    BudgetLedger,
    JsonBudgetLedger,
    LedgerEntry,
    ledger_for_release,
)
from lentera.disclosure.package import (
    PACKAGE_SCHEMA,
    PackageCheck,
    PackageError,
    build_package,
    verify_package,
)

__all__ = [
    "CTDC_LAYOUTS",
    "DEFAULT_K",
    "DEFAULT_MAX_SUPPRESSION",
    "DIMENSIONS",
    "PACKAGE_SCHEMA",
    "BudgetExceeded",
    "BudgetLedger",
    "CtdcRelease",
    "DisclosureError",
    "DpTable",
    "HubImport",
    "IdentifierLeak",
    "JsonBudgetLedger",
    "KAnonResult",
    "KCheck",
    "LCheck",
    "LedgerEntry",
    "PackageCheck",
    "PackageError",
    "UniqueSurvivors",
    "anonymise",
    "assert_no_identifiers",
    "build_package",
    "check_l_diversity",
    "ctdc_qi_columns",
    "ctdc_release",
    "dimension_domain",
    "discrete_laplace_error95",
    "dp_counts",
    "generalise",
    "htcds_frame",
    "import_package",
    "ledger_for_release",
    "national_ctdc_counts",
    "national_dp_counts",
    "quasi_identifier",
    "read_htcds",
    "unique_survivors",
    "verify_k",
    "verify_package",
    "victims_frame",
    "write_ctdc",
    "write_dp_table",
    "write_htcds",
]
