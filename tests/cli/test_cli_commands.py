"""``lentera.cli.COMMANDS``: every verb named has a module, every module is named, none is skipped."""

from __future__ import annotations

import importlib.util
import pkgutil

import pytest

from lentera import cli, commands
from lentera.commands import link
from lentera.linkage import dedupe


def test_every_listed_verb_has_a_module_with_add_parser() -> None:
    for name in cli.COMMANDS:
        spec = importlib.util.find_spec(f"lentera.commands.{name}")
        assert spec is not None, (
            f"COMMANDS names {name!r} but lentera/commands/{name}.py is missing"
        )
        assert hasattr(importlib.import_module(f"lentera.commands.{name}"), "add_parser"), name


def test_every_verb_module_is_listed() -> None:
    modules = {
        m.name for m in pkgutil.iter_modules(commands.__path__) if not m.name.startswith("_")
    }
    assert modules == set(cli.COMMANDS)


def test_a_missing_verb_module_is_an_error_not_a_silent_skip(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(cli, "COMMANDS", (*cli.COMMANDS, "no_such_verb"))
    with pytest.raises(ModuleNotFoundError, match="no_such_verb"):
        cli.build_parser()


def test_link_dedupe_help_shows_the_real_default_threshold(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit):
        cli.main(["link", "dedupe", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "chosen for this run" in out
    assert "(default: auto," in out
    assert f"adapt, {dedupe.DEFAULT_THRESHOLD})" in out  # "with --no-adapt", maybe wrapped
    assert (link.AUTO, link.NO_ADAPT_THRESHOLD) == (dedupe.AUTO, dedupe.DEFAULT_THRESHOLD)
