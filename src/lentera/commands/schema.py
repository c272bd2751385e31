"""``lentera schema NAME``: print the JSON Schema generated from the contract's pydantic models."""

from __future__ import annotations

import argparse
import importlib
import json

from lentera.errors import LenteraError

#: contract name -> "module:Model"; engines add their output models here as they land
SCHEMAS = {
    "case-facts": "lentera.facts.case_facts:CaseFacts",
    "screening": "lentera.screening.models:ScreeningResult",
    "qualification": "lentera.law.models:QualificationResult",
    "reintegration": "lentera.reintegration.models:ReintegrationResult",
    "reintegration-visit": "lentera.reintegration.models:RssVisit",
    "reintegration-trajectory": "lentera.reintegration.models:Trajectory",
}


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("schema", help="print the JSON Schema of a contract document")
    p.add_argument("name", choices=sorted(SCHEMAS))
    p.add_argument(
        "--markdown",
        action="store_true",
        help="case-facts only: print the contract reference (docs/contract/case-facts.md)",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.markdown:
        if args.name != "case-facts":
            raise LenteraError("invalid", "--markdown is available for case-facts only")
        from lentera.facts.contract_doc import render_markdown  # only for --markdown: start-up

        print(render_markdown(), end="")
        return 0

    module_name, model_name = SCHEMAS[args.name].split(":")
    model = getattr(importlib.import_module(module_name), model_name)
    schema = model.model_json_schema(by_alias=True)
    print(json.dumps(schema, indent=2, ensure_ascii=False))
    return 0
