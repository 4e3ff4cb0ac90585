"""Import direction inside the core: the rule labeller (``workers/core/rules/``) imports neither
the strip stage nor the trained labeller; the trained labeller (``workers/core/labeller/``)
reads the rules as evidence and never imports the strip stage; the core never imports the
Kafka shell or the entry points (docs/architecture.md)."""
from __future__ import annotations

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parent.parent / "workers" / "core"


def _imports(path: Path) -> set[str]:
    """Every module a file imports (top level and inside functions), as dotted names."""
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.add(node.module)
            out.update(f"{node.module}.{a.name}" for a in node.names)
    return out


def _offenders(folder: str, forbidden: tuple[str, ...]) -> dict[str, list[str]]:
    bad: dict[str, list[str]] = {}
    files = sorted((CORE / folder).rglob("*.py"))
    assert files, f"no module under workers/core/{folder}"
    for p in files:
        hits = sorted(m for m in _imports(p) if any(m == f or m.startswith(f + ".") for f in forbidden))
        if hits:
            bad[str(p.relative_to(CORE))] = hits
    return bad


def test_rules_import_neither_the_strip_stage_nor_the_trained_labeller():
    assert _offenders("rules", ("workers.core.stages.strip", "workers.core.labeller")) == {}


def test_trained_labeller_does_not_import_the_strip_stage():
    assert _offenders("labeller", ("workers.core.stages.strip",)) == {}


def test_core_imports_no_shell_or_entry_point():
    assert _offenders(".", ("workers.shell", "workers.cli", "faust", "aiokafka")) == {}


def test_the_strip_stage_reaches_the_rules_through_their_package():
    assert "workers.core.rules" in _imports(CORE / "stages" / "strip.py")
