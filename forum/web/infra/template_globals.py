"""Templates that read the environment's globals in place, not through a copy per render.

Jinja 3 gives each loaded template a ``ChainMap`` over the environment's globals, then
copies it key by key (a Python-level lookup through the chain for each of some 90 names:
the permission rules, the labels, Flask's and the extensions' helpers) into every
render's context and every ``{% import %}`` made with context, and takes a set difference
of its keys at every ``{% from ... import %}``: a question page, whose templates import
eight others, made some 560 lookups through the chain for that alone (issue 28).

``SharedTemplateGlobals`` makes a template without globals of its own read the
environment's dictionary itself, as Jinja 2 did: the copies become one C-level dict
copy. What this gives up: a template's globals are no longer a layer of its own, so
``get_template(name, globals=...)`` on a loaded template would write into every
template's globals. Nothing in the forum passes ``globals=`` (templates get their
values from the render call), and ``tests/web/test_template_globals.py`` fails if
anything does.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

from flask import Flask
from flask.templating import Environment


class SharedGlobalsEnvironment(Environment):
    """Flask's Jinja environment whose templates share its globals dictionary."""

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        if d:
            # Globals of a template's own stay a layer over the environment's.
            return super().make_globals(d)
        return self.globals


class SharedTemplateGlobals(Flask):
    """A Flask app whose Jinja environment is ``SharedGlobalsEnvironment``."""

    jinja_environment = SharedGlobalsEnvironment
