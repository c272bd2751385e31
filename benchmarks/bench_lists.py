"""Benchmark: the numbered-page lists at 100,000 rows of one organisation (issue 22).

One command:  .venv/bin/python benchmarks/bench_lists.py [--rows 100000] [--runs 15]

Seeds, into a fresh SQLite data directory (or DATABASE_URL if set), ``--rows`` audit events,
sent referrals, hotline contacts and outreach activities of one organisation ("big") and
1,000 of each of another ("small"), with many rows on the same day (ties in the order), by
``bulk_create`` (a few tens of seconds). Then times in process, through each list's own
selector, the median of ``--runs`` calls of:

- a trivial query (one row by primary key: the ``/ping`` of an in-process run);
- the old pager (Django's ``Paginator``: an exact ``COUNT(*)`` and an ``OFFSET`` page) on
  page 1 and on the last page;
- the keyset pager (``lentera.web.core.keyset``: a count capped at 1,000 and a seek by key)
  on page 1, on the page before the last (by the key its Next link carries) and on an old
  link's ``?page=400`` (an offset page, bounded);
- the API's pager (``lentera.web.api.pagination.page_of``: the same, the count exact up to
  10,000) on page 1 and on the page before the last by its cursor;
- the outreach page's reach totals over every activity of the organisation.

Prints a Markdown table: milliseconds, ratio to the trivial query of the same run, and big ÷
small; copy it into docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from _harness import instance_env, machine, timed

PASSWORD = "bench-password-2026"  # noqa: S105 - throwaway benchmark instance
BATCH = 5000
SIZE = 25


def seed(org: Any, user: Any, n: int) -> None:
    """``n`` rows of each list for ``org``: about 270 a day over a year (ties in the order)."""
    from django.db import transaction
    from django.utils import timezone

    from lentera.web.audit.models import AuditEvent
    from lentera.web.cases.models import Case, CaseSurvivor, Person
    from lentera.web.contacts.models import Contact
    from lentera.web.outreach.models import OutreachActivity
    from lentera.web.referrals.models import Referral, ServiceProvider

    start = timezone.now() - dt.timedelta(days=366)
    day0 = timezone.localdate() - dt.timedelta(days=366)
    per_day = max(1, n // 365)
    with transaction.atomic():
        case = Case.objects.create(
            organisation=org, reference=f"{org.code}-B-1", owner=user, created_by=user,
            opened_on=day0,
        )  # fmt: skip
        person = Person.objects.create(
            organisation=org, full_name="Orang Sintetis", created_by=user
        )
        link = CaseSurvivor.objects.create(case=case, person=person)
        provider = ServiceProvider.objects.create(
            organisation=org, name="Rumah Aman Sintetis", institution_type="ngo"
        )
        for lo in range(0, n, BATCH):
            rows = range(lo, min(n, lo + BATCH))
            AuditEvent.objects.bulk_create(
                AuditEvent(
                    at=start + dt.timedelta(seconds=i * 300), actor=user,
                    actor_username=user.username, organisation=org, action="view",
                    object_type="cases.case", object_id=str(case.pk),
                    prev_hash=f"{org.pk}{i:063x}"[-64:], hash=f"{org.pk:x}{i:060x}".rjust(64, "0"),
                )
                for i in rows
            )  # fmt: skip
            Referral.objects.bulk_create(
                Referral(
                    organisation=org, number=f"R-{i}", case=case, case_survivor=link,
                    provider=provider, services=["shelter"], reason="Alasan sintetis",
                    due_date=day0 + dt.timedelta(days=i // per_day + 14),
                    status="sent" if i % 3 else "accepted", override_by=user,
                    override_reason="Benchmark", created_by=user,
                    sent_at=start + dt.timedelta(days=i // per_day),
                )
                for i in rows
            )  # fmt: skip
            Contact.objects.bulk_create(
                Contact(
                    organisation=org, number=f"H-{i}",
                    received_on=day0 + dt.timedelta(days=i // per_day),
                    channel="phone", reporter="family", province="53", concern="Sintetis",
                    status="open" if i % 4 else "closed", handled_by=user, created_by=user,
                )
                for i in rows
            )  # fmt: skip
            OutreachActivity.objects.bulk_create(
                OutreachActivity(
                    organisation=org, kind="socialisation", province="53",
                    date=day0 + dt.timedelta(days=i // per_day), female_18_35=i % 40,
                    male_18_35=i % 30, created_by=user,
                )
                for i in rows
            )  # fmt: skip


def lists(actor: Any) -> dict[str, tuple[Any, tuple[str, ...]]]:
    """Each list as its page reads it: the selector's rows and the order the pager keys on."""
    from lentera.web.audit.selectors import audit_events_for_user
    from lentera.web.contacts.selectors import contacts_list_for_user
    from lentera.web.outreach.selectors import activities_list_for_user
    from lentera.web.referrals.selectors import sent_for_user

    return {
        "audit log": (audit_events_for_user(actor=actor), ("-id",)),
        "referrals sent (all)": (sent_for_user(actor=actor), ("-sent_at", "-id")),
        "contacts": (contacts_list_for_user(actor=actor), ("-received_on", "-id")),
        "outreach": (activities_list_for_user(actor=actor), ("-date", "-id")),
    }


