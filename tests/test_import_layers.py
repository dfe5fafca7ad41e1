"""The package's floors, read from its source: no import circle, and no import up a floor.

Every ``import`` in cryptex_desktop is read with ``ast`` (lazy imports inside functions
too, since they run all the same), without importing anything. The rules: api/,
sandbox/ and journal/ never import Qt or ui/; api/ and journal/ never import sandbox/;
and no two modules import each other, however long the way round.
"""

from __future__ import annotations

import ast
from pathlib import Path

import cryptex_desktop

PACKAGE_DIR = Path(cryptex_desktop.__file__).parent
PACKAGE = "cryptex_desktop"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE_DIR.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_names(path: Path, modules: set[str]) -> set[str]:
    """Every module name an import statement in ``path`` names, relative ones resolved.

    ``from package import name`` imports the module ``package.name`` when ``modules`` has
    one (not the package's ``__init__``, which is already running or ran), else ``package``.
    """
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                names.add(submodule if submodule in modules else base)
    return names


def package_imports() -> dict[str, set[str]]:
    """Module name → every name it imports (inside or outside the package)."""
    paths = sorted(PACKAGE_DIR.rglob("*.py"))
    modules = {module_name(path) for path in paths}
    return {module_name(path): imported_names(path, modules) for path in paths}


def internal_graph(imports: dict[str, set[str]]) -> dict[str, set[str]]:
    """Module → the package's modules it imports (a package's ``__init__`` counts as it)."""
    modules = set(imports)
    return {
        name: {target for target in names if target in modules and target != name}
        for name, names in imports.items()
    }


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import circle as a list of modules (first == last), or None if there is none."""
    done: set[str] = set()
    path: list[str] = []
    on_path: set[str] = set()

    def visit(node: str) -> list[str] | None:
        path.append(node)
        on_path.add(node)
        for target in sorted(graph[node]):
            if target in on_path:
                return [*path[path.index(target):], target]
            if target not in done:
                cycle = visit(target)
                if cycle:
                    return cycle
        path.pop()
        on_path.discard(node)
        done.add(node)
        return None

    for start in sorted(graph):
        if start not in done:
            cycle = visit(start)
            if cycle:
                return cycle
    return None


def is_within(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def breaches(imports: dict[str, set[str]], floor: str, forbidden: tuple[str, ...]) -> list[str]:
    return sorted(
        f"{module} imports {target}"
        for module, names in imports.items() if is_within(module, floor)
        for target in names if any(is_within(target, ban) for ban in forbidden)
    )


def test_the_import_reader_sees_lazy_and_relative_imports() -> None:
    imports = package_imports()
    # app.py imports the self-test inside main(); it must still be seen.
    assert "cryptex_desktop.ui.self_test" in imports["cryptex_desktop.ui.app"]
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_no_module_of_the_package_imports_itself_round_a_circle() -> None:
    cycle = find_cycle(internal_graph(package_imports()))
    assert cycle is None, "import circle: " + " -> ".join(cycle or [])


def test_start_up_and_the_self_test_share_startup_and_never_import_each_other() -> None:
    imports = package_imports()
    assert "cryptex_desktop.ui.app" not in imports["cryptex_desktop.ui.self_test"]
    assert "cryptex_desktop.ui.startup" in imports["cryptex_desktop.ui.self_test"]
    assert "cryptex_desktop.ui.startup" in imports["cryptex_desktop.ui.app"]


def test_the_client_library_needs_neither_qt_nor_the_app_nor_the_sandbox() -> None:
    imports = package_imports()
    assert breaches(imports, f"{PACKAGE}.api", ("PySide6", f"{PACKAGE}.ui",
                                                  f"{PACKAGE}.sandbox")) == []


def test_the_sandbox_exchange_needs_neither_qt_nor_the_app() -> None:
    imports = package_imports()
    assert breaches(imports, f"{PACKAGE}.sandbox", ("PySide6", f"{PACKAGE}.ui")) == []


def test_the_journal_needs_neither_qt_nor_the_app_nor_the_sandbox() -> None:
    imports = package_imports()
    assert any(is_within(module, f"{PACKAGE}.journal") for module in imports)
    assert breaches(imports, f"{PACKAGE}.journal", ("PySide6", f"{PACKAGE}.ui",
                                                      f"{PACKAGE}.sandbox")) == []
