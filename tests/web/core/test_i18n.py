"""Bahasa Indonesia is complete; English is the source; catalogues compile without GNU gettext."""

from __future__ import annotations

from pathlib import Path

from babel.messages.pofile import read_po

from lentera.web.core.i18n import LOCALE_DIR, compile_messages


def _catalog(lang: str):  # type: ignore[no-untyped-def]
    with (LOCALE_DIR / lang / "LC_MESSAGES" / "django.po").open("rb") as fh:
        return read_po(fh, locale=lang)


def test_indonesian_catalogue_is_complete() -> None:
    catalog = _catalog("id")
    entries = [m for m in catalog if m.id]
    assert len(entries) > 300
    missing = [
        m.id for m in entries if not (all(m.string) if isinstance(m.string, tuple) else m.string)
    ]
    fuzzy = [m.id for m in entries if m.fuzzy]
    assert not missing, f"untranslated: {missing[:20]}"
    assert not fuzzy, f"fuzzy: {fuzzy[:20]}"


def test_legal_terms_of_art_are_kept() -> None:
    """Indonesian legal terms stay as they are (UPTD PPA, LPSK, Pasal …)."""
    catalog = _catalog("id")
    for message in catalog:
        if not message.id or isinstance(message.id, tuple):
            continue
        for term in ("UPTD PPA", "LPSK", "NIK", "P3MI"):
            if term in message.id:
                assert term in message.string, (message.id, message.string)


def test_placeholders_survive_translation() -> None:
    import re

    catalog = _catalog("id")
    for message in catalog:
        if not message.id or isinstance(message.id, tuple):
            continue
        source = sorted(re.findall(r"%\(\w+\)[sd]|\{\{\s*\w+\s*\}\}", message.id))
        target = sorted(re.findall(r"%\(\w+\)[sd]|\{\{\s*\w+\s*\}\}", message.string))
        assert source == target, (message.id, message.string)


def test_compile_messages_pure_python(tmp_path: Path) -> None:
    import shutil

    target = tmp_path / "locale"
    shutil.copytree(LOCALE_DIR, target, ignore=shutil.ignore_patterns("*.mo"))
    written = compile_messages(target)
    assert {p.parts[-3] for p in written} == {"id", "en"}
    assert all(p.stat().st_size > 100 for p in written)


def test_catalogue_has_every_source_string(tmp_path: Path) -> None:
    """No user-facing string is missing from the catalogue (runs makemessages on a copy; needs GNU gettext)."""
    import os
    import shutil
    import subprocess
    import sys

    if shutil.which("xgettext") is None:
        import pytest

        pytest.skip("GNU gettext not installed")
    web = LOCALE_DIR.parent
    copy = tmp_path / "web"
    shutil.copytree(web, copy, ignore=shutil.ignore_patterns("*.mo", "__pycache__"))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "lentera.web.config.settings.test"}
    code = "import django; django.setup(); from django.core.management import call_command; call_command('makemessages', locale=['id'], no_obsolete=True, no_location=True, verbosity=0)"
    subprocess.run([sys.executable, "-c", code], cwd=copy, env=env, check=True, capture_output=True)
    with (copy / "locale" / "id" / "LC_MESSAGES" / "django.po").open("rb") as fh:
        fresh = {m.id for m in read_po(fh) if m.id}
    current = {m.id for m in _catalog("id") if m.id}
    assert fresh - current == set(), (
        f"run `make messages` and translate: {sorted(map(str, fresh - current))[:10]}"
    )
