"""The shape of the package's imports, read from the source with ``ast`` (nothing is run):
no cycle among forum's modules, the layers (models, then services, then web), the
support modules below both, and no import inside a function but the few listed here.
And the size of its modules: none over ``MAX_MODULE_LINES`` but the demo's data.

An import counts when the module runs it on being imported: at module level, in a
class body or under a module-level ``if``/``try``; not under ``if TYPE_CHECKING:`` (type
checkers only), and not in a function, which the last test lists separately.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from forum.config import PROJECT_ROOT

PACKAGE = PROJECT_ROOT / "forum"

# The top-level modules that start or drive the application, and so may use every layer;
# every other top-level module of forum is a support module (``permissions``,
# ``labels``, ``markdown_*``, ``config``, ``extensions``, ``backup``...), which services
# and web may use and which uses neither.
APPLICATION = {
    "forum": "the app factory: binds the extensions, the web and the command line",
    "forum.cli": "the command line: accounts, backups, the demo, releases",
    "forum.console": "the `forum` command: Flask's command line around create_app",
    "forum.demo": "the demo's data, written through the services as a person would",
    "forum.models": "the data layer (checked by its own rule)",
    "forum.services": "the services layer (checked by its own rule)",
    "forum.web": "the web layer",
}

# Imports inside a function, each with the reason it cannot be at the module's top.
# Keep it short: a function-level import hides an import cycle rather than removing it.
FUNCTION_IMPORTS_ALLOWED = {
    (
        "forum.cli",
        "forum.demo.seed",
    ): "the demo's texts (some 290 KB of modules) load only for `flask seed-demo`, "
    "never in a serving worker",
    (
        "forum.attachment_storage",
        "boto3",
    ): "boto3 costs some 24 MB in every worker that imports it; only an S3 store needs it",
    (
        "forum.attachment_storage",
        "botocore.config",
    ): "comes with boto3, for the same reason",
    (
        "forum.services.pdf_layout",
        "weasyprint",
    ): "WeasyPrint and Pango cost some 22 MB in every worker that imports them; only a "
    "PDF download needs them",
    (
        "forum.services.pdf_layout",
        "weasyprint.urls",
    ): "comes with weasyprint, for the same reason",
    (
        "forum.services.review.export",
        "openpyxl",
    ): "openpyxl costs some 7 MB in every worker; only an XLSX download needs it",
    (
        "forum.services.review.export",
        "openpyxl.styles",
    ): "comes with openpyxl, for the same reason",
    (
        "forum.services.network_round_export",
        "openpyxl",
    ): "as the review's export: only a matchmaking round's XLSX download needs it",
    (
        "forum.services.network_round_export",
        "openpyxl.styles",
    ): "comes with openpyxl, for the same reason",
    (
        "forum.schema_migrations",
        "flask_migrate",
    ): "Flask-Migrate brings Alembic, Mako and Pygments, some 11 MB in every worker; only "
    "`forum db` and code that migrates need them, never a serving worker",
    (
        "forum.schema_migrations",
        "flask_migrate.cli",
    ): "comes with flask_migrate, for the same reason",
    (
        "forum.services.readiness",
        "redis",
    ): "redis and the cryptography it imports cost some 4 MB in every worker; only a "
    "forum with REDIS_URL set checks Redis",
}


@dataclass
class ImportMap:
    """What each module imports when it is imported (``graph``), and the imports it
    makes inside functions (``in_functions``: module -> [(line, imported module)])."""

    graph: dict[str, set[str]] = field(default_factory=dict)
    in_functions: dict[str, list[tuple[int, str]]] = field(default_factory=dict)


def _module_names(root: Path) -> dict[str, tuple[Path, bool]]:
    """Every module below ``root`` (a package) by dotted name: its file, and whether it
    is a package's ``__init__``."""
    modules = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        if is_package:
            parts.pop()
        modules[".".join(parts)] = (path, is_package)
    return modules


