"""The Atom feeds: new FAQ entries, guide releases, and each topic's public questions.

A feed is built as a visitor sees the site, whoever fetches it (services/feeds.py),
so it is one document for everyone, kept by ``cached_document`` and answered with a
304 while its ETag holds. Its language is ``?lang=`` when given, else the reader's.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from flask import Blueprint, Response, abort, current_app, request
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _

from forum.content_language import topic_name
from forum.models import FaqEntry, GuideRelease, Question, Topic
from forum.services import faq_translations, feeds
from forum.services.mail.notifications import external_url
from forum.slugs import slugify
from forum.web.feeds.atom import CONTENT_TYPE, AtomEntry, AtomFeed, render
from forum.web.infra.page_cache import cached_document
from forum.web.public_urls import tag_uri

bp = Blueprint("feeds", __name__)

# An empty feed still needs an <updated>: a fixed date keeps its text, so its ETag, stable.
EMPTY_FEED_UPDATED = datetime(2026, 1, 1, tzinfo=UTC)
MAX_SLUG_LENGTH = 60  # Topic.slug's column


@contextmanager
def _feed_language() -> Iterator[tuple[str, dict[str, str]]]:
    """The feed's language, and the ``lang`` argument its own address carries."""
    asked = request.args.get("lang", "")
    if asked in current_app.config["LANGUAGES"]:
        with force_locale(asked):
            yield asked, {"lang": asked}
    else:
        yield str(get_locale().language), {}


def _atom(feed: AtomFeed) -> Response:
    return Response(render(feed), content_type=CONTENT_TYPE)


@bp.get("/faq/feed.atom")
@cached_document(areas=("faq",))
def faq() -> Response:
    with _feed_language() as (language, lang_arg):
        entries = feeds.newest_faq_entries()
        shown = faq_translations.shown_entries(entries, language)
        return _atom(
            AtomFeed(
                id=tag_uri("faq"),
                title=_("New FAQ entries · CTCC forum"),
                subtitle=_(
                    "Answers the Clinical Trials Competence Centre adds to its frequently "
                    "asked questions."
                ),
                self_link=external_url("feeds.faq", **lang_arg),
                page_link=external_url("faq.index"),
                language=language,
                author=_("Clinical Trials Competence Centre"),
                base_url=external_url("main.home"),
                updated=EMPTY_FEED_UPDATED,
                entries=[_faq_entry(entry, shown[entry.id], language) for entry in entries],
            )
        )


def _faq_entry(entry: FaqEntry, shown, language: str) -> AtomEntry:
    return AtomEntry(
        id=tag_uri(f"faq-entry:{entry.id}"),
        title=shown.title,
        # ?entry= opens the collapsed entry without script.
        link=external_url("faq.index", entry=entry.id, _anchor=f"faq-{entry.id}"),
        published=entry.created_at,
        updated=entry.updated_at,
        content_html=str(shown.body_html),
        language=None if shown.lang == language else shown.lang,
        categories=[(entry.topic.slug, topic_name(entry.topic).text)],
    )


@bp.get("/guide/releases.atom")
@cached_document(areas=("guide",))
def guide_releases() -> Response:
    with _feed_language() as (language, lang_arg):
        return _atom(
            AtomFeed(
                id=tag_uri("guide-releases"),
                title=_("Releases of the requirements guide · CTCC forum"),
                subtitle=_("Each version of the guide once the board has approved it."),
                self_link=external_url("feeds.guide_releases", **lang_arg),
                page_link=external_url("guide.releases"),
                language=language,
                author=_("Clinical Trials Competence Centre"),
                base_url=external_url("main.home"),
                updated=EMPTY_FEED_UPDATED,
                entries=[_release_entry(release) for release in feeds.newest_releases()],
            )
        )


def _release_entry(release: GuideRelease) -> AtomEntry:
    return AtomEntry(
        id=tag_uri(f"guide-release:{release.version}"),
        title=_("Requirements guide, version %(version)s", version=release.version),
        link=external_url("guide.release", version=release.version),
        published=release.published_at,
        # A release is frozen: published is when it last changed.
        updated=release.published_at,
        summary_text=release.notes or _("No notes."),
    )


@bp.get("/topics/<slug>/feed.atom")
@cached_document(areas=("questions",))
def topic(slug: str) -> Response:
    found = feeds.topic_by_slug(slug) if len(slug) <= MAX_SLUG_LENGTH else None
    if found is None:
        abort(404)
    with _feed_language() as (language, lang_arg):
        name = topic_name(found).text
        return _atom(
            AtomFeed(
                id=tag_uri(f"topic:{found.slug}"),
                title=_("Questions on %(topic)s · CTCC forum", topic=name),
                subtitle=_("New public questions filed under %(topic)s.", topic=name),
                self_link=external_url("feeds.topic", slug=found.slug, **lang_arg),
                page_link=external_url("questions.index", topic=found.slug),
                language=language,
                author=_("Clinical Trials Competence Centre"),
                base_url=external_url("main.home"),
                updated=EMPTY_FEED_UPDATED,
                entries=[
                    _question_entry(question, found, language)
                    for question in feeds.newest_topic_questions(found)
                ],
            )
        )


def _question_entry(question: Question, topic: Topic, language: str) -> AtomEntry:
    return AtomEntry(
        id=tag_uri(f"question:{question.id}"),
        title=question.title,
        link=external_url("questions.show", question_id=question.id, slug=slugify(question.title)),
        published=question.created_at,
        updated=question.updated_at,
        content_html=str(question.rendered("body")),
        author=question.author.display_name,
        language=None if question.language.value == language else question.language.value,
        categories=[(topic.slug, topic_name(topic).text)],
    )
