"""``lentera import``: check and import intake files into the case store.

- ``lentera import FILE --format kobo|htcds|lentera --as USER [--dry-run | --valid-only]``
- ``lentera import --format kobo --kobo-url URL --kobo-asset UID --kobo-token-file FILE --as USER``

The whole file is checked first and every problem is printed as
``FILE:ROW: COLUMN: message (value)``. Without ``--valid-only`` nothing is
written unless every row is valid. Exit code 2 when the input has errors
(and nothing, or not everything, was written).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from lentera.errors import LenteraError


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "import",
        help="check and import cases (KoboToolbox/ODK, HTCDS layout, Lentera template)",
        description=(
            "Check a .csv/.xlsx/.json file (or a KoboToolbox form through its API) and import "
            "it into USER's organisation. Nothing is written unless every row is valid, "
            "unless --valid-only is given."
        ),
    )
    p.add_argument("file", type=Path, nargs="?", metavar="FILE")
    p.add_argument("--format", required=True, choices=("kobo", "htcds", "lentera"))
    p.add_argument("--as", dest="username", required=True, help="importing user (audited)")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--dry-run", action="store_true", help="check only; write nothing")
    mode.add_argument("--valid-only", action="store_true", help="import the valid rows only")
    p.add_argument("--lang", choices=("id", "en"), default="id", help="language of the report")
    p.add_argument("--report", type=Path, help="also write the report as CSV to this file")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    k = p.add_argument_group("KoboToolbox API (instead of FILE)")
    k.add_argument("--kobo-url", help="server, e.g. https://kf.kobotoolbox.org")
    k.add_argument("--kobo-asset", help="form (asset) uid")
    k.add_argument("--kobo-token-file", type=Path, help="file holding the API token")
    p.set_defaults(func=run)


class _Bar:
    """A tqdm progress bar fed by (done, total) callbacks."""

    def __init__(self, enabled: bool, desc: str) -> None:
        self.enabled = enabled
        self.desc = desc
        self.bar: Any = None

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        if self.bar is None or self.bar.total != total:
            from tqdm import tqdm

            if self.bar is not None:
                self.bar.close()
            self.bar = tqdm(total=total, desc=self.desc, unit="row", file=sys.stderr, leave=False)
        self.bar.n = done
        self.bar.refresh()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def run(args: argparse.Namespace) -> int:

    api = any((args.kobo_url, args.kobo_asset, args.kobo_token_file))
    if api and args.file is not None:
        raise LenteraError("usage", "give either FILE or --kobo-url/--kobo-asset, not both")
    if api and (
        args.format != "kobo" or not all((args.kobo_url, args.kobo_asset, args.kobo_token_file))
    ):
        raise LenteraError(
            "usage",
            "the KoboToolbox API needs --format kobo, --kobo-url, --kobo-asset and --kobo-token-file",
        )
    if not api and args.file is None:
        raise LenteraError("usage", "give FILE (or --kobo-url, --kobo-asset, --kobo-token-file)")

    from lentera.commands._django import setup

    setup()
    from django.contrib.auth import get_user_model
    from django.utils import translation

    from lentera import intake
    from lentera.web.imports import services

    user = get_user_model().objects.filter(username=args.username, is_active=True).first()
    if user is None:
        raise LenteraError("not_found", f"no active user {args.username!r}", kind="not_found")
    mode = "check" if args.dry_run else ("valid_only" if args.valid_only else "all")
    bar = _Bar(not args.no_progress and sys.stderr.isatty(), "import")
    translation.activate(args.lang)
    try:
        if api:
            try:
                token = args.kobo_token_file.read_text("utf-8").strip()
            except OSError as exc:
                raise LenteraError("unreadable", f"{args.kobo_token_file}: {exc.strerror}") from exc
            try:
                outcome = services.import_kobo_api(
                    actor=user,
                    server_url=args.kobo_url,
                    asset_uid=args.kobo_asset,
                    token=token,
                    mode=mode,
                    progress=bar,
                )
            except intake.KoboError as exc:
                raise LenteraError(
                    exc.code, intake.message(exc.code, args.lang, exc.params), kind=exc.kind
                ) from exc
            label = args.kobo_asset
        else:
            try:
                content = args.file.read_bytes()
            except OSError as exc:
                raise LenteraError("unreadable", f"{args.file}: {exc.strerror}") from exc
            outcome = services.import_file(
                actor=user,
                fmt=args.format,
                filename=args.file.name,
                content=content,
                mode=mode,
                progress=bar,
            )
            label = str(args.file)
    finally:
        bar.close()
    for p in outcome.problems(args.lang):
        row = p["row"] if p["row"] is not None else "-"
        tag = "" if p["severity"] == "error" else " [warning]"
        value = f" ({p['value']!r})" if p["value"] else ""
        print(f"{label}:{row}: {p['column'] or '-'}:{tag} {p['message']}{value}", file=sys.stderr)
    if args.report:
        args.report.write_bytes(services.report_csv(outcome, args.lang))
    report = outcome.report
    print(
        f"rows: {report.rows}; valid: {len(report.records)}; errors: {len(report.errors)}; "
        f"warnings: {len(report.warnings)}; already imported: {outcome.skipped_existing}; "
        f"cases created: {outcome.cases_created}; survivors created: {outcome.survivors_created}; "
        f"written: {'yes' if outcome.written else 'no'}"
    )
    if report.errors and not (args.valid_only and outcome.written):
        return 2
    return 0