def _targets(
    node: ast.Import | ast.ImportFrom, module: str, is_package: bool, modules: Mapping
) -> Iterator[str]:
    """The modules an import statement names: ``from a import b`` is module ``a.b`` when
    there is one, else the names are attributes of ``a``."""
    if isinstance(node, ast.Import):
        yield from (alias.name for alias in node.names)
        return
    if node.level:
        base = module.split(".") if is_package else module.split(".")[:-1]
        base = base[: len(base) - node.level + 1]
        package = ".".join(base + ([node.module] if node.module else []))
    else:
        package = node.module or ""
    for alias in node.names:
        submodule = f"{package}.{alias.name}"
        yield submodule if submodule in modules else package


def _known(name: str, modules: Mapping) -> str | None:
    """The module of the package that ``name`` is, or is in; None outside the package."""
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports_of(
    tree: ast.Module, module: str, is_package: bool, modules: Mapping
) -> tuple[set[str], list[tuple[int, str]]]:
    """The package's modules ``module`` imports when imported, and the imports inside
    its functions (line, module)."""
    imported: set[str] = set()
    inner: list[tuple[int, str]] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.Import, ast.ImportFrom)):
                for target in _targets(child, module, is_package, modules):
                    if in_function:
                        inner.append((child.lineno, target))
                    elif (known := _known(target, modules)) not in (None, module):
                        imported.add(known)
            elif isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                visit(child, True)
            elif isinstance(child, ast.If) and _is_type_checking(child.test):
                for branch in child.orelse:  # ``else`` of TYPE_CHECKING runs
                    visit(ast.Module(body=[branch], type_ignores=[]), in_function)
            else:
                visit(child, in_function)

    visit(tree, False)
    return imported, inner


def read_imports(root: Path) -> ImportMap:
    """The import map of the package at ``root``, from its source."""
    modules = _module_names(root)
    found = ImportMap()
    for module, (path, is_package) in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        found.graph[module], inner = _imports_of(tree, module, is_package, modules)
        if inner:
            found.in_functions[module] = inner
    return found


def find_cycle(graph: Mapping[str, set[str]]) -> list[str] | None:
    """One import cycle of ``graph`` (``[a, b, ..., a]``), or None when there is none."""
    done: set[str] = set()
    for start in sorted(graph):
        if start in done:
            continue
        path, on_path = [start], {start}
        pending = [iter(sorted(graph.get(start, ())))]
        while pending:
            following = next(pending[-1], None)
            if following is None:
                pending.pop()
                finished = path.pop()
                on_path.discard(finished)
                done.add(finished)
            elif following in on_path:
                return path[path.index(following) :] + [following]
            elif following not in done:
                path.append(following)
                on_path.add(following)
                pending.append(iter(sorted(graph.get(following, ()))))
    return None


def layer_violations(graph: Mapping[str, set[str]]) -> list[str]:
    """Each import that goes up a layer: models import neither services nor web; services
    do not import web; the support modules (top-level modules that are not APPLICATION)
    import neither services nor web."""

    def forbidden(module: str) -> tuple[str, ...]:
        if module == "forum.models" or module.startswith("forum.models."):
            return ("forum.services", "forum.web")
        if module == "forum.services" or module.startswith("forum.services."):
            return ("forum.web",)
        top = ".".join(module.split(".")[:2])
        return () if top in APPLICATION else ("forum.services", "forum.web")

    return sorted(
        f"{module} imports {target}"
        for module, targets in graph.items()
        for target in targets
        for layer in forbidden(module)
        if target == layer or target.startswith(layer + ".")
    )


# --- the package -----------------------------------------------------------------------

IMPORTS = read_imports(PACKAGE)


def test_no_module_of_the_package_imports_itself_back_through_others():
    cycle = find_cycle(IMPORTS.graph)
    assert cycle is None, "import cycle: " + " -> ".join(cycle)


