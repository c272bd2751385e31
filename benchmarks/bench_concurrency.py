"""Concurrency (issue 22): one organisation imports and rebuilds its figures while 20
clients of another organisation browse and edit.

One command:  .venv/bin/python benchmarks/bench_concurrency.py [--seconds 60] [--rows 1000]

A fresh instance (production settings, embedded SQLite, ``lentera serve`` 2 workers × 4
threads) with the demo data, and ``lentera worker`` beside it. 20 clients log in as
PPANTT's caseworker and loop: case list, a name search, a case page, an edit of the
client's own case (GET the form, POST it). Phase 1 (idle instance) and phase 2 (YLK's
caseworker uploads a synthetic file of ``--rows`` rows in "import only the valid rows"
mode and asks for a rebuild of the analytics figures, both run by the worker) last the
same time. Reported: requests, errors (any status other than 200/302, or a failed
connection), p50/p95 of the browsing clients in each phase and the ratio. Writes a
Markdown block to stdout and docs/benchmarks/concurrency.md. Exit 1 on any error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import os
import platform
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _server import Instance
from bench_imports import as_csv, synthetic_rows

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "lentera-demo"  # noqa: S105 - the printed password of the synthetic demo data
CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


class Client:
    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def request(
        self, method: str, path: str, body: bytes | str | None = None, ctype: str = ""
    ) -> tuple[int, bytes, str]:
        headers = {
            "Host": "127.0.0.1",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            "Referer": f"http://127.0.0.1:{self.port}{path}",
        }
        if ctype:
            headers["Content-Type"] = ctype
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=body, headers=headers)
                r = self.conn.getresponse()
                data = r.read()
                break
            except (OSError, http.client.HTTPException) as exc:
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
                # a keep-alive connection the server closed while idle: a browser retries a GET
                stale = isinstance(exc, http.client.RemoteDisconnected | BrokenPipeError)
                if not (attempt == 1 and stale and method == "GET"):
                    raise
        for k, v in r.getheaders():
            if k.lower() == "set-cookie":
                name, _, rest = v.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        return r.status, data, r.getheader("Location") or ""

    def form(
        self, path: str, fields: dict[str, str], page: bytes | None = None
    ) -> tuple[int, bytes, str]:
        if page is None:
            _s, page, _l = self.request("GET", path)
        token = CSRF.search(page)
        body = urllib.parse.urlencode(
            {**fields, "csrfmiddlewaretoken": token.group(1).decode() if token else ""}
        )
        return self.request("POST", path, body, "application/x-www-form-urlencoded")

    def login(self, username: str) -> None:
        status, _d, _l = self.form("/accounts/login/", {"username": username, "password": PASSWORD})
        assert status == 302, f"login of {username} failed: {status}"


def browse(c: Client, case_id: int, stop: threading.Event, out: dict[str, list]) -> None:
    lat, errors = out["latencies"], out["errors"]
    while not stop.is_set():
        for step in ("list", "search", "detail", "edit"):
            t0 = time.perf_counter()
            try:
                if step == "list":
                    status, _d, _l = c.request("GET", "/cases/")
                elif step == "search":
                    status, _d, _l = c.request("GET", "/cases/?q=Sari")
                elif step == "detail":
                    status, _d, _l = c.request("GET", f"/cases/{case_id}/")
                else:
                    _s, page, _l = c.request("GET", f"/cases/{case_id}/edit/")
                    fields = dict(
                        re.findall(rb'name="(version|status|opened_on)" value="([^"]*)"', page)
                    )
                    status_sel = re.search(rb'<option value="([^"]+)" selected', page)
                    data = {k.decode(): v.decode() for k, v in fields.items()}
                    if status_sel and "status" not in data:
                        data["status"] = status_sel.group(1).decode()
                    data["summary"] = f"catatan sintetis {time.time():.3f}"
                    status, _d, _l = c.form(f"/cases/{case_id}/edit/", data, page)
            except (OSError, http.client.HTTPException) as exc:
                errors.append(f"{step}: {exc!r}")
                continue
            lat.append(time.perf_counter() - t0)
            if status not in (200, 302):
                errors.append(f"{step}: HTTP {status}")


def run_phase(clients: list[Client], cases: list[int], seconds: float) -> dict[str, list]:
    out: dict[str, list] = {"latencies": [], "errors": []}
    stop = threading.Event()
    threads = [
        threading.Thread(target=browse, args=(c, cases[k % len(cases)], stop, out))
        for k, c in enumerate(clients)
    ]
    for t in threads:
        t.start()
    time.sleep(seconds)
    stop.set()
    for t in threads:
        t.join()
    return out


def pct(values: list[float], p: int) -> float:
    return statistics.quantiles(values, n=100)[p - 1] * 1000 if len(values) > 1 else 0.0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=90)
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--port", type=int, default=8792)
    args = parser.parse_args()
    inst = Instance(port=args.port)
    inst.run("migrate")
    inst.run("demo")
    inst.run("worker", "--once")  # the first nightly jobs (figures, backup) before measuring
    inst.start()
    worker = subprocess.Popen(
        [inst.lentera, "worker", "--no-schedule"],
        env=inst.env,
        stdout=(inst.data_dir / "worker.log").open("w"),
        stderr=subprocess.STDOUT,
    )
    try:
        probe = Client(args.port)
        probe.login("ntt_caseworker")
        _s, page, _l = probe.request("GET", "/cases/")
        cases = sorted({int(x) for x in re.findall(rb'href="/cases/(\d+)/"', page)})[:20]
        assert cases, "no PPANTT cases in the demo data"
        clients = []
        for _ in range(20):  # logged in before the clock starts (password hashing is slow)
            c = Client(args.port)
            c.login("ntt_caseworker")
            clients.append(c)
        idle = run_phase(clients, cases, args.seconds)
        # YLK: an import and a rebuild of the figures, both as background jobs
        ylk = Client(args.port)
        ylk.login("ylk_caseworker")
        content = as_csv(synthetic_rows(args.rows))
        _s, page, _l = ylk.request("GET", "/imports/")
        token = CSRF.search(page).group(1).decode()
        boundary = "----lentera-bench"
        parts = []
        for name, value in (
            ("csrfmiddlewaretoken", token),
            ("format", "lentera"),
            ("mode", "valid_only"),
        ):
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
            )
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="bench.csv"\r\nContent-Type: text/csv\r\n\r\n'.encode()
            + content
            + f"\r\n--{boundary}--\r\n".encode()
        )
        status, _d, job_url = ylk.request(
            "POST", "/imports/", b"".join(parts), f"multipart/form-data; boundary={boundary}"
        )
        assert status == 302 and "/jobs/" in job_url, status
        status, _d, _l = ylk.form(
            "/insights/refresh/", {}, page=ylk.request("GET", "/insights/")[1]
        )
        assert status == 302, status
        t_busy = time.perf_counter()
        busy = run_phase(clients, cases, args.seconds)
        # how far the jobs got while the clients browsed
        _s, job_page, _l = ylk.request("GET", job_url)
        job_state = re.search(rb"<strong>([^<]+)</strong>", job_page)
        state = job_state.group(1).decode() if job_state else "?"
        elapsed = time.perf_counter() - t_busy
    finally:
        inst.stop()
        worker.terminate()  # a running job finishes its current step first; then stop it
        try:
            worker.wait(30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
    server_errors = (inst.data_dir / "server.log").read_text().count("Internal Server Error")
    p95_idle, p95_busy = pct(idle["latencies"], 95), pct(busy["latencies"], 95)
    ratio = p95_busy / p95_idle if p95_idle else float("nan")
    errors = idle["errors"] + busy["errors"]
    lines = [
        f"### Import + rebuild in one organisation, 20 clients browsing and editing in another ({dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC)",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores (shared, noisy), Python {platform.python_version()}; "
        f"SQLite (WAL), `lentera serve` 2 workers × 4 threads, one `lentera worker`; demo data; "
        f"import: synthetic Lentera-template file, {args.rows} rows, mode valid_only. "
        f"Command: `.venv/bin/python benchmarks/bench_concurrency.py --seconds {args.seconds:g} --rows {args.rows}`.",
        "",
        "| phase | requests | errors | p50 ms | p95 ms |",
        "|---|---:|---:|---:|---:|",
        f"| idle instance (baseline) | {len(idle['latencies'])} | {len(idle['errors'])} | {pct(idle['latencies'], 50):.0f} | {p95_idle:.0f} |",
        f"| while YLK imports and rebuilds | {len(busy['latencies'])} | {len(busy['errors'])} | {pct(busy['latencies'], 50):.0f} | {p95_busy:.0f} |",
        "",
        f"p95 busy / idle: **{ratio:.2f}×** (target ≤ 2×). Errors: **{len(errors)}**; "
        f"server errors in the log: **{server_errors}**. Import job after {elapsed:.0f} s: {state}.",
        "",
    ]
    if errors:
        lines.append(f"First errors: {errors[:5]}")
    text = "\n".join(lines)
    print(text)
    out = ROOT / "docs" / "benchmarks" / "concurrency.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text + "\n")
    return 1 if errors or server_errors else 0


if __name__ == "__main__":
    sys.exit(main())
