"""What the benchmark scripts share: a median timer, the machine line, writing the table, and
the environment of a throwaway instance.

The scripts are run as files (``python benchmarks/bench_x.py``), so this module is imported
as ``_harness`` from the scripts' directory.
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path


def timed(fn: Callable[[], object], runs: int) -> float:
    """Median wall time of ``runs`` calls of ``fn``, after one warm-up call."""
    fn()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def machine() -> str:
    """The machine a result was measured on, for the heading of its table."""
    return (
        f"{platform.machine()} · {os.cpu_count()} CPUs · {platform.platform()} · "
        f"Python {platform.python_version()}"
    )


def emit(lines: Sequence[str], out: Path | None) -> None:
    """Print the Markdown lines and, with ``out``, append them to that file."""
    text = "\n".join(lines) + "\n"
    sys.stdout.write(text)
    if out:
        with out.open("a", encoding="utf-8") as handle:
            handle.write(text + "\n")


def instance_env(data_dir: Path, *, hosts: str = "127.0.0.1,localhost") -> dict[str, str]:
    """The environment of a throwaway instance in ``data_dir`` with production settings (a
    benchmark-only secret key, plain HTTP on the loopback)."""
    return {
        "LENTERA_DATA_DIR": str(data_dir),
        "DJANGO_SETTINGS_MODULE": "lentera.web.config.settings.production",
        "DJANGO_SECRET_KEY": "bench-" + "x" * 40,
        "LENTERA_ALLOWED_HOSTS": hosts,
        "LENTERA_INSECURE_HTTP": "1",
    }
