"""``lentera intake xlsform --out FILE``: the intake form as an XLSForm for KoboToolbox/ODK.

``--form rss`` writes the follow-up survey (Reintegration Sustainability
Survey) instead of the intake form. ``--check`` converts it to XForm XML with pyxform (and ``--validate`` also runs
ODK Validate, which needs Java); ``--xform FILE`` writes that XML.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from lentera.errors import LenteraError


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("intake", help="the intake form (XLSForm for KoboToolbox/ODK)")
    verbs = p.add_subparsers(dest="verb", metavar="VERB", required=True)
    x = verbs.add_parser("xlsform", help="write the intake XLSForm (.xlsx)")
    x.add_argument("--out", type=Path, required=True, help="the .xlsx file to write")
    x.add_argument(
        "--form",
        choices=("intake", "rss"),
        default="intake",
        help="intake (case intake, default) or rss (reintegration follow-up survey)",
    )
    x.add_argument("--check", action="store_true", help="convert with pyxform to prove it loads")
    x.add_argument("--validate", action="store_true", help="also run ODK Validate (needs Java)")
    x.add_argument("--xform", type=Path, help="write the converted XForm XML here")
    x.set_defaults(func=run_xlsform)


def _build(form: str) -> bytes:
    if form == "rss":
        from lentera.intake import build_rss_xlsform

        return build_rss_xlsform()
    from lentera.commands._django import setup

    setup()
    from lentera.intake import build_xlsform
    from lentera.web.imports.spec import build_vocabulary

    return build_xlsform(build_vocabulary())


def run_xlsform(args: argparse.Namespace) -> int:
    from lentera.intake import to_xform

    content = _build(args.form)
    try:
        args.out.write_bytes(content)
    except OSError as exc:
        raise LenteraError("unwritable", f"{args.out}: {exc.strerror}") from exc
    print(f"wrote {args.out}")
    if args.check or args.validate or args.xform:
        from pyxform.errors import PyXFormError

        warnings: list[str] = []
        try:
            xml = to_xform(content, validate=args.validate, warnings=warnings)
        except PyXFormError as exc:
            raise LenteraError("xlsform_invalid", f"pyxform: {exc}") from exc
        for w in warnings:
            print(f"pyxform warning: {w}")
        if args.xform:
            args.xform.write_text(xml, "utf-8")
            print(f"wrote {args.xform}")
        print("XForm conversion: ok" + (" (ODK Validate passed)" if args.validate else ""))
    return 0
