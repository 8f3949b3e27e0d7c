"""The layout holds: no import cycles, no Django in parsing and analysis, small modules, explained long functions.

Why parse the source with ``ast`` instead of importing it: imports inside
functions count too (an import moved into a function to dodge a cycle is
still a cycle), and nothing has to run to be checked.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("archive", "bulletins", "bench")
# The application's packages: held to the size rules (the benchmark scripts only to the import rules).
APPLICATION = ("archive", "bulletins")
MAX_LINES = 500
MAX_FUNCTION_LINES = 60
# Parsing and analysis run in worker processes before Django is set up, and on their own in tests.
DJANGO_FREE = ("bulletins.parsing", "bulletins.analysis", "bulletins.importing.prepare")


def modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


MODULES = modules()
APPLICATION_MODULES = {m: p for m, p in MODULES.items() if m.split(".")[0] in APPLICATION}


def _absolute(module: str, node: ast.ImportFrom, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".")
    base = base[: len(base) - node.level + (1 if is_package else 0)]
    return ".".join([*base, *([node.module] if node.module else [])])


def imports(module: str) -> set[str]:
    """Every module ``module`` imports, anywhere in its source (functions included)."""
    path = MODULES[module]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            target = _absolute(module, node, path.name == "__init__.py")
            found.add(target)
            found.update(f"{target}.{alias.name}" for alias in node.names)
    return found


def project_graph() -> dict[str, set[str]]:
    """Module -> the project modules it imports (``from . import x`` counts as importing ``x``)."""
    graph = {}
    for module in MODULES:
        targets = set()
        for name in imports(module):
            while name and name not in MODULES:
                name = name.rpartition(".")[0]
            if name and name != module and not module.startswith(name + "."):
                targets.add(name)
        graph[module] = targets
    return graph


def test_no_import_cycles():
    graph = project_graph()
    state: dict[str, int] = {}
    stack: list[str] = []
    cycles = []

    def visit(module: str) -> None:
        state[module] = 1
        stack.append(module)
        for target in sorted(graph[module]):
            if state.get(target) == 1:
                cycles.append(" -> ".join([*stack[stack.index(target) :], target]))
            elif target not in state:
                visit(target)
        stack.pop()
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module)
    assert not cycles, "import cycles:\n" + "\n".join(cycles)


def test_parsing_and_analysis_do_not_import_django():
    checked = [m for m in MODULES if any(m == p or m.startswith(p + ".") for p in DJANGO_FREE)]
    assert checked
    offenders = {m: sorted(n for n in imports(m) if n.split(".")[0] in ("django", "rest_framework")) for m in checked}
    assert not {m: names for m, names in offenders.items() if names}


def _is_data(path: Path) -> bool:
    """A module of data only: assignments of literals (word lists, tables), no functions or classes."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return not any(isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) for node in tree.body)


@pytest.mark.parametrize("module", sorted(APPLICATION_MODULES))
def test_module_is_at_most_500_lines(module):
    path = MODULES[module]
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES or _is_data(path), f"{path.relative_to(ROOT)}: {lines} lines"


def test_long_functions_say_why_in_their_docstring():
    """A function over 60 lines is allowed when its docstring gives the reason (a sentence with "Why")."""
    offenders = []
    for module, path in APPLICATION_MODULES.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = node.end_lineno - node.lineno + 1
                if length > MAX_FUNCTION_LINES and "why" not in (ast.get_docstring(node) or "").lower():
                    offenders.append(f"{module}.{node.name}: {length} lines")
    assert not offenders, "\n".join(offenders)


def test_the_cache_stamp_reads_the_issue_table():
    """``caching`` names the issue table instead of importing the model (models import it through querysets)."""
    from bulletins.caching import ISSUE_TABLE
    from bulletins.models import Issue

    assert Issue._meta.db_table == ISSUE_TABLE
