"""The import graph reads one way: no cycle, the reader never reaches the writers, pages never import duckdb.

Read with the standard library's ast (module-level and function-level imports alike), so the test
sees what the code says without importing it.
"""

from __future__ import annotations

import ast
from pathlib import Path

from helpers import APP_ROOT

PACKAGE = "jsw_explorer"
READER = "jsw_explorer.data_access"
WRITERS = ("jsw_explorer.build", "jsw_explorer.ingest")  # a package after the importer's split: prefixes


def module_files(root: Path, package: str) -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its own name, not '.__init__')."""
    modules = {}
    for path in sorted((root / package).rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    return modules


def imported_names(path: Path, module: str, is_package: bool) -> set[str]:
    """Dotted names this file imports: `import a.b`, `from a import b` (as a.b and a), relative too."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = module.split(".") if is_package else module.split(".")[:-1]
                anchor = anchor[:len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def import_graph(root: Path, package: str) -> dict[str, set[str]]:
    """Module -> the package's modules it imports (the top-level package __init__ is left out)."""
    modules = module_files(root, package)
    graph = {}
    for module, path in modules.items():
        is_package = path.name == "__init__.py"
        targets = {name for name in imported_names(path, module, is_package) if name in modules and name != package}
        graph[module] = targets - {module}
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as a path [a, b, ..., a], or None."""
    state: dict[str, str] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = "open"
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == "open":
                return stack[stack.index(target):] + [target]
            if target not in state and (cycle := visit(target)):
                return cycle
        stack.pop()
        state[node] = "done"
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    seen, todo = set(), [start]
    while todo:
        for target in graph.get(todo.pop(), ()):
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


def is_writer(module: str) -> bool:
    return any(module == writer or module.startswith(writer + ".") for writer in WRITERS)


# --- The rules, on the real code -----------------------------------------------------------------

def test_the_package_has_no_import_cycle():
    assert find_cycle(import_graph(APP_ROOT, PACKAGE)) is None


def test_the_reader_never_reaches_a_writer_directly_or_through_another_module():
    graph = import_graph(APP_ROOT, PACKAGE)
    assert READER in graph
    assert sorted(m for m in reachable(graph, READER) if is_writer(m)) == []


def test_startup_is_where_the_app_calls_the_writers():
    graph = import_graph(APP_ROOT, PACKAGE)
    assert {"jsw_explorer.build", "jsw_explorer.ingest"} <= graph["jsw_explorer.startup"] | {
        m for m in reachable(graph, "jsw_explorer.startup") if is_writer(m)}
    app = imported_names(APP_ROOT / "streamlit_app.py", "streamlit_app", False)
    assert "jsw_explorer.startup.ensure_database" in app
    assert not any(is_writer(name) for name in app), "the entry point reaches the writers only through startup"


def test_pages_never_import_duckdb():
    pages = sorted((APP_ROOT / "pages").glob("*.py"))
    assert len(pages) >= 7
    offenders = {page.name: sorted(n for n in imported_names(page, f"pages.{page.stem}", False)
                                   if n == "duckdb" or n.startswith("duckdb."))
                 for page in pages}
    assert {name: found for name, found in offenders.items() if found} == {}


# --- The checker itself finds what it looks for ------------------------------------------------------

def write_package(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def test_the_checker_finds_a_cycle_through_a_function_level_and_a_relative_import(tmp_path):
    write_package(tmp_path, {
        "pkg/__init__.py": "",
        "pkg/reader.py": "def f():\n    from pkg import writer\n",
        "pkg/writer/__init__.py": "from .core import run\n",
        "pkg/writer/core.py": "from pkg.reader import f\nrun = 1\n",
    })
    graph = import_graph(tmp_path, "pkg")
    assert graph["pkg.writer"] == {"pkg.writer.core"}
    assert find_cycle(graph) == ["pkg.reader", "pkg.writer", "pkg.writer.core", "pkg.reader"]


def test_the_checker_sees_a_reader_that_reaches_a_writer_through_a_helper(tmp_path):
    write_package(tmp_path, {
        "pkg/__init__.py": "",
        "pkg/reader.py": "import pkg.helper\n",
        "pkg/helper.py": "from pkg.build import go\n",
        "pkg/build.py": "go = 1\n",
    })
    graph = import_graph(tmp_path, "pkg")
    assert find_cycle(graph) is None
    assert reachable(graph, "pkg.reader") == {"pkg.helper", "pkg.build"}
