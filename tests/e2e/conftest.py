"""End-to-end browser tests: a real ``lentera serve`` on demo data, driven by Debian's Chromium.

Run with ``LENTERA_E2E=1 pytest tests/e2e -p no:xdist`` (``make test-e2e``). Without
``LENTERA_E2E=1`` nothing in this directory is collected, so ``make test`` never starts a
server or a browser; with it, the tests are skipped (with the reason) when Playwright or
Chromium is missing.

One server per test session: a fresh temporary ``LENTERA_DATA_DIR``, ``lentera migrate``,
``lentera demo --scale 0.1`` (synthetic data), ``lentera serve`` on a free port. Each
demo user logs in through the real login form (and TOTP two-factor where the role needs it)
once; later browser contexts reuse that session's cookies.

Environment:
    LENTERA_E2E=1             run these tests
    LENTERA_E2E_CHROMIUM      the browser (default /usr/bin/chromium)
    LENTERA_E2E_SHOTS         where screenshots go (default var/e2e-screenshots)
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import signal
import socket
import struct
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

E2E_DIR = Path(__file__).resolve().parent
REPO = E2E_DIR.parents[1]
AXE_JS = E2E_DIR / "vendor" / "axe.min.js"
CHROMIUM = os.environ.get("LENTERA_E2E_CHROMIUM", "/usr/bin/chromium")
SHOTS = Path(os.environ.get("LENTERA_E2E_SHOTS") or REPO / "var" / "e2e-screenshots")
PASSWORD = "lentera-demo"  # the printed demo password; the data is synthetic
PHONE = {"width": 360, "height": 800}
DESKTOP = {"width": 1280, "height": 800}
LOCAL_HOSTS = {"127.0.0.1", "localhost"}

if os.environ.get("LENTERA_E2E") != "1":
    collect_ignore_glob = ["test_e2e_*.py"]


def totp(secret_b32: str, step: int) -> str:
    """RFC 6238 TOTP (HMAC-SHA1, 30-second steps, 6 digits) for time step ``step``."""
    key = base64.b32decode(secret_b32 + "=" * (-len(secret_b32) % 8), casefold=True)
    digest = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 1_000_000:06d}"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _server_env(data_dir: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "LENTERA_KEYS", "LENTERA_KEY_FILE", "DJANGO_SECRET_KEY"}
    }
    env.update(
        LENTERA_DATA_DIR=str(data_dir),
        DJANGO_SETTINGS_MODULE="lentera.web.config.settings.local",
        LENTERA_DEBUG="0",
        PYTHONUNBUFFERED="1",
    )
    return env


@pytest.fixture(scope="session")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A served Lentera with the demo data (scale 0.1); yields its base URL, stops it after."""
    data_dir = tmp_path_factory.mktemp("lentera-e2e")
    env = _server_env(data_dir)
    lentera = str(Path(sys.executable).with_name("lentera"))
    log = data_dir / "server.log"
    # the worker's first run does what the schedule has due (the analytics figures among it)
    for args in (["migrate"], ["demo", "--scale", "0.1"], ["worker", "--once"]):
        done = subprocess.run(
            [lentera, *args], env=env, capture_output=True, text=True, timeout=300, check=False
        )
        if done.returncode:
            pytest.fail(f"lentera {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    port = _free_port()
    with log.open("w") as out:
        proc = subprocess.Popen(
            [lentera, "serve", "--port", str(port), "--workers", "2", "--threads", "4"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                pytest.fail(f"lentera serve exited:\n{log.read_text()}")
            try:
                with urllib.request.urlopen(f"{url}/healthz", timeout=2) as r:  # noqa: S310
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"lentera serve did not answer within 60 s:\n{log.read_text()}")
            time.sleep(0.3)
        yield url
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def run_worker_once(tmp_path_factory: pytest.TempPathFactory) -> None:
    """What `lentera worker --once` does for the served instance (the session's data dir)."""
    data_dir = sorted(tmp_path_factory.getbasetemp().glob("lentera-e2e*"))[-1]
    lentera = str(Path(sys.executable).with_name("lentera"))
    done = subprocess.run(
        [lentera, "worker", "--once"],
        env=_server_env(data_dir),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium, headless, through Playwright (no ``playwright install``)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install -y chromium)")
    with sync_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, headless=True)
        yield chromium
        chromium.close()


@dataclass
class App:
    """The served app as the tests see it: contexts per user and language, TOTP, screenshots, axe."""

    base_url: str
    browser: Any
    sessions: dict[str, dict[str, Any]] = field(default_factory=dict)
    secrets: dict[str, str] = field(default_factory=dict)
    last_step: dict[str, int] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)
    server_errors: list[str] = field(default_factory=list)

    def new_context(self, *, lang: str | None = "id", viewport: dict[str, int] | None = None,
                    state: dict[str, Any] | None = None) -> Any:  # fmt: skip
        """A fresh browser context; every request URL and every 5xx answer is recorded."""
        context = self.browser.new_context(
            base_url=self.base_url,
            viewport=viewport or DESKTOP,
            storage_state=state,
            locale="en-US",
            accept_downloads=True,
        )
        context.set_default_timeout(15_000)
        context.on("request", lambda request: self.requests.append(request.url))
        context.on("response", self._record_server_error)
        if lang:
            context.add_cookies([{"name": "lentera_language", "value": lang, "url": self.base_url}])
        return context

    def _record_server_error(self, response: Any) -> None:
        if response.status >= 500:
            self.server_errors.append(f"{response.status} {response.request.method} {response.url}")

    def page_as(self, user: str | None, *, lang: str = "id",
                viewport: dict[str, int] | None = None) -> Any:  # fmt: skip
        """A page in a new context, logged in as ``user`` (None: anonymous)."""
        state = self.session_of(user) if user else None
        return self.new_context(lang=lang, viewport=viewport, state=state).new_page()

    def session_of(self, user: str) -> dict[str, Any]:
        """Cookies of a logged-in (and, for 2FA roles, verified) session of ``user``."""
        if user not in self.sessions:
            context = self.new_context()
            page = context.new_page()
            self.log_in(page, user)
            self.sessions[user] = context.storage_state()
            context.close()
        return self.sessions[user]

    def next_code(self, user: str) -> str:
        """A TOTP code the server has not seen yet for ``user`` (codes are single-use)."""
        now = int(time.time() // 30)
        step = max(now, self.last_step.get(user, -1) + 1)
        if step > now + 1:  # the server accepts one step of drift, no more
            time.sleep((step - 1) * 30 - time.time() + 0.5)
        self.last_step[user] = step
        return totp(self.secrets[user], step)

    def log_in(self, page: Any, user: str) -> None:
        """Log in through the form, enrolling or verifying TOTP when the server asks."""
        page.goto("/accounts/login/")
        page.fill("#id_username", user)
        page.fill("#id_password", PASSWORD)
        with page.expect_navigation():
            page.locator("main form button[type=submit]").click()
        if "/accounts/2fa/setup/" in page.url:
            self.secrets[user] = page.locator("main code").inner_text().strip()
        if "/accounts/2fa/" in page.url:
            page.fill("#token", self.next_code(user))
            with page.expect_navigation():
                page.locator("main form button[type=submit]").click()
        if page.locator("main ul.codes").count():  # recovery codes, shown once after enrolment
            with page.expect_navigation():
                page.locator("main a.button").click()
        assert "/accounts/" not in page.url, f"{user} is not logged in: {page.url}"

    def shot(self, page: Any, name: str) -> Path:
        """A viewport screenshot (small PNG) into the screenshot directory."""
        SHOTS.mkdir(parents=True, exist_ok=True)
        path = SHOTS / f"{name}.png"
        page.screenshot(path=str(path))
        return path

    def axe(self, page: Any) -> list[dict[str, Any]]:
        """The serious and critical axe-core violations on the current page (WCAG 2.x A/AA)."""
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            page.evaluate(AXE_SOURCE.get())
        result = page.evaluate(
            """async () => {
                const r = await axe.run(document, {
                    runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa',
                                                     'best-practice']},
                    resultTypes: ['violations'],
                });
                return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                    nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' :: ' +
                                                         n.failureSummary)}));
            }"""
        )
        return [v for v in result if v["impact"] in {"serious", "critical"}]


class _Lazy:
    """The axe-core source, read once."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.text: str | None = None

    def get(self) -> str:
        if self.text is None:
            self.text = self.path.read_text(encoding="utf-8")
        return self.text


AXE_SOURCE = _Lazy(AXE_JS)


@pytest.fixture(scope="session")
def app(base_url: str, browser: Any) -> App:
    """The served app, with the helpers every e2e test uses."""
    return App(base_url=base_url, browser=browser)


@pytest.fixture(autouse=True)
def _no_request_leaves_localhost(request: pytest.FixtureRequest) -> Iterator[None]:
    """Every request a test's browser makes goes to the local server (no CDN, no tracker),
    and the server answers none of them with a 5xx error."""
    if "app" not in request.fixturenames:
        yield
        return
    app: App = request.getfixturevalue("app")
    app.requests.clear()
    app.server_errors.clear()
    yield
    assert not app.server_errors, f"server errors: {app.server_errors}"
    foreign = [
        u
        for u in app.requests
        if urlparse(u).scheme not in {"data", "blob", "about"}
        and urlparse(u).hostname not in LOCAL_HOSTS
    ]
    assert not foreign, f"requests left localhost: {foreign}"