def measure(actor: Any, org: Any, runs: int) -> dict[str, float]:
    from django.core.paginator import Paginator

    from lentera.web.accounts.models import Organisation
    from lentera.web.api.pagination import PageQuery, page_of
    from lentera.web.core.keyset import keyset_page, row_key
    from lentera.web.outreach.selectors import activities_list_for_user, reach_totals

    out: dict[str, float] = {}
    out["trivial query"] = timed(lambda: Organisation.objects.filter(pk=org.pk).exists(), runs)
    for name, (qs, order) in lists(actor).items():

        def old(number: Any, qs: Any = qs) -> Callable[[], object]:
            def run() -> object:
                paginator = Paginator(qs, SIZE)
                page = paginator.get_page(paginator.num_pages if number == "last" else number)
                return list(page.object_list)

            return run

        out[f"{name} · old, page 1"] = timed(old(1), runs)
        out[f"{name} · old, last page"] = timed(old("last"), runs)
        out[f"{name} · keyset, page 1"] = timed(lambda qs=qs, o=order: keyset_page(qs, o), runs)
        # the key the Next link of the page before the last carries
        row = qs.order_by(*order)[max(0, qs.count() - 2 * SIZE)]
        key = row_key(row, order)
        out[f"{name} · keyset, deep page by key"] = timed(
            lambda qs=qs, o=order, k=key: keyset_page(qs, o, after=k), runs
        )
        out[f"{name} · keyset, ?page=400 (bounded offset)"] = timed(
            lambda qs=qs, o=order: keyset_page(qs, o, page=400), runs
        )
        # the API's list endpoints: the same pager, the count exact up to 10,000
        out[f"{name} · API, page 1"] = timed(lambda qs=qs: page_of(qs, PageQuery()), runs)
        out[f"{name} · API, deep page by cursor"] = timed(
            lambda qs=qs, k=key: page_of(qs, PageQuery(after=k)), runs
        )
    out["outreach · reach totals"] = timed(
        lambda: reach_totals(activities_list_for_user(actor=actor)), max(3, runs // 3)
    )
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="lentera-bench-lists-"))
    os.environ.update(instance_env(data_dir))
    lentera = str(Path(sys.executable).with_name("lentera"))
    subprocess.run([lentera, "migrate"], check=True, capture_output=True)
    import django

    django.setup()
    from lentera.web.accounts.services import organisation_create, user_create

    actors = {}
    t0 = time.perf_counter()
    for code, n in (("BIG", args.rows), ("SMAL", args.small)):
        org = organisation_create(actor=None, name=f"Bench {code}", code=code, org_type="ngo")
        user = user_create(
            actor=None, username=f"sup-{code.lower()}", password=PASSWORD, organisation=org,
            role="supervisor", check_password=False,
        )  # fmt: skip
        seed(org, user, n)
        actors[code] = (user, org)
    seed_s = time.perf_counter() - t0
    big = measure(*actors["BIG"], args.runs)
    small = measure(*actors["SMAL"], args.runs)
    with open("/proc/loadavg", encoding="ascii") as handle:
        load = handle.read().split()[:3]
    base = big["trivial query"]
    lines = [
        f"Run {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC on {machine()}; load average "
        f"{' '.join(load)} at the end; seeding {seed_s:.0f} s; "
        f"{'SQLite' if 'DATABASE_URL' not in os.environ else 'PostgreSQL'}. "
        f"Command: `.venv/bin/python benchmarks/bench_lists.py --rows {args.rows} "
        f"--runs {args.runs}` (median of {args.runs} calls, in process).",
        "",
        f"| list · pager | {args.small:,} rows ms | {args.rows:,} rows ms "
        "| big ÷ trivial query | big ÷ small |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, seconds in big.items():
        lines.append(
            f"| {name} | {small[name] * 1000:.2f} | {seconds * 1000:.2f} | "
            f"{seconds / base:.1f} | {seconds / small[name]:.1f} |"
        )
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
