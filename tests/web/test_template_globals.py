"""Templates read the Jinja globals in place (forum/web/infra/template_globals.py)."""

from __future__ import annotations

import ast
from pathlib import Path

from forum.resources import PROJECT_ROOT

TEMPLATE_LOADERS = {"get_template", "select_template", "get_or_select_template", "from_string"}


def test_a_loaded_template_reads_the_environments_globals_without_a_copy(app):
    template = app.jinja_env.get_template("base.html")

    # Jinja's default is a ChainMap over them, copied name by name at every render and import.
    assert template.globals is app.jinja_env.globals


def test_a_global_added_after_a_template_is_loaded_is_seen_by_it(app):
    template = app.jinja_env.from_string("{{ added_late }}")
    app.jinja_env.globals["added_late"] = "seen"

    assert template.render() == "seen"


def test_a_templates_own_globals_stay_its_own(app):
    own = app.jinja_env.from_string("{{ own_value }}", globals={"own_value": "mine"})
    other = app.jinja_env.from_string("{{ own_value is defined }}")

    assert own.render() == "mine"
    assert other.render() == "False"
    assert "own_value" not in app.jinja_env.globals


def test_no_code_loads_a_template_with_globals_of_its_own():
    # With shared globals, get_template(name, globals=...) on a template already loaded
    # would write into every template's globals: pass values to the render instead.
    offenders = []
    for path in sorted((PROJECT_ROOT / "forum").rglob("*.py")):
        tree = ast.parse(Path(path).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in TEMPLATE_LOADERS
                and (any(k.arg == "globals" for k in node.keywords) or len(node.args) > 2)
            ):
                offenders.append(f"{path.relative_to(PROJECT_ROOT)}:{node.lineno}")
    assert offenders == []
