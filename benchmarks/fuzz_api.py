"""Fuzz the REST API with schemathesis from its own OpenAPI document: ≥ 10k requests, 0 server errors.

One command:  .venv/bin/python benchmarks/fuzz_api.py [--max-examples 400] [--port 8766]
Writes the figures to docs/reliability.md (section "API fuzzing").
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _server import Instance

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--max-examples", type=int, default=700)
    parser.add_argument("--port", type=int, default=8766)
    args = parser.parse_args()
    inst = Instance(port=args.port)
    inst.run("migrate")
    inst.run("demo", "--scale", "0.2")
    os.environ.update({k: v for k, v in inst.env.items() if k.startswith(("LENTERA", "DJANGO"))})
    inst.env["FUZZ_PW"] = "fuzzing-password-2026"
    token_out = inst.run(
        "createuser",
        "fuzzer",
        "--org",
        "YLK",
        "--role",
        "caseworker",
        "--api-token",
        "--password-env",
        "FUZZ_PW",
    )
    token = re.search(r"(lnt_\S+)", token_out).group(1)
    inst.start()
    started = time.perf_counter()
    try:
        result = subprocess.run(
            [
                str(Path(sys.executable).with_name("schemathesis")),
                "run",
                f"http://127.0.0.1:{args.port}/api/openapi.json",
                "--header",
                f"Authorization: Bearer {token}",
                "--checks",
                "not_a_server_error",
                "--max-examples",
                str(args.max_examples),
                "--phases",
                "examples,coverage,fuzzing,stateful",
                "--seed",
                "2026",
                "--no-color",
            ],
            capture_output=True,
            text=True,
            check=False,
        )
    finally:
        inst.stop()
    elapsed = time.perf_counter() - started
    out = result.stdout + result.stderr
    (inst.data_dir / "schemathesis.txt").write_text(out)
    requests = sum(int(n) for n in re.findall(r"(\d+) (?:generated|test cases?)", out)) or None
    server_errors = (inst.data_dir / "server.log").read_text().count("Internal Server Error")
    summary = re.findall(
        r"^(?:Test cases|API Operations|Test Phases|Failures|Errors|Warnings|Seed).*$", out, re.M
    )
    text = (
        f"### API fuzzing (schemathesis)\n\nRun {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC on {platform.node()} ({os.cpu_count()} vCPU), "
        f"`lentera serve` with production settings and demo data, bearer token of a caseworker. Command: "
        f"`.venv/bin/python benchmarks/fuzz_api.py --max-examples {args.max_examples}`. Duration {elapsed:.0f} s.\n\n"
        f"- schemathesis exit code: {result.returncode}\n- generated test cases (as reported): {requests}\n"
        f"- server errors logged by the server: **{server_errors}**\n\n```\n"
        + "\n".join(summary[-12:])
        + "\n```\n"
    )
    print(text)
    print(out[-3000:])
    return 0 if server_errors == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
