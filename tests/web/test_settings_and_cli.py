"""Production settings refuse unsafe configurations; the CLI verbs work."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import pytest

from lentera.cli import main


def _import_production(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    full = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_SECRET_KEY", "LENTERA_DEBUG", "LENTERA_ALLOWED_HOSTS"}
    }
    full.update(env)
    full["DJANGO_SETTINGS_MODULE"] = "lentera.web.config.settings.production"
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=full,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_refuses_without_secret_key() -> None:
    result = _import_production({"LENTERA_ALLOWED_HOSTS": "lentera.example.org"})
    assert result.returncode != 0 and "DJANGO_SECRET_KEY" in result.stderr


def test_production_refuses_debug() -> None:
    result = _import_production(
        {"DJANGO_SECRET_KEY": "x" * 50, "LENTERA_DEBUG": "1", "LENTERA_ALLOWED_HOSTS": "a"}
    )
    assert result.returncode != 0 and "DEBUG" in result.stderr


def test_production_starts_when_configured() -> None:
    result = _import_production(
        {"DJANGO_SECRET_KEY": "x" * 50, "LENTERA_ALLOWED_HOSTS": "lentera.example.org"}
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.django_db
def test_demo_is_deterministic_and_idempotent(capsys: Any) -> None:
    from lentera.web.cases.models import Case, Person
    from lentera.web.demo import load_demo

    first = load_demo(seed=7, scale=0.1)
    assert first.created and first.cases == 30
    names = sorted(p.full_name for p in Person.objects.all())
    assert load_demo(seed=7, scale=0.1).created is False
    assert Case.objects.count() == 30
    assert len(set(names)) > 20
    assert len({c.organisation_id for c in Case.objects.all()}) == 2


@pytest.mark.django_db
def test_createuser_cli(monkeypatch: Any, capsys: Any) -> None:
    monkeypatch.setenv("LENTERA_NEW_PASSWORD", "kata-sandi-yang-panjang-2026")
    assert (
        main(
            [
                "createuser",
                "rina",
                "--org",
                "NEWO",
                "--org-name",
                "Yayasan Baru",
                "--role",
                "supervisor",
                "--api-token",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "created user rina" in out and "lnt_" in out
    assert main(["createuser", "rina", "--org", "NEWO", "--role", "supervisor"]) == 5  # conflict
    assert main(["createuser", "budi", "--org", "NOPE", "--role", "caseworker"]) == 3  # not found


def test_collectstatic_with_manifest_storage(tmp_path: Any, settings: Any) -> None:
    """The production static pipeline finds and hashes every asset the templates use."""
    import json as _json

    from django.core.management import call_command

    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    manifest = _json.loads((tmp_path / "static" / "staticfiles.json").read_text())["paths"]
    for asset in ("lentera/lentera.css", "lentera/vendor/htmx.min.js", "lentera/favicon.svg"):
        assert asset in manifest


def test_check_deploy_is_clean() -> None:
    """`manage.py check --deploy` reports nothing for the production settings."""
    env = {k: v for k, v in os.environ.items() if k not in {"LENTERA_DEBUG"}}
    env.update(
        DJANGO_SETTINGS_MODULE="lentera.web.config.settings.production",
        DJANGO_SECRET_KEY="k" * 20 + "Z9x!" * 10,
        LENTERA_ALLOWED_HOSTS="lentera.example.org",
    )
    result = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
