"""The layout's rules that import-linter cannot state: no module-level import cycle anywhere in
`planner/`, no module over 400 lines, and a solver that loads without the web stack."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[2]
MAX_LINES = 400
# An RQ worker process builds its app inside `planner.jobs.run_task`: the one import of the package root.
ALLOWED = {("planner.jobs", "planner")}


def _cycles(graph) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    modules = sorted(m for m in graph.modules if m.startswith("planner"))
    edges = {m: sorted(i for i in graph.find_modules_directly_imported_by(m)
                       if i.startswith("planner") and (m, i) not in ALLOWED) for m in modules}
    index, low, on_stack, stack, found, counter = {}, {}, set(), [], [], [0]

    def visit(root):
        work = [(root, iter(edges[root]))]
        index[root] = low[root] = counter[0]
        counter[0] += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter[0]
                    counter[0] += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(edges.get(child, []))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))

    for module in modules:
        if module not in index:
            visit(module)
    return found


def test_planner_has_no_import_cycle():
    sys.path.insert(0, str(ROOT))
    graph = grimp.build_graph("planner", include_external_packages=False)
    assert _cycles(graph) == []


def test_the_cycle_finder_finds_a_cycle():
    graph = grimp.ImportGraph()
    for name in ("planner", "planner.a", "planner.b", "planner.c"):
        graph.add_module(name)
    graph.add_import(importer="planner.a", imported="planner.b")
    graph.add_import(importer="planner.b", imported="planner.a")
    graph.add_import(importer="planner.c", imported="planner.a")
    assert _cycles(graph) == [["planner.a", "planner.b"]]


def test_no_module_is_over_400_lines():
    long = {str(path.relative_to(ROOT)): n for folder in ("planner", "solver") for path in (ROOT / folder).rglob("*.py")
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}


def test_importing_the_solver_loads_no_web_or_database_module():
    code = ("import sys, solver, solver.io, solver.validate, solver.generate; "
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'planner', 'flask', 'sqlalchemy', 'flask_sqlalchemy'}))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
