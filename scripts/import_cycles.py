"""List import cycles of the package, marking those that span more than one app.

Run: .venv/bin/python scripts/import_cycles.py  (imports made only for type
checking and the apps' tests are left out, as in the import contracts).
"""

from __future__ import annotations

import sys

import grimp


def app(module: str) -> str:
    return module.split(".")[1] if "." in module else module


def main() -> int:
    graph = grimp.build_graph(
        "missionsafety", cache_dir=None, exclude_type_checking_imports=True
    )
    modules = {m for m in graph.modules if ".tests" not in m and ".migrations" not in m}
    edges = {
        m: [i for i in graph.find_modules_directly_imported_by(m) if i in modules]
        for m in modules
    }
    # Tarjan's strongly connected components.
    sys.setrecursionlimit(100_000)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for module in sorted(modules):
        if module not in index:
            visit(module)
    across = 0
    for component in cycles:
        apps = sorted({app(m) for m in component})
        across += len(apps) > 1
        kind = "ACROSS APPS" if len(apps) > 1 else "within one app"
        print(f"{kind}: {', '.join(component)}")
    print(f"{len(cycles)} cycle(s), {across} across apps")
    return 1 if across else 0


if __name__ == "__main__":
    raise SystemExit(main())
