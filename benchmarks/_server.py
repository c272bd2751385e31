"""A throwaway Lentera instance for benchmarks: fresh data dir, migrated, served by `lentera serve`."""

from __future__ import annotations

import http.client
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _harness import instance_env


class Instance:
    def __init__(
        self, *, port: int, database_url: str | None = None, workers: int = 2, threads: int = 4
    ) -> None:
        self.port = port
        self.data_dir = Path(tempfile.mkdtemp(prefix="lentera-bench-"))
        self.env = dict(os.environ)
        self.env.update(instance_env(self.data_dir))
        if database_url:
            self.env["DATABASE_URL"] = database_url
        self.lentera = str(Path(sys.executable).with_name("lentera"))
        self.workers = workers
        self.threads = threads
        self.server: subprocess.Popen[bytes] | None = None

    def run(self, *args: str, stdin: str | None = None) -> str:
        return subprocess.run(
            [self.lentera, *args],
            env=self.env,
            check=True,
            capture_output=True,
            text=True,
            input=stdin,
        ).stdout

    def start(self) -> None:
        self.log = (self.data_dir / "server.log").open("w")
        self.server = subprocess.Popen(
            [
                self.lentera,
                "serve",
                "--port",
                str(self.port),
                "--workers",
                str(self.workers),
                "--threads",
                str(self.threads),
            ],
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        for _ in range(150):
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    return
            except OSError:
                time.sleep(0.2)
        raise SystemExit(f"server did not start; see {self.data_dir / 'server.log'}")

    def stop(self) -> None:
        if self.server is not None:
            self.server.terminate()
            try:
                self.server.wait(10)
            except subprocess.TimeoutExpired:
                self.server.kill()
            self.log.close()
