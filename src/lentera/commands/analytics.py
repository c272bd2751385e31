"""``lentera analytics build | report | export | import-ctdc``: the DuckDB analytics warehouse.

``build`` makes the warehouse from a snapshot directory (``--from``) or, without it, from the
case store through ``lentera.web.insights.snapshot.export_snapshot()``. Every failure prints
one line ``lentera: error: ...`` and exits with status 2.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from lentera.commands._django import snapshot_from
from lentera.datadir import analytics_db
from lentera.errors import LenteraError

DEFAULT_DB = "$LENTERA_DATA_DIR/analytics/instance.duckdb"


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "analytics",
        help="build the analytics warehouse, write evidence reports, export Parquet, import CTDC",
        description="De-identified analytics: DuckDB warehouse, suppressed metrics, reports.",
    )
    verbs = p.add_subparsers(dest="analytics_command", metavar="VERB")
    b = verbs.add_parser("build", help="build the warehouse from a snapshot")
    b.add_argument(
        "--from",
        dest="source",
        type=Path,
        metavar="SNAPSHOT_DIR",
        help="directory of <table>.parquet/.jsonl files (default: export from the case store)",
    )
    b.add_argument(
        "--out",
        type=Path,
        default=None,
        metavar="DB",
        help=f"warehouse file (default ${{LENTERA_ANALYTICS_DB}} or {DEFAULT_DB})",
    )
    r = verbs.add_parser("report", help="write the evidence report (.html or .pdf)")
    r.add_argument("--out", type=Path, required=True, metavar="PATH")
    r.add_argument("--lang", choices=("id", "en"), default="id")
    r.add_argument("--db", type=Path, default=None, metavar="DB")
    r.add_argument("--period-from", metavar="YYYY-MM")
    r.add_argument("--period-to", metavar="YYYY-MM")
    r.add_argument(
        "--province", metavar="BPS", action="append", help="BPS province of origin (repeatable)"
    )
    r.add_argument("--org", dest="org_code", action="append", metavar="ORG")
    e = verbs.add_parser("export", help="export tables and suppressed aggregates as Parquet")
    e.add_argument("--parquet", type=Path, required=True, metavar="DIR")
    e.add_argument("--db", type=Path, default=None, metavar="DB")
    i = verbs.add_parser("import-ctdc", help="import a CTDC global-dataset CSV")
    i.add_argument("file", type=Path, metavar="FILE")
    i.add_argument("--layout", choices=("2017", "2024"), required=True)
    i.add_argument("--db", type=Path, default=None, metavar="DB")
    p.set_defaults(func=run, _parser=p)


def run(args: argparse.Namespace) -> int:
    verb = getattr(args, "analytics_command", None)
    if not verb:
        args._parser.print_help()
        return 2
    try:
        return {"build": _build, "report": _report, "export": _export, "import-ctdc": _import}[
            verb
        ](args)
    except LenteraError as exc:
        print(f"lentera: error: {exc.message}", file=sys.stderr)
        return 2
    except (OSError, ValueError) as exc:
        print(f"lentera: error: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:
        import duckdb

        if isinstance(exc, duckdb.Error):
            print(f"lentera: error: warehouse: {str(exc).splitlines()[0]}", file=sys.stderr)
            return 2
        raise


class Steps:
    """A tqdm bar over named steps."""

    def __init__(self, total: int, desc: str) -> None:
        from tqdm import tqdm

        self.bar = tqdm(total=total, desc=desc, unit="step", file=sys.stderr, disable=None)

    def __call__(self, name: str) -> None:
        self.bar.set_postfix_str(name, refresh=False)
        self.bar.update(1)

    def close(self) -> None:
        self.bar.close()


def _build(args: argparse.Namespace) -> int:
    from lentera.analytics.warehouse import STEPS, build_warehouse

    out = args.out or analytics_db()
    snapshot = snapshot_from(args.source)
    steps = Steps(len(STEPS), "build")
    try:
        build_warehouse(snapshot, out, progress=steps)
    finally:
        steps.close()
    counts = snapshot.counts()
    print(f"built {out}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    return 0


def _report(args: argparse.Namespace) -> int:
    from lentera.analytics.report import write_report

    filters = {
        k: v
        for k, v in {
            "period_from": args.period_from,
            "period_to": args.period_to,
            "province": args.province,
            "org_code": args.org_code,
        }.items()
        if v
    }
    steps = Steps(7, "report")
    try:
        path = write_report(
            args.db or analytics_db(), args.out, lang=args.lang, filters=filters, progress=steps
        )
    finally:
        steps.close()
    print(f"wrote {path}")
    return 0


def _export(args: argparse.Namespace) -> int:
    from lentera.analytics.export import export_parquet
    from lentera.analytics.metrics import registry
    from lentera.analytics.warehouse import open_warehouse

    wh = open_warehouse(args.db or analytics_db())
    steps = Steps(len(wh.tables()) + len(registry()), "export")
    try:
        counts = export_parquet(wh, args.parquet, progress=steps)
    finally:
        steps.close()
        wh.close()
    print(
        f"exported {counts['tables']} tables and {counts['aggregates']} suppressed aggregates to {args.parquet}"
    )
    return 0


def _import(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from lentera.analytics.ctdc import import_ctdc

    with tqdm(desc="import-ctdc", unit="row", file=sys.stderr, disable=None) as bar:
        result = import_ctdc(args.db or analytics_db(), args.file, args.layout, progress=bar.update)
    print(f"imported {result.rows} rows of {result.source_file} into ctdc_{result.layout}")
    return 0
