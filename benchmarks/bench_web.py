"""Benchmark: case list and search latency under 20 concurrent clients.

One command:  .venv/bin/python benchmarks/bench_web.py [--cases 100000] [--requests 400]

Seeds N synthetic cases (one survivor each, encrypted like real data) into a
fresh SQLite data directory (or DATABASE_URL if set), starts `lentera serve`
with the production settings, logs in, and measures client-side latency of
the case list, name / NIK / case-number searches and a filtered list, beside a
trivial Django view (`/ping`) served by the same server in the same run. Also
measures the first-load page weight of the case list (gzip, HTML + CSS + JS).
Writes a markdown block to stdout and to docs/benchmarks/web.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import http.client
import json
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

from _harness import instance_env

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "bench-password-2026"  # noqa: S105 - throwaway benchmark instance


def seed(n_cases: int, seed: int = 1) -> dict[str, str]:
    """Bulk-insert synthetic cases; returns sample search terms."""
    import django

    django.setup()
    from django.db import transaction

    from lentera import linkage, reference
    from lentera.reference import names
    from lentera.web.accounts.services import organisation_create, user_create
    from lentera.web.cases.blind_index import NAME_PURPOSE, nik_hash
    from lentera.web.cases.models import (
        Case,
        CaseCounter,
        CaseSurvivor,
        CaseTag,
        Person,
        PersonNameToken,
    )
    from lentera.web.cases.services.cases import case_tags
    from lentera.web.core import crypto

    rng = random.Random(seed)
    org = organisation_create(actor=None, name="Bench NGO", code="BNCH", org_type="ngo")
    other = organisation_create(actor=None, name="Other NGO", code="OTHR", org_type="ngo")
    user = user_create(
        actor=None,
        username="bench",
        password=PASSWORD,
        organisation=org,
        role="caseworker",
        check_password=False,
    )
    provinces = sorted(reference.provinces())
    types = [
        "forced_labour",
        "sexual_exploitation",
        "forced_criminality",
        "forced_marriage",
        "child_labour",
    ]
    samples: dict[str, str] = {}
    batch = 5000
    with transaction.atomic():
        for start in range(0, n_cases, batch):
            cases, persons, links, tokens = [], [], [], []
            tags: list[tuple[str, str]] = []  # (province, exploitation type) per case
            for i in range(start, min(n_cases, start + batch)):
                owner_org = org if i % 10 else other
                opened = dt.date(2019, 1, 1) + dt.timedelta(days=rng.randint(0, 2500))
                prov = rng.choice(provinces)
                etype = rng.choice(types)
                sex = rng.choice(["female", "male"])
                name = names.synthetic_name(rng, sex, names.group_for_province(prov))
                nik = f"{prov}01{rng.randint(1, 20):02d}{rng.randint(1, 28) + (40 if sex == 'female' else 0):02d}{rng.randint(1, 12):02d}{rng.randint(60, 99)}{rng.randint(1, 9999):04d}"
                ref = f"{owner_org.code}-{opened.year}-{i + 1:06d}"
                tags.append((prov, etype))
                cases.append(
                    Case(
                        organisation=owner_org,
                        reference=ref,
                        status=rng.choice(["active", "follow_up", "closed"]),
                        owner=user,
                        created_by=user,
                        opened_on=opened,
                        summary="Ringkasan kasus sintetis untuk benchmark.",
                    )
                )
                persons.append(
                    Person(
                        organisation=owner_org,
                        full_name=name,
                        nik=nik,
                        nik_index=nik_hash(nik),
                        sex=sex,
                        origin_province_code=prov,
                        created_by=user,
                        phone="081200000000",
                    )
                )
                if owner_org is org and i % 997 == 1:
                    samples.setdefault("name", name)
                    samples.setdefault("nik", nik)
                    samples.setdefault("reference", ref)
            Case.objects.bulk_create(cases)
            Person.objects.bulk_create(persons)
            for case, person, (_prov, etype) in zip(cases, persons, tags, strict=True):
                links.append(CaseSurvivor(case=case, person=person, exploitation_types=[etype]))
                for token in set(linkage.search_tokens(person.full_name)):
                    tokens.append(
                        PersonNameToken(
                            person=person,
                            organisation_id=person.organisation_id,
                            token_hash=crypto.blind_index(token, purpose=NAME_PURPOSE),
                        )
                    )
            CaseSurvivor.objects.bulk_create(links)
            CaseTag.objects.bulk_create(
                [
                    tag
                    for c, (prov, etype) in zip(cases, tags, strict=True)
                    for tag in case_tags(c, [prov], [etype])
                ]
            )
            PersonNameToken.objects.bulk_create(tokens, ignore_conflicts=True)
        CaseCounter.objects.create(organisation=org, year=2026, last=n_cases)
    # the key the 49th "next" link carries: what page 50 of the list asks for
    deep = Case.objects.filter(organisation=org).order_by("-opened_on", "-id")
    day, pk = deep.values_list("opened_on", "id")[min(49 * 25, deep.count()) - 1]
    samples["deep_key"] = f"{day.isoformat()}.{pk}"
    return samples


class Session:
    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(
        self,
        conn: http.client.HTTPConnection,
        method: str,
        path: str,
        body: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, bytes, dict[str, str]]:
        h = {"Host": "127.0.0.1", "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        h.update(headers or {})
        conn.request(method, path, body=body, headers=h)
        r = conn.getresponse()
        data = r.read()
        for k, v in r.getheaders():
            if k.lower() == "set-cookie":
                name, _, rest = v.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        return r.status, data, {k.lower(): v for k, v in r.getheaders()}

    def login(self) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        _s, page, _h = self.request(conn, "GET", "/accounts/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
        body = urllib.parse.urlencode(
            {"username": "bench", "password": PASSWORD, "csrfmiddlewaretoken": token}
        )
        status, _d, _h = self.request(
            conn,
            "POST",
            "/accounts/login/",
            body,
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"http://127.0.0.1:{self.port}/accounts/login/",
            },
        )
        assert status == 302, f"login failed: {status}"


def load(session: Session, paths: list[str], clients: int, requests: int) -> list[float]:
    latencies: list[float] = []
    lock = threading.Lock()
    per_client = max(1, requests // clients)
    errors: list[int] = []

    def worker(k: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", session.port, timeout=60)
        local = []
        for j in range(per_client):
            path = paths[(k + j) % len(paths)]
            t0 = time.perf_counter()
            status, _data, _h = session.request(conn, "GET", path)
            local.append(time.perf_counter() - t0)
            if status != 200:
                errors.append(status)
        with lock:
            latencies.extend(local)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise SystemExit(f"{len(errors)} non-200 responses, e.g. {errors[:5]}")
    return latencies


def pct(values: list[float], p: float) -> float:
    return statistics.quantiles(values, n=100)[int(p) - 1] * 1000


def page_weight(session: Session) -> tuple[int, dict[str, int]]:
    conn = http.client.HTTPConnection("127.0.0.1", session.port, timeout=30)
    _s, html, headers = session.request(conn, "GET", "/cases/", headers={"Accept-Encoding": "gzip"})
    sizes = {
        "html": len(html) if headers.get("content-encoding") == "gzip" else len(gzip.compress(html))
    }
    raw = gzip.decompress(html) if headers.get("content-encoding") == "gzip" else html
    for asset in re.findall(rb'(?:href|src)="(/static/[^"]+)"', raw):
        _s, body, h = session.request(
            conn, "GET", asset.decode(), headers={"Accept-Encoding": "gzip"}
        )
        sizes[asset.decode().rsplit("/", 1)[-1]] = (
            len(body) if h.get("content-encoding") == "gzip" else len(gzip.compress(body))
        )
    return sum(sizes.values()), sizes


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=400, help="requests per scenario")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--out", default=str(ROOT / "docs" / "benchmarks" / "web.md"))
    parser.add_argument(
        "--data-dir",
        help="serve a data directory seeded before (bench_web_cpu.py's, with its samples.json)",
    )
    args = parser.parse_args()

    data_dir = Path(args.data_dir or tempfile.mkdtemp(prefix="lentera-bench-"))
    env = dict(os.environ)
    env.update(instance_env(data_dir))
    os.environ.update(env)
    lentera = str(Path(sys.executable).with_name("lentera"))
    subprocess.run([lentera, "migrate"], check=True, env=env, capture_output=True)
    t0 = time.perf_counter()
    if args.data_dir:
        samples = json.loads((data_dir / "samples.json").read_text())
    else:
        samples = seed(args.cases)
    seed_s = time.perf_counter() - t0
    log = (data_dir / "server.log").open("w")
    server = subprocess.Popen(
        [lentera, "serve", "--port", str(args.port), "--workers", "2", "--threads", "4"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        for _ in range(600):  # up to two minutes: a loaded machine starts gunicorn slowly
            try:
                http.client.HTTPConnection("127.0.0.1", args.port, timeout=1).request(
                    "GET", "/healthz"
                )
                break
            except OSError:
                time.sleep(0.2)
        session = Session(args.port)
        session.login()
        q = urllib.parse.quote
        scenarios = {
            "trivial view /ping (baseline)": ["/ping"],
            "case list, page 1": ["/cases/"],
            "case list, page 50": [f"/cases/?after={samples['deep_key']}"],
            "search by name": [f"/cases/?q={q(samples['name'])}"],
            "search by NIK": [f"/cases/?q={samples['nik']}"],
            "search by case number": [f"/cases/?q={samples['reference']}"],
            "filter province + type": ["/cases/?province=53&exploitation_type=forced_labour"],
        }
        for paths in scenarios.values():  # warm-up
            load(session, paths, 4, 8)
        results = {}
        for label, paths in scenarios.items():
            lat = load(session, paths, args.clients, args.requests)
            results[label] = (pct(lat, 50), pct(lat, 95), len(lat))
        weight, parts = page_weight(session)
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
    base95 = results["trivial view /ping (baseline)"][1]
    lines = [
        f"## Case list and search under {args.clients} concurrent clients",
        "",
        f"Run {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC on {platform.node()} ({os.cpu_count()} vCPU, {platform.processor() or platform.machine()}), Python {platform.python_version()}, "
        f"{'SQLite' if 'DATABASE_URL' not in os.environ else os.environ['DATABASE_URL'].split(':')[0]}, production settings, `lentera serve` (gunicorn 2 workers × 4 threads), client on the same machine.",
        f"Seeded {args.cases:,} cases with one encrypted survivor each in {seed_s:.0f} s. Command: `.venv/bin/python benchmarks/bench_web.py --cases {args.cases} --requests {args.requests}`.",
        "",
        "| scenario | requests | p50 ms | p95 ms | p95 ÷ trivial p95 |",
        "|---|---:|---:|---:|---:|",
    ]
    for label, (p50, p95, n) in results.items():
        lines.append(f"| {label} | {n} | {p50:.1f} | {p95:.1f} | {p95 / base95:.2f} |")
    lines += [
        "",
        f"Case list first load (gzip): **{weight / 1024:.1f} KB** — "
        + ", ".join(f"{k} {v / 1024:.1f} KB" for k, v in parts.items()),
        "",
    ]
    text = "\n".join(lines)
    print(text)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
