"""``lentera report build | templates | check``: donor, government and custom reports.

``build`` fills a template (a shipped id or a YAML file) for a period from the analytics
warehouse, with small-cell suppression and the comparison with the previous period, and
writes XLSX, DOCX or PDF in Bahasa Indonesia (default) or English. Every failure prints one
line ``lentera: error: ...`` and exits with status 2 (3 when a template or warehouse is
missing); nothing is written then.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from lentera.commands.analytics import DEFAULT_DB, Steps
from lentera.datadir import analytics_db
from lentera.errors import LenteraError


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "report",
        help="build donor, government and custom reports (XLSX, DOCX, PDF) from the warehouse",
        description="Reports from the de-identified analytics warehouse, suppressed.",
    )
    verbs = p.add_subparsers(dest="report_command", metavar="VERB")
    b = verbs.add_parser("build", help="fill a template for a period and write the report")
    b.add_argument("template", metavar="TEMPLATE", help="a shipped template id or a .yaml file")
    b.add_argument(
        "--period",
        required=True,
        metavar="PERIOD",
        help="2026-Q3, 2026-S1, 2026-07, 2026 or a range 2026-01..2026-06",
    )
    b.add_argument("--out", type=Path, required=True, metavar="FILE.xlsx|docx|pdf")
    b.add_argument("--lang", choices=("id", "en"), default="id")
    b.add_argument(
        "--warehouse",
        type=Path,
        default=None,
        metavar="DB",
        help=f"warehouse file (default ${{LENTERA_ANALYTICS_DB}} or {DEFAULT_DB})",
    )
    b.add_argument(
        "--org",
        dest="org_code",
        action="append",
        metavar="ORG",
        help="only these organisations of an instance-wide warehouse (repeatable)",
    )
    t = verbs.add_parser("templates", help="list the shipped templates")
    t.add_argument("--metrics", action="store_true", help="also list the metrics templates use")
    c = verbs.add_parser("check", help="validate a template file (every problem with its line)")
    c.add_argument("file", type=Path, metavar="FILE")
    p.set_defaults(func=run, _parser=p)


def run(args: argparse.Namespace) -> int:
    verb = getattr(args, "report_command", None)
    if not verb:
        args._parser.print_help()
        return 2
    try:
        return {"build": _build, "templates": _templates, "check": _check}[verb](args)
    except LenteraError as exc:
        from lentera.reports.templates import TemplateError

        print(f"lentera: error: {exc.message}", file=sys.stderr)
        if isinstance(exc, TemplateError):
            for line in exc.errors[1:]:
                print(f"  {line}", file=sys.stderr)
        return 3 if exc.kind == "not_found" else 2
    except OSError as exc:
        print(f"lentera: error: {exc}", file=sys.stderr)
        return 2


def _build(args: argparse.Namespace) -> int:
    from lentera.reports import build_report, load_template, parse_period
    from lentera.reports.render import FORMATS, write_report

    if args.out.suffix.lower() not in FORMATS:
        raise LenteraError(
            "bad_output", f"report output {args.out}: use a .xlsx, .docx or .pdf file name"
        )
    period = parse_period(args.period)
    template = load_template(args.template)
    steps = Steps(len(template.sections), "report")
    try:
        report = build_report(
            args.warehouse or analytics_db(),
            template,
            period,
            lang=args.lang,
            org_codes=args.org_code,
            progress=steps,
        )
    finally:
        steps.close()
    path = write_report(report, args.out)
    print(
        f"wrote {path}: {template.id} v{template.version}, {period.label(args.lang)}, "
        f"{report.suppressed_cells} suppressed cells"
    )
    return 0


def _templates(args: argparse.Namespace) -> int:
    from lentera.analytics import metrics
    from lentera.reports import shipped_templates

    for template in shipped_templates().values():
        gaps = [s.id for s in template.sections if s.not_recorded]
        print(
            f"{template.id}  v{template.version}  {template.title['id']} / {template.title['en']}"
        )
        print(f"    sections: {', '.join(s.id for s in template.sections)}")
        if gaps:
            print(f"    not recorded in the warehouse: {', '.join(gaps)}")
    if args.metrics:
        print("\nmetrics (src/lentera/analytics/data/metrics.yaml):")
        for metric in metrics.registry().values():
            if metric.kind != "compare":
                print(f"  {metric.id}  [{metric.unit}]  by: {', '.join(metric.dimensions)}")
    return 0


def _check(args: argparse.Namespace) -> int:
    from lentera.reports import load_template

    template = load_template(args.file)
    items = sum(len(s.items) for s in template.sections)
    print(
        f"{args.file}: template {template.id} v{template.version} is valid "
        f"({len(template.sections)} sections, {items} items)"
    )
    return 0
