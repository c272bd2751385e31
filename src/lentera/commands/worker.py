"""``lentera worker``: run the background jobs and the periodic schedule.

The queue is Django's Tasks API backend chosen in the settings (``LENTERA_TASKS_BACKEND``):
the database (default) or RQ on Redis. Beside the queue the worker writes a heartbeat
(the web pages use it to say when no worker is running) and queues the periodic jobs of
:mod:`lentera.web.jobs.schedule` when they come due. ``--once`` runs what is waiting
(and what is due) and exits.
"""

from __future__ import annotations

import argparse
import threading

#: seconds between heartbeats / schedule checks
BEAT_SECONDS = 15


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("worker", help="run background jobs and the periodic schedule")
    p.add_argument("--once", action="store_true", help="run the waiting jobs, then exit")
    p.add_argument(
        "--interval", type=float, default=1.0, help="seconds between looks at an empty queue"
    )
    p.add_argument("--no-schedule", action="store_true", help="do not queue periodic jobs")
    p.set_defaults(func=run)


def _beat(worker_id: str, backend: str, schedule: bool, stop: threading.Event) -> None:
    from django.db import close_old_connections, connections

    from lentera.web.jobs import schedule as periodic
    from lentera.web.jobs.services import heartbeat

    while not stop.is_set():
        try:
            close_old_connections()
            heartbeat(worker_id=worker_id, backend=backend)
            if schedule:
                periodic.tick()
        except Exception as exc:  # keep beating: a busy database is retried next time
            print(f"lentera worker: heartbeat: {exc}", flush=True)
        finally:
            connections.close_all()
        stop.wait(BEAT_SECONDS)


def run(args: argparse.Namespace) -> int:
    from lentera.commands._django import setup

    setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.utils.crypto import get_random_string

    from lentera.web.jobs import schedule as periodic
    from lentera.web.jobs.services import heartbeat, recover_interrupted

    backend = settings.LENTERA_TASKS_BACKEND
    worker_id = get_random_string(24)
    interrupted = recover_interrupted(worker_id=worker_id)
    if interrupted:
        print(f"{interrupted} job(s) interrupted by the last stop are marked failed (retry them)")
    heartbeat(worker_id=worker_id, backend=backend)
    if not args.no_schedule:
        periodic.tick()
    stop = threading.Event()
    if not args.once:
        threading.Thread(
            target=_beat, args=(worker_id, backend, not args.no_schedule, stop), daemon=True
        ).start()
        print(f"Lentera worker running ({backend} queue; Ctrl+C to stop)", flush=True)
    try:
        if backend == "rq":
            call_command(
                "rqworker",
                "default",
                burst=args.once,
                with_scheduler=not args.once,
                job_class="django_tasks_rq.Job",
            )
        else:
            call_command(
                "db_worker",
                queue_name="default",
                interval=args.interval,
                batch=args.once,
                reload=False,
                startup_delay=False,
                worker_id=worker_id,
                verbosity=0 if args.once else 1,
            )
    finally:
        stop.set()
    return 0
