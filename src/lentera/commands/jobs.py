"""``lentera jobs list | run | history``: the background jobs from the command line.

- ``list``: the job kinds and the periodic schedule the worker keeps;
- ``run KIND [--org CODE] [--as USER] [--now] [--full]``: queue a job for the worker, or with
  ``--now`` run it here with a progress bar (the command line is not a web request);
  ``--full`` makes a ``warehouse_rebuild`` rebuild everything rather than what changed;
- ``history [--org CODE] [--limit N]``: the latest jobs and how they ended.
"""

from __future__ import annotations

import argparse

from lentera.errors import LenteraError


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("jobs", help="background jobs: list, run, history")
    verbs = p.add_subparsers(dest="jobs_command", metavar="VERB", required=True)
    verbs.add_parser("list", help="job kinds and the periodic schedule").set_defaults(func=run_list)
    r = verbs.add_parser("run", help="queue a job (or run it here with --now)")
    r.add_argument("kind")
    r.add_argument("--org", help="organisation code (jobs that run for one organisation)")
    r.add_argument("--as", dest="username", help="the user the job runs as (audited)")
    r.add_argument("--now", action="store_true", help="run it in this process, not the worker")
    r.add_argument(
        "--full",
        action="store_true",
        help="warehouse_rebuild: rebuild the whole warehouse, not only what changed",
    )
    r.set_defaults(func=run_job)
    h = verbs.add_parser("history", help="the latest jobs")
    h.add_argument("--org", help="organisation code")
    h.add_argument("--limit", type=int, default=30)
    h.set_defaults(func=run_history)


def run_list(args: argparse.Namespace) -> int:
    from lentera.commands._django import setup

    setup()
    from lentera.web.jobs.schedule import PERIODIC
    from lentera.web.jobs.services import KINDS

    print("Job kinds:")
    for kind in sorted(KINDS.values(), key=lambda k: k.name):
        print(f"  {kind.name:<20} {kind.scope:<13} {kind.label}")
    print("\nPeriodic jobs (run by `lentera worker`, local time):")
    for e in PERIODIC:
        scope = "each organisation" if e.per_organisation else "instance"
        print(f"  {e.name:<18} daily {e.at:%H:%M}  {e.kind:<20} {scope}: {e.description}")
    return 0


def run_job(args: argparse.Namespace) -> int:
    from lentera.commands._django import setup

    setup()
    from tqdm import tqdm

    from lentera.web.accounts.models import Organisation, User
    from lentera.web.jobs import services

    org = None
    if args.org:
        org = Organisation.objects.filter(code=args.org.upper()).first()
        if org is None:
            raise LenteraError("org_not_found", f"no organisation {args.org!r}", kind="not_found")
    actor = None
    if args.username:
        actor = User.objects.filter(username=args.username, is_active=True).first()
        if actor is None:
            raise LenteraError("user_not_found", f"no user {args.username!r}", kind="not_found")
    if args.kind not in services.KINDS:
        raise LenteraError(
            "job_unknown",
            f"unknown job {args.kind!r}; see `lentera jobs list`",
            kind="not_found",
        )
    if services.KINDS[args.kind].scope == "organisation" and org is None and actor is None:
        raise LenteraError("usage", f"{args.kind} runs for one organisation: give --org CODE")
    if args.full and args.kind != "warehouse_rebuild":
        raise LenteraError("usage", "--full applies to warehouse_rebuild only")
    params = {"full": True} if args.full else None
    job = services.enqueue(args.kind, actor=actor, organisation=org, params=params)
    if not args.now:
        alive = services.worker_alive()
        print(
            f"job #{job.pk} queued ({job.kind})"
            + ("" if alive else "; no worker is running: start one with `lentera worker`")
        )
        return 0
    bar = tqdm(total=0, unit="row", disable=None)

    original = services.JobContext.progress

    def progress(self: services.JobContext, done: int, total: int) -> None:
        bar.total = total
        bar.n = done
        bar.refresh()
        original(self, done, total)

    services.JobContext.progress = progress  # type: ignore[method-assign]
    try:
        finished = services.execute(job.pk)
    finally:
        services.JobContext.progress = original  # type: ignore[method-assign]
        bar.close()
    if finished is None:
        print(f"job #{job.pk} is already running or done")
        return 0
    if finished.status == "failed":
        raise LenteraError(finished.error_code or "job_failed", services.error_text(finished))
    shown = {k: v for k, v in finished.result.items() if k != "links"}
    print(f"job #{finished.pk} done: {shown}")
    return 0


def run_history(args: argparse.Namespace) -> int:
    from lentera.commands._django import setup

    setup()
    from django.utils import timezone

    from lentera.web.jobs.models import Job

    qs = Job.objects.select_related("organisation")
    if args.org:
        qs = qs.filter(organisation__code=args.org.upper())
    for job in qs[: max(1, args.limit)]:
        when = timezone.localtime(job.created_at).strftime("%Y-%m-%d %H:%M")
        org = job.organisation.code if job.organisation else "-"
        who = job.actor_username or (f"schedule:{job.schedule}" if job.schedule else "-")
        extra = job.error_code if job.status == "failed" else ""
        print(f"#{job.pk:<6} {when} {org:<8} {job.kind:<20} {job.status:<10} {who} {extra}")
    return 0
