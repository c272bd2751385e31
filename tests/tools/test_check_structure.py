"""tools/check_structure.py fails on each kind of violation and passes a clean tree."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

TOOL = Path(__file__).resolve().parents[2] / "tools" / "check_structure.py"


def _load():
    spec = importlib.util.spec_from_file_location("check_structure", TOOL)
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    sys.modules["check_structure"] = module
    spec.loader.exec_module(module)
    return module


cs = _load()


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = tmp_path / "src" / "lentera" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


CLEAN_VIEW = '''"""A clean view."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lentera.web.cases import selectors

if TYPE_CHECKING:
    from django.http import HttpRequest


def detail(request: HttpRequest, pk: int) -> object:
    context = {"case": selectors.case_get_for_user(actor=request.user, pk=pk)}
    context.update({"x": 1})
    return context
'''


def test_a_clean_tree_passes(tmp_path: Path) -> None:
    root = _tree(tmp_path, {"web/cases/views.py": CLEAN_VIEW})
    assert cs.check(root) == []
    assert cs.main([str(root)]) == 0


@pytest.mark.parametrize(
    "line",
    [
        "    return Case.objects.filter(pk=pk).first()",
        "    Case.objects.select_for_update().get(pk=pk)",
        "    case.save(update_fields=['title'])",
        "    case.delete()",
        "    return case.note_set.filter(pk=1)",
        "    case.notes.all().update(body='')",
    ],
)
@pytest.mark.parametrize(
    "module", ["web/cases/views.py", "web/cases/views/notes.py", "web/api/endpoints.py",
               "web/api/referrals.py"],
)  # fmt: skip
def test_orm_in_a_view_module_fails_with_file_and_line(
    tmp_path: Path, module: str, line: str
) -> None:
    source = f"def view(request, case, pk):\n{line}\n"
    root = _tree(tmp_path, {module: source})
    problems = cs.check(root)
    assert problems == [problems[0]] and f"src/lentera/{module}:2: S1" in problems[0], problems
    assert cs.main([str(root)]) == 1


def test_orm_outside_view_modules_and_allowed_lines_pass(tmp_path: Path) -> None:
    root = _tree(
        tmp_path,
        {
            "web/cases/selectors.py": "def f():\n    return Case.objects.all()\n",
            "web/cases/views.py": "def v(img, buf):\n"
            "    img.save(buf)  # structure: allow an image in memory, not a model\n",
        },
    )
    assert cs.check(root) == []


def test_an_allow_comment_needs_a_reason(tmp_path: Path) -> None:
    root = _tree(tmp_path, {"web/cases/views.py": "def v(c):\n    c.save()  # structure: allow\n"})
    assert len(cs.check(root)) == 1


def test_a_mid_file_import_fails(tmp_path: Path) -> None:
    source = '"""Doc."""\n\nimport os\n\nX = 1\n\nimport sys\n'
    root = _tree(tmp_path, {"engine/mod.py": source})
    assert cs.check(root) == [
        "src/lentera/engine/mod.py:7: S2 import after module code: move it to the top of the module"
    ]


def test_noqa_e402_fails_even_where_the_import_is_legal(tmp_path: Path) -> None:
    root = _tree(tmp_path, {"engine/mod.py": "import os  # noqa: E402\n"})
    assert [p.split(": ", 1)[1][:2] for p in cs.check(root)] == ["S2"]


def test_type_checking_blocks_and_function_imports_are_not_mid_file(tmp_path: Path) -> None:
    source = (
        '"""Doc."""\nfrom __future__ import annotations\nimport os\n'
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import sys\n"
        "try:\n    import yaml\nexcept ImportError:\n    yaml = None\n"
        "def f():\n    import json\n    return json\n"
    )
    root = _tree(tmp_path, {"engine/mod.py": source})
    assert cs.check(root) == []


def test_a_long_module_fails_but_migrations_do_not(tmp_path: Path) -> None:
    long = "x = 1\n" * (cs.MAX_LINES + 1)
    ok = "x = 1\n" * cs.MAX_LINES
    root = _tree(
        tmp_path,
        {"engine/big.py": long, "engine/fine.py": ok, "web/cases/migrations/0001_x.py": long},
    )
    assert cs.check(root) == [
        f"src/lentera/engine/big.py:{cs.MAX_LINES + 1}: S3 module has {cs.MAX_LINES + 1} lines "
        f"(limit {cs.MAX_LINES}): split it along its topics"
    ]
