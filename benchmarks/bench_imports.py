"""Import throughput (issue 10): checking and writing intake files.

    .venv/bin/python benchmarks/bench_imports.py [--rows 20000] [--write-rows 500]
    .venv/bin/python benchmarks/bench_imports.py --write-only --write-rows 1000 \
        --before-src /path/to/old/checkout/src [--rounds 2]

With ``--before-src`` the write lines alone run for the code of another checkout (its
``src`` directory) and for this one, alternately in separate processes (``--rounds``
times), so the two are measured under the same load; the ratio after/before is printed.

Generates a SYNTHETIC Lentera-template file (seeded; invented names and NIKs)
and measures, in the same run and on one core:

- baseline: reading the CSV with :mod:`csv` alone (the floor any import pays);
- engine: ``lentera.intake.check_file`` on the CSV and on the same rows as XLSX
  (read + every cell checked + records built);
- full import: ``lentera.web.imports.services.import_file`` in ``all`` mode into
  a throwaway SQLite database, through the case services (encryption, blind
  indexes, audit rows), for ``--write-rows`` rows; baseline for this line is the
  engine check of the same rows.

Prints a Markdown table with rows/s and the ratio to the baseline.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any

HEADER = [
    "case_ref",
    "full_name",
    "nik",
    "birth_date",
    "sex",
    "origin_province",
    "exploitation_types",
    "means_of_control",
    "recruitment_country",
    "exploitation_country",
    "consent_services",
    "summary",
]
FIRST = ["Sintia", "Rina", "Dewi", "Ayu", "Wati", "Nur", "Sri", "Putri", "Budi", "Agus"]
LAST = ["Contoh", "Sintetis", "Rekaan", "Percobaan", "Fiktif"]


def synthetic_rows(n: int, seed: int = 10) -> list[list[str]]:
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        day, month, year = rng.randint(1, 28), rng.randint(1, 12), rng.randint(60, 99)
        sex = rng.choice(["female", "male"])
        nik = f"530105{day + 40 if sex == 'female' else day:02d}{month:02d}{year:02d}{i % 9999 + 1:04d}"
        rows.append(
            [
                f"K{i // 2}",
                f"{rng.choice(FIRST)} {rng.choice(LAST)} {i}",
                nik if i % 3 else "",
                f"{day:02d}-{month:02d}-19{year}",
                sex,
                rng.choice(["53", "Jawa Timur", "32", "Nusa Tenggara Barat"]),
                rng.choice(["forced_labour", "sexual_exploitation", "forced_labour; servitude"]),
                rng.choice(["false_promises", "debt_bondage withholds_documents", ""]),
                "ID",
                rng.choice(["MY", "SA", "KH", "ID"]),
                rng.choice(["ya", "tidak", ""]),
                "Ringkasan sintetis.",
            ]
        )
    return rows


def as_csv(rows: list[list[str]]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8")


def as_xlsx(rows: list[list[str]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(HEADER)
    for r in rows:
        sheet.append(r)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def setup_django() -> Any:
    os.environ["DJANGO_SETTINGS_MODULE"] = "lentera.web.config.settings.test"
    import django
    from django.conf import settings

    django.setup()
    from django.apps import apps
    from django.db import connection

    # build the tables from the models (like pytest --nomigrations) in a throwaway file
    settings.MIGRATION_MODULES = {a.label: None for a in apps.get_app_configs()}
    connection.settings_dict["TEST"]["NAME"] = os.path.join(
        tempfile.mkdtemp(prefix="lentera-bench-"), "bench.sqlite3"
    )
    connection.creation.create_test_db(verbosity=0, serialize=False)
    from lentera.web.accounts.services import organisation_create, user_create

    org = organisation_create(
        actor=None, name="Yayasan Bench", code="BENCH", org_type="ngo", province_code="35"
    )
    return user_create(
        actor=None,
        username="bench",
        password="x",  # noqa: S106 - a throwaway benchmark account
        organisation=org,
        role="caseworker",
        check_password=False,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=20000)
    parser.add_argument("--write-rows", type=int, default=500)
    parser.add_argument("--write-only", action="store_true", help="only the full-import lines")
    parser.add_argument("--before-src", help="src directory of the code to compare against")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    if args.before_src:
        return compare(args)

    user = setup_django()
    from lentera import intake
    from lentera.web.imports import services
    from lentera.web.imports.spec import build_vocabulary

    vocab = build_vocabulary()
    rows = synthetic_rows(max(args.rows, args.write_rows))
    csv_data = as_csv(rows)
    xlsx_data = b"" if args.write_only else as_xlsx(rows)
    today = dt.date.today()  # noqa: DTZ011
    results: list[tuple[str, int, float, float]] = []

    if not args.write_only:
        t_base, _ = timed(lambda: sum(1 for _ in csv.reader(io.StringIO(csv_data.decode()))))
        results.append(("baseline: csv.reader only", args.rows, t_base, t_base))
        t_csv, report = timed(
            lambda: intake.check_file(csv_data, "b.csv", "lentera", vocab, today=today)
        )
        assert report.ok, report.errors[:3]
        results.append(("engine check_file (CSV)", args.rows, t_csv, t_base))
        t_xlsx, report = timed(
            lambda: intake.check_file(xlsx_data, "b.xlsx", "lentera", vocab, today=today)
        )
        assert report.ok, report.errors[:3]
        results.append(("engine check_file (XLSX)", args.rows, t_xlsx, t_base))

    small = as_csv(rows[: args.write_rows])
    t_small, _ = timed(lambda: intake.check_file(small, "s.csv", "lentera", vocab, today=today))
    t_write, outcome = timed(
        lambda: services.import_file(
            actor=user, fmt="lentera", filename="s.csv", content=small, mode="all"
        )
    )
    assert outcome.written, outcome.problems("en")[:3]
    results.append(
        ("baseline: engine check of the write sample", args.write_rows, t_small, t_small)
    )
    results.append(
        (
            "full import, mode all: check, then write (SQLite, services)",
            args.write_rows,
            t_write,
            t_small,
        )
    )
    from lentera.web.accounts.services import organisation_create, user_create

    org2 = organisation_create(
        actor=None, name="Yayasan Bench 2", code="BENCH2", org_type="ngo", province_code="35"
    )
    user2 = user_create(
        actor=None,
        username="bench2",
        password="x",  # noqa: S106 - a throwaway benchmark account
        organisation=org2,
        role="caseworker",
        check_password=False,
    )
    t_valid, outcome = timed(
        lambda: services.import_file(
            actor=user2, fmt="lentera", filename="s.csv", content=small, mode="valid_only"
        )
    )
    assert outcome.written, outcome.problems("en")[:3]
    results.append(
        (
            "full import, mode valid_only: write only (SQLite, services)",
            args.write_rows,
            t_valid,
            t_small,
        )
    )

    print(f"## Import throughput ({dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC)\n")
    print(
        f"Machine: {platform.machine()}, {platform.processor() or platform.platform()}, "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}; one core.\n"
    )
    print("| what | rows | seconds | rows/s | time vs baseline |")
    print("|---|---:|---:|---:|---:|")
    for label, n, secs, base in results:
        print(f"| {label} | {n} | {secs:.2f} | {n / secs:,.0f} | {secs / base:.1f}× |")
    return 0


def compare(args: argparse.Namespace) -> int:
    """The write lines for the code in ``--before-src`` and for this checkout, alternately."""
    here = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "src")
    lines: dict[str, dict[str, list[float]]] = {}
    for _round in range(args.rounds):
        for name, src in (("before", args.before_src), ("after", here)):
            env = dict(os.environ, PYTHONPATH=src)
            out = subprocess.run(
                [sys.executable, __file__, "--write-only", "--write-rows", str(args.write_rows)],
                env=env,
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            for line in out.splitlines():
                cells = [c.strip() for c in line.strip("|").split("|")]
                if len(cells) == 5 and cells[0].startswith("full import"):
                    rate = float(cells[3].replace(",", ""))
                    lines.setdefault(cells[0], {}).setdefault(name, []).append(rate)
    print(
        f"## Import write path, before and after ({dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC)\n"
    )
    print(
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}; {args.write_rows} synthetic Lentera-template rows, "
        f"{args.rounds} alternating rounds (rows/s of each round).\n"
    )
    print("| what | before rows/s | after rows/s | after ÷ before |")
    print("|---|---:|---:|---:|")
    for label, by in lines.items():
        before, after = by.get("before", [0.0]), by.get("after", [0.0])
        ratio = (sum(after) / len(after)) / max(sum(before) / len(before), 1e-9)
        print(
            f"| {label} | {' / '.join(f'{r:,.0f}' for r in before)} | "
            f"{' / '.join(f'{r:,.0f}' for r in after)} | {ratio:.1f}× |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
