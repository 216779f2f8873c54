"""The API's curated texts: the published FAQ and the requirements guide with its
releases, in English or Italian (routes on the blueprint of ``routes``)."""

from __future__ import annotations

from flask import jsonify, request
from flask_babel import gettext as _

from forum.services import faq, faq_translations
from forum.services.guide import translated, tree, versions
from forum.services.translations import SOURCE_LANGUAGE
from forum.web.api import serializers
from forum.web.api.auth import api_user
from forum.web.api.problems import ApiError
from forum.web.api.queries import FaqQuery, LanguageQuery
from forum.web.api.routes import bp
from forum.web.api.validation import read_query
from forum.web.guide.release_routes import release_markdown_response

# --- the FAQ ---------------------------------------------------------------------------------------


@bp.get("/faq")
def list_faq():
    viewer = api_user()
    query = read_query(FaqQuery)
    entries = [
        entry
        for group in faq.published_entries_by_topic()
        if query.topic is None or group.topic.slug == query.topic
        for entry in group.entries
    ]
    shown = faq_translations.shown_entries(entries, query.language)
    return jsonify(
        {"items": [serializers.faq_entry(entry, viewer, shown[entry.id]) for entry in entries]}
    )


@bp.get("/faq/<int:entry_id>")
def get_faq_entry(entry_id: int):
    entry = faq.load_entry(entry_id)
    # As on /faq: an unpublished entry is not there for anyone.
    language = read_query(LanguageQuery).language
    if entry is None or not entry.published:
        raise ApiError(404, _("There is no such FAQ entry."))
    shown = faq_translations.shown_entries([entry], language)[entry.id]
    return jsonify(serializers.faq_entry(entry, api_user(), shown))


# --- the guide -------------------------------------------------------------------------------------


@bp.get("/guide")
def get_guide():
    language = read_query(LanguageQuery).language
    current = tree.load_current_guide()
    if current is None:
        raise ApiError(404, _("There is no guide yet."))
    return jsonify(serializers.current_guide(current, translated.shown_guide(current, language)))


@bp.get("/guide/releases")
def list_guide_releases():
    return jsonify({"items": [serializers.release_summary(item) for item in versions.releases()]})


def _release_or_404(version: str):
    found = versions.get_release(version) if versions.VERSION_PATTERN.fullmatch(version) else None
    if found is None or not found.is_published:  # a draft awaits approval: not public
        raise ApiError(404, _("There is no release %(version)s.", version=version[:20]))
    return found


@bp.get("/guide/releases/<version>")
def get_guide_release(version: str):
    found = _release_or_404(version)
    # Accept: text/markdown asks for the frozen file itself, as the .md address gives it.
    wanted = request.accept_mimetypes.best_match(["application/json", "text/markdown"])
    if wanted == "text/markdown":
        return release_markdown_response(found)
    return jsonify(serializers.release(found, versions.release_document(found)))


@bp.get("/guide/releases/<version>.md")
def get_guide_release_markdown(version: str):
    language = read_query(LanguageQuery).language
    found = _release_or_404(version)
    if language == SOURCE_LANGUAGE:
        return release_markdown_response(found)
    text = translated.release_markdown(found, language)
    if text is None:  # released before translations were frozen with the guide
        raise ApiError(404, _("There is no release %(version)s.", version=version[:20]))
    return release_markdown_response(found, text=text, language=language)
