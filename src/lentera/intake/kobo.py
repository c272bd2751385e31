"""Fetching submissions from the KoboToolbox API (``/api/v2/assets/{uid}/data/?format=json``).

Pages are followed through ``next`` on the same server only, so the token is
never sent elsewhere. The HTTP call is one function (``fetch``) that tests
replace with recorded responses; the default uses :mod:`urllib.request`.
"""

from __future__ import annotations

import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from typing import Any

from lentera.errors import LenteraError
from lentera.intake.messages import message
from lentera.intake.reading import IntakeFileError, load_json

__all__ = ["Fetch", "KoboError", "fetch_submissions", "first_page_url", "urllib_fetch"]

#: (url, headers) → (HTTP status, body bytes)
Fetch = Callable[[str, Mapping[str, str]], tuple[int, bytes]]
MAX_PAGES = 1000
TIMEOUT = 60
_ASSET_RE = re.compile(r"^[A-Za-z0-9]{4,64}$")


class KoboError(LenteraError):
    """The KoboToolbox API could not be read; ``code`` and ``params`` name why."""

    def __init__(self, code: str, *, kind: str = "invalid", **params: Any) -> None:
        super().__init__(code, message(code, "en", params), kind=kind, params=params)


def urllib_fetch(url: str, headers: Mapping[str, str]) -> tuple[int, bytes]:
    """GET ``url`` with ``headers``; (status, body). Network failures raise :class:`KoboError`."""
    request = urllib.request.Request(url, headers=dict(headers), method="GET")  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310
            return int(response.status), response.read()
    except urllib.error.HTTPError as exc:
        return int(exc.code), b""
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise KoboError("kobo_network", kind="unavailable", detail=str(reason)) from exc


def first_page_url(server_url: str, asset_uid: str) -> str:
    """The data URL of an asset; refuses anything but an http(s) server and a plain asset uid."""
    parts = urllib.parse.urlsplit((server_url or "").strip())
    if parts.scheme not in {"https", "http"} or not parts.netloc:
        raise KoboError("kobo_url")
    if not _ASSET_RE.match(asset_uid or ""):
        raise KoboError("kobo_url")
    base = f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"
    return f"{base}/api/v2/assets/{asset_uid}/data/?format=json"


def fetch_submissions(
    server_url: str,
    asset_uid: str,
    token: str,
    *,
    fetch: Fetch | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[dict[str, Any]]:
    """All submissions of an asset, following ``next`` page by page."""
    token = (token or "").strip()
    if not token:
        raise KoboError("kobo_token")
    fetch = fetch or urllib_fetch
    url: str | None = first_page_url(server_url, asset_uid)
    origin = urllib.parse.urlsplit(url)[:2]
    headers = {"Authorization": f"Token {token}", "Accept": "application/json"}
    submissions: list[dict[str, Any]] = []
    pages = 0
    while url:
        if urllib.parse.urlsplit(url)[:2] != origin:
            raise KoboError("kobo_next_host")
        pages += 1
        if pages > MAX_PAGES:
            raise KoboError("too_many_rows", limit=MAX_PAGES)
        status, body = fetch(url, headers)
        if status != 200:
            kind = "forbidden" if status in {401, 403} else "unavailable"
            raise KoboError("kobo_http", kind=kind, status=status)
        try:
            page = load_json(body.decode("utf-8-sig"))
        except UnicodeDecodeError as exc:
            raise KoboError("json_unreadable", detail=str(exc)[:100]) from exc
        except IntakeFileError as exc:  # too deep, a number Python will not read, bad JSON
            raise KoboError(exc.code, **exc.params) from exc
        if not isinstance(page, dict) or not isinstance(page.get("results"), list):
            raise KoboError("json_shape")
        submissions.extend(page["results"])
        if progress is not None:
            progress(len(submissions), int(page.get("count") or len(submissions)))
        url = page.get("next") or None
    return submissions
