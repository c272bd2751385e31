"""Write the Django ``TextChoices`` classes of the registry into the web apps' ``choices.py``.

Each vocabulary of ``data/cases.yaml`` or ``data/referrals.yaml`` that names a ``class`` is
written as that class, in place, in the target module: the generator replaces the class (from
its ``class X(models.TextChoices):`` line to the end of its body) and leaves everything around
it — imports, hand-written constants such as the referral status machine — as it is. A class
missing from the module is appended at its end. ``tools/gen_vocabulary.py`` runs it;
``tests/vocabulary`` fails when a module is not what the generator would write.

Why generated code rather than classes built at import time: the members stay visible to
readers, ``grep`` and type checkers (``ExploitationType.FORCED_LABOUR``), and the module reads
like any other Django choices module.
"""

from __future__ import annotations

import keyword
from pathlib import Path

from lentera.vocabulary import Vocabulary, vocabularies

__all__ = ["TARGETS", "class_source", "render", "target_path", "write"]

#: registry data file → the module (relative to the ``lentera`` package) holding its classes
TARGETS = {"cases": "web/cases/choices.py", "referrals": "web/referrals/choices.py"}
LINE_LENGTH = 100
#: names pycodestyle calls ambiguous (E741); the ISIC sections I and O are such names
AMBIGUOUS = frozenset({"I", "O", "l"})


def target_path(source: str) -> Path:
    return Path(__file__).resolve().parents[1] / TARGETS[source]


def _member(vocab: str, member: str, code: str) -> list[str]:
    call = f'term_label("{vocab}", "{code}")'
    noqa = "  # noqa: E741" if member in AMBIGUOUS else ""
    line = f'    {member} = "{code}", {call}{noqa}'
    if len(line) <= LINE_LENGTH:
        return [line]
    return [f"    {member} = ({noqa}", f'        "{code}",', f"        {call},", "    )"]


def class_source(v: Vocabulary) -> str:
    """The source of the ``TextChoices`` class of vocabulary ``v``."""
    if not v.class_name.isidentifier() or keyword.iskeyword(v.class_name):
        raise ValueError(f"{v.name}: bad class name {v.class_name!r}")
    out = [f"class {v.class_name}(models.TextChoices):"]
    if v.doc:
        out += [f'    """{v.doc}"""', ""]
    for t in v.terms:
        if t.comment:
            out.append(f"    # {t.comment}")
        out += _member(v.name, t.member, t.code)
    return "\n".join(out) + "\n"


def _class_span(lines: list[str], class_name: str) -> tuple[int, int] | None:
    header = f"class {class_name}(models.TextChoices):"
    for start, line in enumerate(lines):
        if line.rstrip("\n") == header:
            end = start + 1
            while end < len(lines) and (not lines[end].strip() or lines[end][0] in " \t"):
                end += 1
            while end > start + 1 and not lines[end - 1].strip():
                end -= 1
            return start, end
    return None


def render(source: str, text: str) -> str:
    """``text`` (the target module of ``source``) with its generated classes rewritten."""
    lines = text.splitlines(keepends=True)
    for v in vocabularies().values():
        if v.source != source or not v.class_name:
            continue
        new = class_source(v).splitlines(keepends=True)
        span = _class_span(lines, v.class_name)
        if span is None:
            lines += ["\n", "\n", *new]
        else:
            lines[span[0] : span[1]] = new
    return "".join(lines)


def write(*, check: bool = False) -> list[Path]:
    """Rewrite every stale target (``check``: only report them); the stale paths."""
    stale = []
    for source in TARGETS:
        path = target_path(source)
        text = path.read_text("utf-8")
        new = render(source, text)
        if new != text:
            stale.append(path)
            if not check:
                path.write_text(new, "utf-8")
    return stale
