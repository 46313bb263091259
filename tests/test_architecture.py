"""The shape of the code, checked by walking its imports and calls with ``ast``.

* zero import cycles among the project's modules (graph/, geo/, views/, app.py);
* only ``graph/store/`` touches data files or the database: no file I/O calls elsewhere (but the
  listed, justified exceptions), and stores are constructed only by the store package and the
  composition root (``graph/services.py``);
* no private name (``_x``) imported from another package;
* at most 12 modules directly under ``graph/``.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ROOTS = ("graph", "geo", "views")
#: Calls that read or write files, lock them, or open a store.
FILE_CALLS = {"open", "read_text", "read_bytes", "write_text", "write_bytes", "read_csv", "read_excel", "to_csv",
              "to_excel", "mkstemp", "unlink", "mkdir", "rmtree", "copytree", "atomic_write_bytes", "FileLock",
              "load_workbook"}
STORE_CONSTRUCTORS = {"FileStore", "Neo4jStore", "open_store"}
#: (module, call) → why it is no data-file access.
ALLOWED = {
    ("geo/maps/export.py", "read_text"): "inlines the app's own static assets (Leaflet, CSS) into a map file",
    ("geo/maps/export.py", "read_bytes"): "inlines the app's own static images into a map file",
    ("graph/io/reader.py", "load_workbook"): "parses the bytes of an import file the user handed over (io.BytesIO)",
    ("graph/io/tabular.py", "to_csv"): "writes a download into an in-memory buffer",
    ("graph/io/tabular.py", "to_excel"): "writes a download into an in-memory buffer",
}
COMPOSITION_ROOT = "graph/services.py"


def modules() -> dict[str, Path]:
    """Dotted module name → file, for every project module."""
    found = {"app": REPO / "app.py"}
    for root in ROOTS:
        for path in (REPO / root).rglob("*.py"):
            rel = path.relative_to(REPO).with_suffix("")
            parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
            found[".".join(parts)] = path
    return found


def imports(name: str, path: Path, known: set[str]) -> set[str]:
    """Project modules ``name`` imports (``from pkg import module`` counts as the module)."""
    out: set[str] = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name in known}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([node.module] if node.module else []))
            for alias in node.names:
                full = f"{base}.{alias.name}"
                out.add(full if full in known else base)
    return {m for m in out if m in known and m != name}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def calls(path: Path) -> list[tuple[int, str]]:
    """(line, name) of every call in a module."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            f = node.func
            name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""
            if name == "open" and isinstance(f, ast.Attribute):
                continue  # a method named open (e.g. Proposals.open) is no file access
            out.append((node.lineno, name))
    return out


def test_there_are_no_import_cycles():
    mods = modules()
    graph = {name: imports(name, path, set(mods)) for name, path in mods.items()}
    assert cycles(graph) == []
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]  # the check can fail


def test_only_the_store_touches_data_files_or_opens_a_store():
    found = []
    used_allowances = set()
    for path in modules().values():
        rel = path.relative_to(REPO).as_posix()
        if rel.startswith("graph/store/"):
            continue
        for line, call in calls(path):
            if (rel, call) in ALLOWED:
                used_allowances.add((rel, call))
            elif call in FILE_CALLS or (call in STORE_CONSTRUCTORS and rel != COMPOSITION_ROOT):
                found.append(f"{rel}:{line} {call}")
    assert found == []
    assert used_allowances == set(ALLOWED), "an exception no longer needed must leave the list"


def test_no_private_name_is_imported_from_another_package():
    found = []
    mods = modules()
    for name, path in mods.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and not node.level and (node.module or "").split(".")[0] in ROOTS:
                target = mods.get(node.module)
                source_package = node.module if target is not None and target.name == "__init__.py" else (
                    node.module.rpartition(".")[0])
                private = [a.name for a in node.names if a.name.startswith("_")]
                private_module = any(p.startswith("_") for p in node.module.split("."))
                if (private or private_module) and source_package != package and node.module != package:
                    found.append(f"{path.relative_to(REPO)}:{node.lineno} from {node.module} import "
                                 + ", ".join(a.name for a in node.names))
    assert found == []


def test_graph_has_at_most_twelve_top_level_modules():
    top = sorted(p.name for p in (REPO / "graph").glob("*.py"))
    assert len(top) <= 12, top


def test_each_feature_package_has_a_docstring_saying_what_it_holds():
    missing = [str(p.relative_to(REPO)) for root in ROOTS for p in (REPO / root).rglob("__init__.py")
               if not ast.get_docstring(ast.parse(p.read_text(encoding="utf-8")))]
    assert missing == []


def test_views_render_only():
    """Pages never open a unit of work or write through the store (the services do)."""
    found = defaultdict(list)
    for path in (REPO / "views").rglob("*.py"):
        for line, call in calls(path):
            if call in ("unit", "put", "delete", "redact_journal"):
                found[str(path.relative_to(REPO))].append(line)
    assert dict(found) == {}


def test_project_modules_are_imported_at_module_level():
    """In-function imports of project modules only where they keep start-up fast: the CLI commands
    (``python -m graph --help``) and the choice of store backend (the Neo4j driver loads only when used)."""
    lazy_ok = ("graph/cli/", "graph/store/__init__.py")
    found = []
    for path in modules().values():
        rel = path.relative_to(REPO).as_posix()
        if rel.startswith(lazy_ok):
            continue
        for fn in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
                for node in ast.walk(fn):
                    module = node.module if isinstance(node, ast.ImportFrom) else (
                        node.names[0].name if isinstance(node, ast.Import) else None)
                    if module and module.split(".")[0] in ROOTS:
                        found.append(f"{rel}:{node.lineno} {module}")
    assert found == []
