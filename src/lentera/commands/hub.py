"""``lentera hub import | verify | national | unique``: the coalition hub of release packages.

``import PACKAGE`` verifies a package and merges it into ``hub.duckdb`` (``--hub DIR``, default
``$LENTERA_HUB_DIR`` or ``./hub``); ``verify PACKAGE`` only verifies; ``national --by DIMS``
prints national DP sums as CSV; ``unique`` counts distinct survivors from the encodings.
Every failure prints one line ``lentera: error: ...``; bad input exits 2, a duplicate 5.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import zipfile
from pathlib import Path

from lentera.commands._linkage_args import add_match_threshold
from lentera.errors import LenteraError

DEFAULT_HUB = "hub"


def _default_hub() -> Path:
    return Path(os.environ.get("LENTERA_HUB_DIR", DEFAULT_HUB))


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "hub",
        help="merge release packages of many organisations; national aggregates",
        description="Coalition hub: verified release packages merged in DuckDB.",
    )
    verbs = p.add_subparsers(dest="hub_command", metavar="VERB")
    i = verbs.add_parser("import", help="verify a release package and merge it into the hub")
    i.add_argument("package", type=Path, metavar="PACKAGE")
    i.add_argument("--hub", type=Path, default=None, metavar="DIR")
    i.add_argument(
        "--encodings",
        type=Path,
        metavar="FILE.jsonl",
        help="the organisation's keyed Bloom-filter encodings (lentera link encode)",
    )
    i.add_argument("--min-k", type=int, default=11, help="refuse CTDC files below this k")
    i.add_argument(
        "--public-key",
        metavar="BASE64",
        help="refuse the package unless this (the organisation's enrolled) Ed25519 key signed "
        "it; without it the origin is not checked (the web hub always checks enrolled keys)",
    )
    i.set_defaults(func=run_import)
    k = verbs.add_parser("key", help="show this instance's signing key of an organisation")
    k.add_argument("code", metavar="CODE")
    k.set_defaults(func=run_key)
    e = verbs.add_parser("enrol", help="register a member's public signing key at this hub")
    e.add_argument("code", metavar="CODE")
    e.add_argument("public_key", metavar="BASE64")
    e.add_argument("--admin", required=True, metavar="USERNAME", help="the org admin enrolling it")
    e.set_defaults(func=run_enrol)
    v = verbs.add_parser("verify", help="verify a release package (hashes, k, DP tables)")
    v.add_argument("package", type=Path, metavar="PACKAGE")
    v.add_argument("--min-k", type=int, default=None)
    v.set_defaults(func=run_verify)
    n = verbs.add_parser("national", help="national sums of DP tables as CSV on stdout")
    n.add_argument("--by", required=True, metavar="DIMS")
    n.add_argument("--hub", type=Path, default=None, metavar="DIR")
    n.set_defaults(func=run_national)
    u = verbs.add_parser("unique", help="distinct survivors across organisations (encodings)")
    u.add_argument("--hub", type=Path, default=None, metavar="DIR")
    add_match_threshold(u, chosen_for="each pair of organisations", dice=0.8)
    u.set_defaults(func=run_unique)
    p.set_defaults(func=run, _parser=p)


def run(args: argparse.Namespace) -> int:
    args._parser.print_help()
    return 2


def run_import(args: argparse.Namespace) -> int:
    from lentera.disclosure import import_package

    hub = args.hub or _default_hub()
    keys = None
    if args.public_key:
        from lentera.disclosure.signing import decode_public_key

        with zipfile.ZipFile(args.package) as z:
            org = str(json.loads(z.read("manifest.json")).get("organisation", ""))
        keys = {org: decode_public_key(args.public_key)}
    done = import_package(
        args.package, hub, encodings=args.encodings, min_k=args.min_k, public_keys=keys
    )
    print(
        f"imported release {done.release_id} of {done.organisation} into {hub}: "
        f"{done.ctdc_rows} CTDC rows, {done.dp_cells} DP cells, {done.encodings} encodings"
    )
    return 0


def run_key(args: argparse.Namespace) -> int:
    from lentera.commands._django import setup

    setup()
    from lentera.web.releases.signing_keys import organisation_public_key

    key, fp = organisation_public_key(args.code.upper())
    print(f"{args.code.upper()} signing key (give it to the hub admin): {key}\nfingerprint: {fp}")
    return 0


def run_enrol(args: argparse.Namespace) -> int:
    from lentera.commands._django import setup

    setup()
    from lentera.web.accounts.models import User
    from lentera.web.releases.signing_keys import enrol_member_key

    admin = User.objects.filter(username=args.admin, is_active=True).first()
    if admin is None:
        raise LenteraError("not_found", f"no active user {args.admin!r}")
    row = enrol_member_key(actor=admin, organisation_code=args.code, public_key=args.public_key)
    print(f"enrolled the signing key of {row.organisation_code} (fingerprint {row.fingerprint})")
    return 0


def run_verify(args: argparse.Namespace) -> int:
    from lentera.disclosure import verify_package

    check = verify_package(args.package, min_k=args.min_k)
    manifest = check.manifest
    parts = [
        f"{n}: k={c.k}, {c.rows} rows, smallest class {c.smallest_class}, "
        f"{c.suppressed_declared} records suppressed"
        for n, c in check.k_checks.items()
    ]
    parts += [f"{n}: {cells} cells, none negative" for n, cells in check.dp_cells.items()]
    print(
        f"package {args.package} OK (release {manifest['release_id']} of "
        f"{manifest['organisation']}): {'; '.join(parts)}"
    )
    return 0


def run_national(args: argparse.Namespace) -> int:
    from lentera.disclosure import national_dp_counts

    dims = [d.strip() for d in args.by.split(",") if d.strip()]
    frame = national_dp_counts(args.hub or _default_hub(), dims)
    frame.to_csv(sys.stdout, index=False, lineterminator="\n")
    return 0


def run_unique(args: argparse.Namespace) -> int:
    from lentera.disclosure import unique_survivors

    result = unique_survivors(args.hub or _default_hub(), threshold=args.threshold)
    print(json.dumps(result.as_dict(), sort_keys=True))
    return 0
