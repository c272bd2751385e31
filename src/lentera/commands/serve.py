"""``lentera serve``: the production-grade server (gunicorn) serving static files itself."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from typing import Any


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("serve", help="serve Lentera over HTTP (gunicorn + WhiteNoise)")
    p.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    p.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    p.add_argument("--workers", type=int, default=int(os.environ.get("LENTERA_WORKERS", "2")))
    p.add_argument("--threads", type=int, default=int(os.environ.get("LENTERA_THREADS", "4")))
    p.add_argument(
        "--with-worker",
        action="store_true",
        help="also run `lentera worker` beside the server (stopped with it); `make run` does",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from lentera.commands._django import setup

    setup()
    from django.core.management import call_command
    from gunicorn.app.base import BaseApplication

    from lentera.web.core import crypto

    call_command("collectstatic", interactive=False, verbosity=0)
    crypto.keyring()  # fail fast (and create the key file) before forking workers

    from lentera.web.config.wsgi import application

    class Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            options: dict[str, Any] = {
                "bind": f"{args.host}:{args.port}",
                "workers": args.workers,
                "threads": args.threads,
                "worker_class": "gthread",
                "timeout": 60,
                "accesslog": os.environ.get("LENTERA_ACCESS_LOG") or None,
                "errorlog": "-",
                "loglevel": "warning",
            }
            for key, value in options.items():
                if value is not None:
                    self.cfg.set(key, value)

        def load(self) -> Any:
            return application

    worker = None
    if args.with_worker:
        worker = subprocess.Popen([sys.executable, "-m", "lentera.cli", "worker"])
    print(f"Lentera is serving at http://{args.host}:{args.port}/  (Ctrl+C to stop)", flush=True)
    if worker is None:
        print(
            "Background jobs (imports, figures, backups) run in `lentera worker`: start it too, "
            "or use --with-worker. Without it, jobs wait and the pages say so.",
            flush=True,
        )
    try:
        Server().run()
    finally:
        if worker is not None:
            worker.terminate()
            try:
                worker.wait(30)
            except subprocess.TimeoutExpired:
                worker.kill()
    return 0
