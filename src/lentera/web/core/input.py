"""One gate for malformed input, before any view: a clear 400, never a 500.

Refused, naming the field: lone UTF-16 surrogates, control characters other than tab
and line breaks (they cannot be stored in XML, so they break DOCX and PDF exports),
JSON nested deeper than :data:`MAX_DEPTH`, integers longer than :data:`MAX_INT_DIGITS`
digits, non-finite numbers, bodies that are not UTF-8, and single values longer than
``LENTERA_MAX_FIELD_CHARS``. Applies to query strings, form posts and JSON bodies alike.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from lentera.csvsafe import CONTROL_RE

#: characters no input may hold: what XML 1.0 cannot hold (C0 controls except tab/LF/CR,
#: surrogates, U+FFFE/U+FFFF) and DEL; one definition for every path (lentera.csvsafe)
XML_UNSAFE = CONTROL_RE
MAX_DEPTH = 32
MAX_INT_DIGITS = 18
DEFAULT_MAX_FIELD_CHARS = 20_000


class BadInput(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def xml_safe(text: str) -> str:
    """``text`` without the characters XML (DOCX, PDF) cannot hold."""
    return XML_UNSAFE.sub("", text)


def check_text(field: str, value: str) -> None:
    limit = int(getattr(settings, "LENTERA_MAX_FIELD_CHARS", DEFAULT_MAX_FIELD_CHARS))
    if len(value) > limit:
        raise BadInput(
            field, _("%(field)s is longer than %(n)s characters.") % {"field": field, "n": limit}
        )
    bad = XML_UNSAFE.search(value)
    if bad:
        raise BadInput(
            field,
            _("%(field)s contains a character that cannot be stored (code %(code)s).")
            % {"field": field, "code": f"U+{ord(bad.group()):04X}"},
        )


def _parse_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise BadInput("", _("A number in the request is too large."))
    return int(text)


def _parse_float(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")) or value != value:
        raise BadInput("", _("A number in the request is too large."))
    return value


def _reject_constant(text: str) -> Any:
    raise BadInput("", _("NaN and Infinity are not numbers Lentera accepts."))


def _walk(value: Any, path: str, depth: int) -> Iterator[tuple[str, str]]:
    if depth > MAX_DEPTH:
        raise BadInput(path or "(body)", _("The request is nested too deeply."))
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield path + ".key", str(key)
            yield from _walk(item, f"{path}.{key}" if path else str(key), depth + 1)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _walk(item, f"{path}.{i}" if path else str(i), depth + 1)


def check_json_body(body: bytes) -> None:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadInput("(body)", _("The request body is not UTF-8 text.")) from exc
    # a cheap bound before parsing: json.loads recurses once per bracket
    if text.count("[") + text.count("{") > 10 * MAX_DEPTH and _depth(text) > MAX_DEPTH:
        raise BadInput("(body)", _("The request is nested too deeply."))
    try:
        data = json.loads(
            text, parse_int=_parse_int, parse_float=_parse_float, parse_constant=_reject_constant
        )
    except BadInput:
        raise
    except (ValueError, RecursionError):
        return  # not JSON: the view answers with its own 400/422
    for field, value in _walk(data, "", 0):
        check_text(field, value)


def _depth(text: str) -> int:
    depth = deepest = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
    return deepest


def check_request(request: HttpRequest) -> None:
    for key, values in request.GET.lists():
        check_text(key, key)
        for value in values:
            check_text(key, value)
    if request.method not in ("POST", "PUT", "PATCH"):
        return
    ctype = request.content_type or ""
    if ctype == "application/json" or (
        request.path.startswith("/api/") and ctype != "multipart/form-data"
    ):
        check_json_body(request.body)
    elif ctype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        for key, values in request.POST.lists():
            check_text(key, key)
            for value in values:
                check_text(key, value)


class InputSanityMiddleware:
    """Refuse malformed input with a 400 that names the field (see the module docstring)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            check_request(request)
        except BadInput as exc:
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"code": "invalid_input", "message": exc.message, "field": exc.field or None},
                    status=400,
                )
            return render(
                request, "core/error.html", {"status": 400, "message": exc.message}, status=400
            )
        return self.get_response(request)
