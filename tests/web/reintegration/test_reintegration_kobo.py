"""Follow-up survey submissions fetched from the KoboToolbox API: a fake KoboToolbox server on
127.0.0.1 answers the data endpoint page by page; the token goes only to it and is never
stored; the rows are checked and recorded exactly like an export file's."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.test import Client

from lentera.errors import LenteraError
from lentera.web.audit.models import AuditEvent
from lentera.web.jobs.models import Job
from lentera.web.jobs.services import JobContext
from lentera.web.reintegration import imports
from lentera.web.reintegration.models import ReintegrationFollowUp, RssScore

pytestmark = pytest.mark.django_db
TOKEN = "tok-0123456789abcdef"


class FakeKobo:
    """Serves ``/api/v2/assets/<uid>/data/`` as two pages; records the requests."""

    def __init__(self, submissions: list[dict[str, Any]]) -> None:
        self.submissions = submissions
        self.seen: list[tuple[str, str]] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                fake.seen.append((self.path, self.headers.get("Authorization", "")))
                if self.headers.get("Authorization") != f"Token {TOKEN}":
                    self.send_response(401)
                    self.end_headers()
                    return
                second = "page=2" in self.path
                base = f"http://127.0.0.1:{fake.port}/api/v2/assets/aRss123/data/?format=json"
                body = {
                    "count": len(fake.submissions),
                    "next": None if second else base + "&page=2",
                    "results": fake.submissions[1:] if second else fake.submissions[:1],
                }
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def kobo(plan: Any, settings: Any) -> Iterator[FakeKobo]:
    settings.LENTERA_KOBO_SERVERS = ["127.0.0.1"]
    f0 = plan.followups.get(months=0)
    server = FakeKobo(
        [
            {"_id": 1, "meta/instanceID": "uuid:1", "start": "2025-02-02T09:00:00",
             "group_visit/survivor": f"RF-{f0.pk}", "group_visit/visit_date": "2025-02-02",
             "group_visit/outcome": "completed", "economic/work": "regular"},
            {"_id": 2, "group_visit/survivor": plan.case.reference,
             "group_visit/visit_date": "2025-05-03", "group_visit/outcome": "not_reached"},
        ]
    )  # fmt: skip
    yield server
    server.close()


def test_fetch_checks_then_records_both_pages(plan: Any, worker_a: Any, kobo: FakeKobo) -> None:
    fetched = imports.submissions_download(
        actor=worker_a, server_url=kobo.url, asset_uid="aRss123", token=TOKEN
    )
    assert TOKEN.encode() not in fetched

    def check_and_record(dry_run: bool) -> Any:
        return imports.submissions_import(
            actor=worker_a, filename=imports.FETCHED_NAME, content=fetched,
            dry_run=dry_run, fetched=True,
        )  # fmt: skip

    dry = check_and_record(True)
    assert dry.rows == 2 and dry.matched == 2 and not dry.problems and not dry.written
    assert not ReintegrationFollowUp.objects.exclude(outcome="").exists()
    assert [p for p, _ in kobo.seen] == [
        "/api/v2/assets/aRss123/data/?format=json",
        "/api/v2/assets/aRss123/data/?format=json&page=2",
    ]
    report = check_and_record(False)
    assert report.written and report.scored == 1
    assert plan.followups.get(months=3).outcome == "not_reached"
    assert RssScore.objects.get(followup=plan.followups.get(months=0)).answers["economic.work"]
    # the token is stored nowhere: not in the audit log, not in a job
    assert not AuditEvent.objects.filter(detail__icontains=TOKEN).exists()
    assert not Job.objects.exists()


def test_wrong_token_and_server_not_allowed_are_refused(
    plan: Any, worker_a: Any, kobo: FakeKobo, settings: Any
) -> None:
    with pytest.raises(LenteraError) as exc:
        imports.submissions_download(
            actor=worker_a, server_url=kobo.url, asset_uid="aRss123", token="wrong"
        )
    assert exc.value.code == "kobo_http" and exc.value.kind == "forbidden"
    assert "401" in exc.value.message
    settings.LENTERA_KOBO_SERVERS = ["kf.kobotoolbox.org"]
    seen = len(kobo.seen)
    with pytest.raises(LenteraError) as exc:
        imports.submissions_download(
            actor=worker_a, server_url=kobo.url, asset_uid="aRss123", token=TOKEN
        )
    assert exc.value.code == "kobo_host" and len(kobo.seen) == seen  # never asked


def test_import_page_fetches_with_the_kobo_form(
    plan: Any, worker_a: Any, kobo: FakeKobo, run_queued: Any
) -> None:
    client = Client()
    client.force_login(worker_a)
    page = client.get("/reintegration/import/").content.decode()
    assert 'id="kobo-fetch"' in page and 'name="token"' in page
    form = {"source": "kobo", "server_url": kobo.url, "asset_uid": "aRss123", "token": TOKEN}
    r = client.post("/reintegration/import/", form)
    # fetched here; checked and written by the worker's import job, which never sees the token
    assert r.status_code == 302 and "/jobs/" in r["Location"]
    job = Job.objects.get(kind="reintegration_import")
    assert job.params["fetched"] is True and TOKEN not in json.dumps(job.params)
    assert TOKEN.encode() not in JobContext(job).input_bytes()
    assert plan.followups.get(months=3).outcome == ""  # nothing written in the request
    (job,) = run_queued()
    assert job.status == "succeeded", job.error_message
    assert job.result["written"] and job.result["matched"] == 2
    assert plan.followups.get(months=3).outcome == "not_reached"  # dry_run unticked: written
    assert TOKEN not in client.get(r["Location"]).content.decode()
    bad = client.post("/reintegration/import/", {**form, "token": "wrong", "dry_run": "on"})
    assert bad.status_code == 400 and "401" in bad.content.decode()
