"""Regenerate the Django choices from the domain vocabulary (src/lentera/vocabulary/data/*.yaml).

    .venv/bin/python tools/gen_vocabulary.py          # rewrite web/cases/choices.py, web/referrals/choices.py
    .venv/bin/python tools/gen_vocabulary.py --check  # exit 1 when one of them is stale

It needs lentera importable (the project virtualenv, or PYTHONPATH=src). Run it after
editing a vocabulary; tests/vocabulary fails while a generated class is stale.
"""

from __future__ import annotations

import argparse

from lentera.vocabulary.codegen import write


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report stale files, write nothing")
    args = parser.parse_args()
    stale = write(check=args.check)
    for path in stale:
        print(f"{'stale' if args.check else 'wrote'}: {path}")
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    raise SystemExit(main())
