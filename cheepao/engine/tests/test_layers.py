"""The engine's modules import each other without circles.

A circle (af ↔ summary, api ↔ backends, as there were) means two modules that cannot be
read, tested or changed one without the other; what both need belongs in a module below
them. Imports inside functions count: they hide a circle, they do not break it.
"""

from __future__ import annotations

import ast
from pathlib import Path

ENGINE = Path(__file__).resolve().parent.parent
PACKAGE = "cheepao.engine"


def _module(path: Path) -> str:
    parts = path.relative_to(ENGINE).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join((PACKAGE, *parts))


def _imports(path: Path, modules: set[str]) -> set[str]:
    """The engine modules `path` imports, anywhere in it."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
        else:
            continue
        found |= {n for n in names if n in modules}
    return found


def _graph() -> dict[str, set[str]]:
    files = [p for p in ENGINE.rglob("*.py") if "tests" not in p.relative_to(ENGINE).parts]
    modules = {_module(p) for p in files}
    graph = {}
    for p in files:
        me = _module(p)
        # a package's modules may be imported through it; that is not a circle
        graph[me] = {m for m in _imports(p, modules) if m != me and not me.startswith(f"{m}.")}
    return graph


def _circle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        state[node] = 2
        path.pop()
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_the_graph_is_read():
    graph = _graph()
    assert "cheepao.engine.readers.csv" in graph["cheepao.engine.readers"]
    assert graph["cheepao.engine.summary"] >= {"cheepao.engine.af", "cheepao.engine.register"}


def test_engine_modules_import_each_other_without_circles():
    assert _circle(_graph()) is None


def test_a_circle_is_found():
    assert _circle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == ["a", "b", "c", "a"]
