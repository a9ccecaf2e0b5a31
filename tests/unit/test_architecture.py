"""The packages and what each may import (docs/architecture.md, "Packages"): read from
the source, so a forbidden import or a cycle fails here before a reviewer sees it."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "jumelage"
DOCS = Path(__file__).resolve().parents[2] / "docs" / "architecture.md"

# The package (or top-level module) of jumelage -> what it may import of jumelage.
# `__version__` is the package's own attribute; `errors` the one error hierarchy.
BASE = {"__version__", "errors"}
ALLOWED: dict[str, set[str]] = {
    "errors": set(),
    "settings": set(),
    "attribution": set(),
    "security": {"settings"},
    "domain": BASE,
    "analytics": BASE | {"domain"},
    "matching": BASE | {"domain"},
    "dataset": BASE | {"domain"},
    "store": BASE | {"domain", "settings", "analytics", "matching"},  # their data types
    "services": BASE | {"domain", "store", "settings", "matching"},
    "importers": BASE | {"domain", "store", "services"},
    "registry": BASE | {"settings", "store", "services"},
    "documents": BASE,
    "exports": BASE | {"attribution", "importers"},
    "exports_graph": BASE | {"attribution", "analytics", "exports"},
    "exports_quickstatements": BASE | {"domain", "store"},
    "api": BASE
    | {
        "domain",
        "analytics",
        "matching",
        "store",
        "services",
        "registry",
        "settings",
        "security",
        "attribution",
        "documents",
        "exports_graph",
        "exports_quickstatements",
    },
    "web": BASE
    | {
        "api",
        "domain",
        "analytics",
        "matching",
        "store",
        "services",
        "registry",
        "settings",
        "attribution",
    },
    "warm": BASE | {"analytics", "settings", "store", "services", "web"},
    "app": BASE | {"api", "web", "warm", "registry", "settings", "security"},
    "server": {"settings"},
    "cli": BASE
    | {
        "domain",
        "analytics",
        "matching",
        "store",
        "services",
        "importers",
        "registry",
        "settings",
        "attribution",
        "documents",
        "exports",
        "exports_graph",
        "exports_quickstatements",
        "server",
        "dataset",
    },
    "__main__": {"cli"},
    "__init__": set(),
}

# The doors hold no SQL: they call named queries (store) and services.
DOORS = ("api", "web", "cli", "app", "warm")
SQL_BUILDERS = {"select", "insert", "update", "delete", "text", "func", "and_", "or_"}


def module_name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts).removesuffix(".__init__")


def imports_of(path: Path) -> list[tuple[str, list[str]]]:
    """(module, names) for every import in a file, at any depth (lazy imports count)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.module, [a.name for a in node.names]))
        elif isinstance(node, ast.Import):
            found.extend((a.name, []) for a in node.names)
    return found


def package_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def jumelage_targets(module: str, names: list[str]) -> list[str]:
    if module == "jumelage":
        return [f"jumelage.{n}" for n in names]
    if module.startswith("jumelage."):
        return [module]
    return []


def forbidden_imports(
    files: dict[str, list[tuple[str, list[str]]]], allowed: dict[str, set[str]]
) -> list[str]:
    problems = []
    for name, imports in sorted(files.items()):
        own = package_of(name)
        if own not in allowed:
            problems.append(f"{name}: package {own!r} is not in the table of packages")
            continue
        for module, names in imports:
            for target in jumelage_targets(module, names):
                other = package_of(target)
                if other != own and other not in allowed[own]:
                    problems.append(f"{name} imports {target} ({own} may not import {other})")
    return problems


def cycles(files: dict[str, list[tuple[str, list[str]]]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan)."""
    graph: dict[str, set[str]] = defaultdict(set)
    for name, imports in files.items():
        for module, names in imports:
            for target in jumelage_targets(module, names):
                for candidate in (f"{target}", target.rsplit(".", 1)[0]):
                    if candidate in files and candidate != name:
                        graph[name].add(candidate)
                        break
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for v in sorted(files):
        if v not in index:
            visit(v)
    return groups


@pytest.fixture(scope="module")
def files() -> dict[str, list[tuple[str, list[str]]]]:
    return {module_name(p): imports_of(p) for p in SRC.rglob("*.py")}


def test_every_package_imports_only_what_the_table_allows(files):
    assert forbidden_imports(files, ALLOWED) == []


def test_no_module_imports_itself_back_through_others(files):
    assert cycles(files) == []


def test_the_doors_build_no_sql_and_touch_no_table(files):
    problems = []
    for name, imports in files.items():
        if package_of(name) not in DOORS:
            continue
        for module, names in imports:
            if module == "sqlalchemy" and SQL_BUILDERS & set(names):
                problems.append(
                    f"{name} builds SQL ({', '.join(sorted(SQL_BUILDERS & set(names)))})"
                )
            if module.startswith("jumelage.store.schema"):
                problems.append(f"{name} imports tables from {module}")
    assert problems == []


def test_the_checks_catch_a_forbidden_import_and_a_cycle():
    files = {
        "jumelage.domain.rules": [("jumelage.web.render", ["page"])],
        "jumelage.store.a": [("jumelage.store.b", ["x"])],
        "jumelage.store.b": [("jumelage", ["store"]), ("jumelage.store.a", ["y"])],
    }
    assert forbidden_imports(files, ALLOWED) == [
        "jumelage.domain.rules imports jumelage.web.render (domain may not import web)"
    ]
    assert cycles(files) == [["jumelage.store.a", "jumelage.store.b"]]


def test_the_documented_table_names_every_package():
    text = DOCS.read_text(encoding="utf-8")
    missing = [p for p in ALLOWED if not p.startswith("__") and f"`{p}`" not in text]
    assert missing == []


def test_the_link_page_offers_exactly_the_steps_the_service_takes():
    from jumelage.services.links import STEPS
    from jumelage.web.steps import STEPS as LABELLED

    assert tuple(LABELLED) == STEPS


def test_the_pages_ask_the_domain_what_a_user_may_do():
    """A page offers a form when `domain.permissions.can` says so; it never re-codes
    roles and scopes (which would drift from what the services allow)."""
    recoded = []
    for path in sorted((SRC / "web").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr == "is_admin":
                recoded.append(f"{path.name}:{node.lineno}")
            if isinstance(node, ast.Compare) and any(
                isinstance(c, ast.Constant) and c.value in ("admin", "editor", "association")
                for c in node.comparators
            ):
                recoded.append(f"{path.name}:{node.lineno}")
    assert recoded == []
