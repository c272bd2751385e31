"""A realistic caseworker mix for `benchmarks/load_test.py` (locust)."""

from __future__ import annotations

import random
import re

from locust import HttpUser, constant_throughput, task

USERS = ["ylk_caseworker", "ylk_legal", "ntt_caseworker", "ntt_legal"]
NAMES = ["siti", "wayan", "made", "sari", "dewi", "putri", "nur", "budi"]


class Caseworker(HttpUser):
    wait_time = constant_throughput(1.0)

    def on_start(self) -> None:
        page = self.client.get("/accounts/login/", name="login page").text
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        self.client.post(
            "/accounts/login/",
            {
                "username": random.choice(USERS),
                "password": "lentera-demo",
                "csrfmiddlewaretoken": token,
            },
            headers={"Referer": self.host + "/accounts/login/"},
            name="login",
        )
        listing = self.client.get("/cases/", name="case list").text
        self.case_ids = [int(x) for x in re.findall(r'href="/cases/(\d+)/"', listing)] or [1]

    @task(5)
    def case_list(self) -> None:
        self.client.get("/cases/", name="case list")

    @task(3)
    def search(self) -> None:
        self.client.get(f"/cases/?q={random.choice(NAMES)}", name="search by name")

    @task(2)
    def filtered(self) -> None:
        self.client.get("/cases/?status=active&province=53", name="filtered list")

    @task(4)
    def detail(self) -> None:
        self.client.get(f"/cases/{random.choice(self.case_ids)}/", name="case detail")

    @task(1)
    def home(self) -> None:
        self.client.get("/", name="home")

    @task(1)
    def add_note(self) -> None:
        case_id = random.choice(self.case_ids)
        page = self.client.get(f"/cases/{case_id}/", name="case detail").text
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if match:
            self.client.post(
                f"/cases/{case_id}/notes/new/",
                {"body": "Tindak lanjut telepon.", "csrfmiddlewaretoken": match.group(1)},
                headers={"Referer": f"{self.host}/cases/{case_id}/"},
                name="add note",
            )
