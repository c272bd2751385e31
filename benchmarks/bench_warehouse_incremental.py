"""Incremental vs full rebuild of an organisation's analytics warehouse from the case database.

    .venv/bin/python benchmarks/bench_warehouse_incremental.py [--cases 100000] [--change 0.01]

Seeds N synthetic cases into a fresh SQLite data directory with the bulk path of
``bench_web.py`` (one survivor each, encrypted like real data; 90 % in the benchmark
organisation BNCH, 10 % in another), adds two journey events and a perpetrator to every case,
then measures in the same run, through ``insights.services.rebuild`` (what the worker's
``warehouse_rebuild`` job runs: state of the source, export from the case database, build):

1. first build (no warehouse: full);
2. incremental rebuild with nothing changed (the fixed cost: signatures, copy, facts), then
   the signatures of every unit alone and the export of the whole snapshot alone (wall and
   CPU time of this process: the CPU time is less sensitive to the machine's load);
3. ``--change`` of the organisation's cases changed — 80 % of them edited (status and
   offence date), 10 % deleted, 10 % new cases — then the incremental rebuild;
4. a full rebuild of the same data (``full=True``): the same-run baseline.

The incremental file is then compared with the full one table by table (``EXCEPT ALL`` both
ways, the build manifest aside); a difference fails the run. Prints a Markdown table and,
with ``--out``, appends it to that file.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _harness import emit, instance_env, machine


def setup_instance() -> Path:
    data_dir = Path(tempfile.mkdtemp(prefix="lentera-bench-wh-"))
    os.environ.update(instance_env(data_dir))
    lentera = str(Path(sys.executable).with_name("lentera"))
    subprocess.run([lentera, "migrate"], check=True, env=dict(os.environ), capture_output=True)
    return data_dir


def add_parts(org_code: str) -> None:
    """Two journey events and a perpetrator per case (bulk, like the seed)."""
    from lentera.web.cases.models import Case, Perpetrator, TraffickingEvent

    events, perpetrators = [], []
    for pk, opened in Case.objects.values_list("pk", "opened_on").iterator():
        events.append(TraffickingEvent(case_id=pk, stage="recruitment", date=opened, country="ID"))
        events.append(TraffickingEvent(case_id=pk, stage="exploitation", date=opened, country="MY"))
        perpetrators.append(Perpetrator(case_id=pk, kind="individual_recruiter", sex="male"))
    TraffickingEvent.objects.bulk_create(events, batch_size=5000)
    Perpetrator.objects.bulk_create(perpetrators, batch_size=5000)


def change(org: object, share: float, seed: int = 5) -> dict[str, int]:
    """Edit, delete and create ``share`` of the organisation's cases (80/10/10)."""
    from django.db import transaction
    from django.utils import timezone

    from lentera.web.cases.models import Case, CaseSurvivor, Person

    rng = random.Random(seed)
    pks = list(Case.objects.filter(organisation=org).values_list("pk", flat=True))
    picked = rng.sample(pks, max(10, round(share * len(pks))))
    n_del = n_new = len(picked) // 10
    edited, deleted = picked[: len(picked) - n_del - n_new], picked[len(picked) - n_del - n_new :]
    deleted = deleted[:n_del]
    now = timezone.now()
    with transaction.atomic():
        for pk in edited:
            Case.objects.filter(pk=pk).update(
                status=rng.choice(["active", "follow_up", "closed"]),
                offence_date=dt.date(2015 + rng.randint(0, 9), 6, 1),
                updated_at=now,
            )
        Case.objects.filter(pk__in=deleted).delete()
        template = Case.objects.filter(organisation=org).first()
        user = template.created_by
        for i in range(n_new):
            case = Case.objects.create(
                organisation=org, reference=f"{org.code}-NEW-{i:06d}", status="active",
                owner=user, created_by=user, opened_on=dt.date(2026, 1, 1), summary="Baru.",
            )  # fmt: skip
            person = Person.objects.create(
                organisation=org, full_name=f"Penyintas Baru {i}", sex="female",
                origin_province_code="53", created_by=user,
            )  # fmt: skip
            CaseSurvivor.objects.create(
                case=case, person=person, exploitation_types=["forced_labour"]
            )
    return {"edited": len(edited), "deleted": len(deleted), "created": n_new}


