"""The layers' arrows run one way: web -> services -> models.

Read from the source with ``ast``, without importing anything: no module under
forum/services or forum/models reads the request or the session, builds a URL from
an endpoint name, or imports from the web layer. A service that needs what a
request carries takes it as an argument; links and markup are the web layer's.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from forum.config import PROJECT_ROOT

LOWER_LAYERS = ("forum/services", "forum/models")
# What only a request has, or what only the web layer should know (endpoint names).
FLASK_REQUEST_NAMES = frozenset({"request", "session", "url_for"})


def _modules(folder: str) -> list[Path]:
    return sorted((PROJECT_ROOT / folder).rglob("*.py"))


def _is_web(module: str) -> bool:
    return module == "forum.web" or module.startswith("forum.web.")


def layer_violations(source: str) -> list[str]:
    """What in a module's source reaches up into the request or the web layer."""
    found = []
    flask_aliases = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if _is_web(alias.name):
                    found.append(f"line {node.lineno}: import {alias.name}")
                elif alias.name == "flask":
                    flask_aliases.add(alias.asname or "flask")
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if _is_web(node.module):
                found.append(f"line {node.lineno}: from {node.module} import ...")
            elif node.module == "flask":
                found += [
                    f"line {node.lineno}: from flask import {alias.name}"
                    for alias in node.names
                    if alias.name in FLASK_REQUEST_NAMES
                ]
            elif node.module == "forum":
                found += [
                    f"line {node.lineno}: from forum import web"
                    for alias in node.names
                    if alias.name == "web"
                ]
        elif (
            isinstance(node, ast.Attribute)
            and node.attr in FLASK_REQUEST_NAMES
            and isinstance(node.value, ast.Name)
            and node.value.id in flask_aliases
        ):
            found.append(f"line {node.lineno}: {node.value.id}.{node.attr}")
    return found


def test_services_and_models_read_no_request_and_import_nothing_of_the_web_layer():
    modules = [path for folder in LOWER_LAYERS for path in _modules(folder)]
    assert len(modules) > 50  # it really read the packages
    violations = [
        f"{path.relative_to(PROJECT_ROOT)} {violation}"
        for path in modules
        for violation in layer_violations(path.read_text(encoding="utf-8"))
    ]
    assert violations == [], "\n".join(violations)


@pytest.mark.parametrize(
    "source",
    [
        "from flask import current_app, request\n",
        "from flask import url_for as link\n",
        "import flask\nflask.session.get('x')\n",
        "import flask as f\nf.url_for('main.index')\n",
        "from forum.web.paging import requested_page\n",
        "import forum.web.search.hits\n",
        "from forum import web\n",
    ],
)
def test_the_check_finds_each_way_of_reaching_up(source):
    assert layer_violations(source) != []


def test_the_check_lets_the_app_and_its_config_through():
    assert (
        layer_violations(
            "from flask import current_app, render_template\n"
            "from forum.services.search import finder\n"
        )
        == []
    )
