"""``lentera export ctdc | htcds | dp``: de-identified releases from a snapshot.

``ctdc`` writes a k-anonymised CTDC CSV (2017 or 2024 layout) and proves k on the written file
(``verify-k FILE`` proves it again on any CSV);
``htcds`` writes the HTCDS v2.0 XLSX; ``dp`` writes an ε-differentially-private count table
(parameters in ``FILE.meta.json``), spending ε from a ledger when ``--ledger`` is given. Without
``--from`` the snapshot comes from the case store (``lentera.web.insights.snapshot``). Every
failure prints one line ``lentera: error: ...``; bad input exits 2, a refused ε spend 5.
"""

from __future__ import annotations

import argparse
import csv
import getpass
import json
import os
import re
import uuid
from pathlib import Path
from typing import Any

from lentera.commands._django import snapshot_from
from lentera.datadir import disclosure_ledger
from lentera.errors import LenteraError


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "export",
        help="de-identified exports: k-anonymous CTDC, HTCDS XLSX, differentially private counts",
        description="De-identified releases from the analytics snapshot (docs/disclosure.md).",
    )
    verbs = p.add_subparsers(dest="export_command", metavar="VERB")

    c = verbs.add_parser("ctdc", help="k-anonymised CTDC CSV (2017 or 2024 layout)")
    _source(c)
    c.add_argument("--out", type=Path, required=True, metavar="FILE.csv")
    c.add_argument("--k", type=int, default=11, help="minimum class size (default 11, as CTDC)")
    c.add_argument("--layout", choices=("2017", "2024"), default="2017")
    c.add_argument(
        "--max-suppression",
        type=float,
        default=0.05,
        metavar="SHARE",
        help="largest share of records that may be suppressed (default 0.05)",
    )
    c.add_argument(
        "--generalise",
        action="store_true",
        help="also use intermediate levels (wider age bands, 5-year spans, regions); the file "
        "then leaves the layout's code lists",
    )
    c.add_argument(
        "--origin", action="store_true", help="add the lenteraOriginRegion extension column"
    )
    c.add_argument("--loss", choices=("discernibility", "height"), default="discernibility")
    _package_args(c)
    c.set_defaults(func=run_ctdc)

    h = verbs.add_parser("htcds", help="HTCDS v2.0 XLSX, one row per victim")
    _source(h)
    h.add_argument("--out", type=Path, required=True, metavar="FILE.xlsx")
    h.add_argument(
        "--include-keys",
        action="store_true",
        help="add the snapshot's opaque person/survivor/case keys (x_lentera_* columns)",
    )
    h.set_defaults(func=run_htcds)

    d = verbs.add_parser("dp", help="differentially private counts over a declared domain")
    _source(d)
    d.add_argument("--epsilon", type=float, required=True, metavar="E")
    d.add_argument(
        "--by", required=True, metavar="DIMS", help="comma-separated dimensions, e.g. sex,age_band"
    )
    d.add_argument("--out", type=Path, required=True, metavar="FILE.csv")
    d.add_argument("--years", metavar="FROM-TO", help="declared year range for the year dimension")
    d.add_argument("--max-contributions", type=int, default=1, metavar="N")
    d.add_argument("--round-to", type=int, default=1, metavar="N")
    d.add_argument("--ledger", type=Path, metavar="FILE", help="ε budget ledger (JSON)")
    d.add_argument(
        "--budget", type=float, metavar="E", help="set the organisation's total ε in the ledger"
    )
    _package_args(d)
    d.set_defaults(func=run_dp)
    v = verbs.add_parser("verify-k", help="prove that a released CSV is k-anonymous")
    v.add_argument("file", type=Path, metavar="FILE.csv")
    v.add_argument("--k", type=int, default=11)
    v.add_argument("--layout", choices=("2017", "2024"), default="2017")
    v.add_argument(
        "--qi",
        metavar="COLUMNS",
        help="comma-separated QI columns (default: the CTDC layout's, plus lenteraOriginRegion "
        "when the file has it)",
    )
    v.set_defaults(func=run_verify_k)
    p.set_defaults(func=run, _parser=p)


def _source(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--from",
        dest="source",
        type=Path,
        metavar="SNAPSHOT_DIR",
        help="directory of <table>.parquet/.jsonl files (default: export from the case store)",
    )