def differences(a: Path, b: Path) -> dict[str, int]:
    """Rows in one file and not the other, per table (build manifest aside)."""
    import duckdb

    con = duckdb.connect()
    con.execute(f"ATTACH '{a}' AS a (READ_ONLY)")
    con.execute(f"ATTACH '{b}' AS b (READ_ONLY)")
    names = [
        r[0]
        for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_catalog = 'a' "
            "AND table_name <> 'build_manifest'"
        ).fetchall()
    ]
    out = {}
    for n in names:
        (d,) = con.execute(
            f"SELECT (SELECT count(*) FROM (FROM a.{n} EXCEPT ALL FROM b.{n})) + "  # noqa: S608
            f"(SELECT count(*) FROM (FROM b.{n} EXCEPT ALL FROM a.{n}))"
        ).fetchone()
        if d:
            out[n] = d
    con.close()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--change", type=float, default=0.01, help="share of cases changed")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    data_dir = setup_instance()
    load = [Path("/proc/loadavg").read_text().split()[:3]]
    try:
        import django

        django.setup()
        from bench_web import seed

        from lentera.web.accounts.models import Organisation
        from lentera.web.insights.changes import source_state
        from lentera.web.insights.services import rebuild
        from lentera.web.insights.snapshot import export_snapshot

        t = time.perf_counter()
        seed(args.cases)
        add_parts("BNCH")
        seed_s = time.perf_counter() - t
        org = Organisation.objects.get(code="BNCH")

        def run(**kw: bool) -> tuple[float, object]:
            t = time.perf_counter()
            done = rebuild(actor=None, organisation=org, **kw)
            return time.perf_counter() - t, done

        first_s, first = run()
        quiet_s, quiet = run()
        t, cpu = time.perf_counter(), time.process_time()
        source_state(org)
        state_s, state_cpu = time.perf_counter() - t, time.process_time() - cpu
        t, cpu = time.perf_counter(), time.process_time()
        export_snapshot(organisation_codes=[org.code])
        export_s, export_cpu = time.perf_counter() - t, time.process_time() - cpu
        changed = change(org, args.change)
        inc_s, inc = run()
        inc_copy = data_dir / "incremental.duckdb"
        shutil.copyfile(inc.path, inc_copy)  # type: ignore[attr-defined]
        full_s, full = run(full=True)
        diff = differences(inc_copy, full.path)  # type: ignore[attr-defined]
        load.append(Path("/proc/loadavg").read_text().split()[:3])
        n_org = org.cases.count()
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    lines = [
        f"### Warehouse rebuild from the case database, incremental vs full "
        f"({dt.datetime.now(dt.UTC).date().isoformat()})",
        "",
        f"Command: `.venv/bin/python benchmarks/bench_warehouse_incremental.py --cases "
        f"{args.cases} --change {args.change}` — {machine()}; SQLite, production settings. "
        f"{args.cases:,} synthetic cases seeded (bulk path of bench_web.py, {seed_s:.0f} s), "
        f"{n_org:,} in the organisation built; changed: {changed['edited']} edited, "
        f"{changed['deleted']} deleted, {changed['created']} created. Load average before / "
        f"after: {' '.join(load[0])} / {' '.join(load[-1])} (shared machine).",
        "",
        "| rebuild | path | time | baseline (same run) | ratio |",
        "|---|---|---|---|---|",
        f"| first build | {first.mode} ({first.reason}) | {first_s:.2f} s | – | – |",  # type: ignore[attr-defined]
        f"| nothing changed | {quiet.mode} | {quiet_s:.2f} s | full: {full_s:.2f} s | "  # type: ignore[attr-defined]
        f"{quiet_s / full_s:.2f} |",
        f"| {args.change:.0%} of cases changed | {inc.mode}, {inc.changed} units replaced, "  # type: ignore[attr-defined]
        f"{inc.removed} removed | **{inc_s:.2f} s** | full: {full_s:.2f} s | "  # type: ignore[attr-defined]
        f"**{inc_s / full_s:.2f}** ({full_s / inc_s:.1f}× faster) |",
        f"| (signatures of every unit alone) | – | {state_s:.2f} s ({state_cpu:.2f} s CPU) "
        "| – | – |",
        f"| (export of the whole snapshot alone) | – | {export_s:.2f} s ({export_cpu:.2f} s "
        "CPU) | – | – |",
        "",
        "Incremental file vs full file: "
        + ("identical, table by table." if not diff else f"DIFFERENT: {diff}"),
    ]
    emit(lines, args.out)
    return 1 if diff else 0


if __name__ == "__main__":
    sys.exit(main())
