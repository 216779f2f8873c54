"""Templates' translated strings and dates: the page's locale, looked up cheaply
(forum/web/templating.py)."""

from __future__ import annotations

from datetime import UTC, datetime

import flask_babel
from flask_babel import force_locale

from forum.web import templating

# Each request in an app context of its own: the fixture's would keep the first locale in g.
STRINGS = "{{ _('Revision history') }}|{{ ngettext('%(num)d answer', '%(num)d answers', 3) }}"


def test_template_strings_follow_the_locale_even_when_forced(app):
    template = app.jinja_env.from_string(STRINGS)
    with app.app_context(), app.test_request_context(headers={"Accept-Language": "en"}):
        assert template.render() == "Revision history|3 answers"
        with force_locale("it"):
            assert template.render() == "Cronologia delle revisioni|3 risposte"
        assert template.render() == "Revision history|3 answers"


def test_a_locales_catalogue_is_asked_of_flask_babel_once(app, monkeypatch):
    asked = []
    real = flask_babel.get_translations

    def counting():
        asked.append(1)
        return real()

    monkeypatch.setattr(templating, "get_translations", counting)
    # The callables are installed when the app is built: build them again over the counter.
    templating._install_gettext(app)
    template = app.jinja_env.from_string(STRINGS * 20)
    with app.app_context(), app.test_request_context(headers={"Accept-Language": "it"}):
        template.render()
        template.render()
    with app.app_context(), app.test_request_context(headers={"Accept-Language": "it"}):
        template.render()

    # Flask-Babel's own callables asked it for each of the 40 strings of every render.
    assert len(asked) == 1


def test_a_moment_is_shown_to_the_minute_in_the_readers_language(app):
    moment = datetime(2026, 3, 5, 13, 30, tzinfo=UTC)
    template = app.jinja_env.from_string("{{ moment|datetime }}")
    with app.app_context(), app.test_request_context(headers={"Accept-Language": "en"}):
        english = template.render(moment=moment)
    with app.app_context(), app.test_request_context(headers={"Accept-Language": "it"}):
        italian = template.render(moment=moment)

    assert english == "Mar 5, 2026, 2:30\u202fPM"  # Babel's narrow no-break space
    assert italian == "5 mar 2026, 14:30"


def test_the_minute_pattern_is_built_once_a_locale(app, monkeypatch):
    built = []
    real = templating.get_datetime_format

    def counting(*args, **kwargs):
        built.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(templating, "get_datetime_format", counting)
    templating._minute_pattern.cache_clear()
    moment = datetime(2026, 3, 5, 13, 30, tzinfo=UTC)
    template = app.jinja_env.from_string("{{ moment|datetime }}" * 10)
    with app.app_context(), app.test_request_context(headers={"Accept-Language": "it"}):
        template.render(moment=moment)
        template.render(moment=moment)

    assert len(built) == 1