def _package_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--org", metavar="CODE", help="organisation code (default: the snapshot's one)")
    p.add_argument(
        "--package", type=Path, metavar="DIR", help="also write a release package (DIR or .zip)"
    )
    p.add_argument(
        "--released-by",
        metavar="NAME",
        help="name of the person making the release (manifest; default: the login name)",
    )


def run(args: argparse.Namespace) -> int:
    args._parser.print_help()
    return 2


def _org(args: argparse.Namespace, snapshot: Any) -> str:
    if args.org:
        return str(args.org)
    orgs = sorted(set(snapshot["cases"].column("org_code").to_pylist()))
    if len(orgs) != 1:
        raise LenteraError(
            "org_required",
            f"the snapshot holds {len(orgs)} organisations; give --org CODE",
        )
    return str(orgs[0])


def _released_by(args: argparse.Namespace) -> str:
    if args.released_by:
        return str(args.released_by)
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return os.environ.get("USER", "unknown")


def _check_out(path: Path, suffix: str) -> None:
    if path.suffix.lower() != suffix:
        raise LenteraError("bad_output", f"--out must end in {suffix}, got {path}")


def run_ctdc(args: argparse.Namespace) -> int:
    from lentera.disclosure import build_package, ctdc_release, write_ctdc

    _check_out(args.out, ".csv")
    if not 0 <= args.max_suppression < 1:
        raise LenteraError("bad_suppression", "--max-suppression must be in [0, 1)")
    snapshot = snapshot_from(args.source)
    release = ctdc_release(
        snapshot,
        layout=args.layout,
        k=args.k,
        max_suppression=args.max_suppression,
        strict=not args.generalise,
        origin=args.origin,
        loss=args.loss,
    )
    check = write_ctdc(release, args.out)
    result = release.kanon
    print(
        f"wrote {check.rows} rows to {args.out} (CTDC {args.layout}, k={result.k}: smallest "
        f"class {check.smallest_class}, {result.suppressed} of {result.n_input} records "
        f"suppressed; levels {', '.join(f'{q}={n}' for q, n in result.level_names.items())})"
    )
    if args.package:
        manifest = build_package(
            args.package,
            organisation=_org(args, snapshot),
            created_by=_released_by(args),
            ctdc=[release],
        )
        print(f"package {args.package} (release {manifest['release_id']})")
    return 0


def run_htcds(args: argparse.Namespace) -> int:
    from lentera.disclosure import write_htcds

    _check_out(args.out, ".xlsx")
    snapshot = snapshot_from(args.source)
    rows = write_htcds(snapshot, args.out, include_keys=args.include_keys)
    print(f"wrote {rows} victim rows to {args.out} (HTCDS v2.0)")
    return 0


def _years(text: str | None) -> list[int] | None:
    if not text:
        return None
    match = re.fullmatch(r"(\d{4})(?:-(\d{4}))?", text.strip())
    if not match:
        raise LenteraError("bad_years", f"--years must be YYYY or YYYY-YYYY, got {text!r}")
    start = int(match.group(1))
    end = int(match.group(2) or start)
    if end < start or end - start > 100:
        raise LenteraError("bad_years", f"--years range {text!r} is not valid")
    return list(range(start, end + 1))


def run_dp(args: argparse.Namespace) -> int:
    from lentera.disclosure import (
        JsonBudgetLedger,
        build_package,
        dp_counts,
        ledger_for_release,
        write_dp_table,
    )

    _check_out(args.out, ".csv")
    dims = [d.strip() for d in args.by.split(",") if d.strip()]
    years = _years(args.years)
    snapshot = snapshot_from(args.source)
    table = dp_counts(
        snapshot,
        by=dims,
        epsilon=args.epsilon,
        years=years,
        max_contributions=args.max_contributions,
        round_to=args.round_to,
    )
    ledger = None
    org = None
    args.ledger = ledger_for_release(
        args.ledger, from_case_store=args.source is None, instance_ledger=disclosure_ledger()
    )
    if args.ledger or args.package:
        org = _org(args, snapshot)
    if args.ledger:
        budgets = {org: args.budget} if args.budget is not None else None
        ledger = JsonBudgetLedger(args.ledger, budgets=budgets)
    release_id = uuid.uuid4().hex
    if args.package:
        name = "_".join(dims)
        build_package(
            args.package,
            organisation=str(org),
            created_by=_released_by(args),
            dp=[(name, table)],
            release_id=release_id,
            ledger=ledger,
        )
    elif ledger is not None:
        ledger.spend(str(org), args.epsilon, release_id)
    write_dp_table(table, args.out)
    meta = {"release_id": release_id, "organisation": org, **table.parameters()}
    meta_path = args.out.with_name(args.out.name + ".meta.json")
    meta_path.write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    spent = (
        f"; ledger: {ledger.spent(str(org))} of {ledger.budget(str(org))} spent" if ledger else ""
    )
    print(
        f"wrote {len(table.table)} cells to {args.out} (ε={table.epsilon}, discrete Laplace "
        f"scale {table.scale:g}, 95 % error ±{table.error95}{spent})"
    )
    return 0


def run_verify_k(args: argparse.Namespace) -> int:
    from lentera.disclosure import ctdc_qi_columns, verify_k

    if args.qi:
        columns = [c.strip() for c in args.qi.split(",") if c.strip()]
    else:
        try:
            with args.file.open(encoding="utf-8", newline="") as handle:
                header = next(csv.reader(handle), [])
        except OSError as exc:
            raise LenteraError("unreadable", f"cannot read {args.file}: {exc}") from exc
        columns = list(ctdc_qi_columns(args.layout, origin="lenteraOriginRegion" in header))
    check = verify_k(args.file, k=args.k, qi_columns=columns).require()
    print(
        f"{args.file} is {check.k}-anonymous over {', '.join(columns)}: {check.rows} rows, "
        f"{check.classes} classes, smallest class {check.smallest_class}"
    )
    return 0
