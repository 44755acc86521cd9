"""The house's rooms: the library's packages by stage stay small, and none imports another in a circle."""

import ast
from pathlib import Path

from tests.conftest import REPO

LIBRARY = REPO / "assistant"
MAX_MODULE_LINES = 450
MAX_TOP_LEVEL_MODULES = 10  # besides __init__.py: the public API and what every stage shares
STAGES = {"ingest", "index", "answer", "clauses", "cli", "evaluation"}


def _modules() -> dict[str, Path]:
    found = {}
    for path in LIBRARY.rglob("*.py"):
        parts = list(path.relative_to(REPO).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The library modules `name` imports, at its top or inside a function (its own package's __init__ aside)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parts + ([node.module] if node.module else []))
            targets = [base] + [f"{base}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        else:
            continue
        out |= {t for t in targets if t in modules and t != name and not name.startswith(t + ".")}
    return out


def test_no_module_of_the_library_or_the_ui_is_over_the_size_of_one_job():
    long = {str(p.relative_to(REPO)): n for p in [*LIBRARY.rglob("*.py"), *(REPO / "ui").rglob("*.py")]
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES}
    assert not long, f"split these by job: {long}"


def test_the_top_of_the_library_holds_the_public_api_and_the_stages():
    top = [p.name for p in LIBRARY.glob("*.py") if p.name != "__init__.py"]
    assert len(top) <= MAX_TOP_LEVEL_MODULES, sorted(top)
    assert STAGES <= {p.name for p in LIBRARY.iterdir() if (p / "__init__.py").exists()}


def test_no_two_modules_import_each_other_even_through_others():
    modules = _modules()
    graph = {name: _imports(name, path, modules) for name, path in modules.items()}
    circles = []
    for start in graph:
        stack, seen = [(start, (start,))], set()
        while stack:
            node, path = stack.pop()
            for nxt in graph[node]:
                if nxt == start:
                    circles.append(path)
                elif nxt not in seen:
                    seen.add(nxt)
                    stack.append((nxt, path + (nxt,)))
    assert not circles, f"import circles: {sorted(set(map(' -> '.join, circles)))[:5]}"


def test_the_index_searches_and_knows_nothing_of_the_answerer():
    modules = _modules()
    index = {name: path for name, path in modules.items() if name.startswith("assistant.index")}
    leaks = {name: sorted(i for i in _imports(name, path, modules) if i.startswith("assistant.answer"))
             for name, path in index.items()}
    assert not any(leaks.values()), leaks
