"""The registry's read modules (`households/selectors/`) import each other without circles.

The approach of the engine's `engine/tests/test_layers.py`: read every module's imports
with `ast` (imports inside functions count: they hide a circle, they do not break it) and
look for a circle. Stricter here: the package itself (`selectors/__init__.py`) imports
every part, so a part that imports the package (`from cheepao.households.selectors import
X`) is a circle too; parts import each other by their own module name.
"""

from __future__ import annotations

import ast
from pathlib import Path

from cheepao.households import selectors

ROOT = Path(selectors.__file__).resolve().parent
PACKAGE = "cheepao.households.selectors"
PARTS = {"access", "register", "folder", "maps", "runs"}


def _module(path: Path) -> str:
    return PACKAGE if path.stem == "__init__" else f"{PACKAGE}.{path.stem}"


def _imports(path: Path, modules: set[str]) -> set[str]:
    """The selectors modules `path` imports, anywhere in it."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
        elif isinstance(node, ast.ImportFrom):
            raise AssertionError(f"{path.name}: relative import; name the module in full")
        else:
            continue
        found |= {n for n in names if n in modules}
        # `from cheepao.households import selectors` is the package
        if isinstance(node, ast.ImportFrom) and node.module == "cheepao.households":
            found |= {PACKAGE for a in node.names if a.name == "selectors"}
    return found


def _graph() -> dict[str, set[str]]:
    files = sorted(ROOT.glob("*.py"))
    modules = {_module(p) for p in files}
    return {_module(p): _imports(p, modules) - {_module(p)} for p in files}


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
    assert set(graph) == {PACKAGE} | {f"{PACKAGE}.{p}" for p in PARTS}
    assert graph[PACKAGE] == {f"{PACKAGE}.{p}" for p in PARTS}
    assert graph[f"{PACKAGE}.register"] == {f"{PACKAGE}.access"}
    assert graph[f"{PACKAGE}.folder"] == {f"{PACKAGE}.register"}


def test_selectors_modules_import_each_other_without_circles():
    assert _circle(_graph()) is None


def test_a_part_importing_the_package_is_a_circle():
    graph = _graph()
    graph[f"{PACKAGE}.maps"] = graph[f"{PACKAGE}.maps"] | {PACKAGE}
    assert _circle(graph) == [PACKAGE, f"{PACKAGE}.maps", PACKAGE]
    assert _circle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == ["a", "b", "c", "a"]


def test_every_public_name_of_the_parts_is_read_through_the_package():
    for part in PARTS:
        module = getattr(selectors, part)
        for name, value in vars(module).items():
            if name.startswith("_") or getattr(value, "__module__", None) != module.__name__:
                continue
            assert getattr(selectors, name) is value, f"selectors.{name} ({part})"