def test_each_layer_imports_only_the_layers_below_it():
    assert layer_violations(IMPORTS.graph) == []


def test_the_application_modules_listed_exist():
    assert set(APPLICATION) <= set(IMPORTS.graph)


def test_imports_inside_functions_are_only_the_listed_ones():
    found = {
        (module, target) for module, inner in IMPORTS.in_functions.items() for _, target in inner
    }
    assert found == set(FUNCTION_IMPORTS_ALLOWED)


# --- the size of a module --------------------------------------------------------------

# A module past this has grown more than one responsibility: split it by subject (as
# forum/web/api/ has its routes and payloads), not by cutting it in the middle. The
# demo's modules are data (texts written as a person would), not code.
MAX_MODULE_LINES = 500
SIZE_EXEMPT = ("forum/demo/",)


def modules_over(root: Path, limit: int, exempt: tuple[str, ...] = ()) -> dict[str, int]:
    """Each module below ``root`` (a package) longer than ``limit`` lines, by its path
    from ``root``'s parent, with its count; those under an ``exempt`` folder left out."""
    found = {}
    for path in sorted(root.rglob("*.py")):
        name = path.relative_to(root.parent).as_posix()
        if name.startswith(exempt):
            continue
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > limit:
            found[name] = lines
    return found


def test_no_module_of_the_package_is_over_the_line_limit_but_the_demos_data():
    over = modules_over(PACKAGE, MAX_MODULE_LINES, SIZE_EXEMPT)
    listed = ", ".join(f"{name} ({lines})" for name, lines in over.items())
    assert not over, f"modules over {MAX_MODULE_LINES} lines (split them by subject): {listed}"


# --- the checker itself ------------------------------------------------------------------


def test_a_cycle_is_found_and_named():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b", "c"}, "b": {"c"}, "c": set()}) is None
    assert find_cycle({"a": {"a"}}) == ["a", "a"]


def test_a_planted_cycle_in_real_modules_is_found(tmp_path):
    package = tmp_path / "planted"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "first.py").write_text("from planted import second\n")
    (package / "second.py").write_text("from planted.third import value\n")
    (package / "third.py").write_text("from . import first\nvalue = 1\n")
    imports = read_imports(package)
    assert imports.graph["planted.third"] == {"planted.first"}
    assert find_cycle(imports.graph) == [
        "planted.first",
        "planted.second",
        "planted.third",
        "planted.first",
    ]


def test_type_checking_and_function_imports_are_not_edges_but_the_latter_are_listed(tmp_path):
    package = tmp_path / "planted"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "first.py").write_text("from planted import second\n")
    (package / "second.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from planted import first\n"
        "def later():\n    from planted.first import x\n"
    )
    imports = read_imports(package)
    assert find_cycle(imports.graph) is None
    assert imports.in_functions == {"planted.second": [(5, "planted.first")]}


def test_a_layer_imported_from_below_is_reported():
    graph = {
        "forum.models.questions": {"forum.services.search"},
        "forum.services.faq": {"forum.web.forms", "forum.models"},
        "forum.labels": {"forum.web"},
        "forum.cli": {"forum.services.faq"},
        "forum.web.faq": {"forum.services.faq"},
    }
    assert layer_violations(graph) == [
        "forum.labels imports forum.web",
        "forum.models.questions imports forum.services.search",
        "forum.services.faq imports forum.web.forms",
    ]


def test_a_module_over_the_limit_is_named_and_the_exempt_folder_is_not(tmp_path):
    package = tmp_path / "planted"
    (package / "data").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "short.py").write_text("x = 1\n" * 3)
    (package / "long.py").write_text("x = 1\n" * 4)
    (package / "data" / "texts.py").write_text("x = 1\n" * 9)
    assert modules_over(package, 3, ("planted/data/",)) == {"planted/long.py": 4}
    assert modules_over(package, 3) == {"planted/long.py": 4, "planted/data/texts.py": 9}
