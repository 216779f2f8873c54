"""/search: one search over questions, answers, board answers, the FAQ and the guide;
/search/suggest: similar texts for a question title being typed (JSON).

Everyone may search, visitors included; both routes show only what the reader
may open (the service filters in SQL). A results page is kept in the page cache
like the other read pages, per reader and content generation, so a search that
many people make (or one reader paging back) is ranked once per change.
"""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template, request
from flask_login import current_user

from forum.services import questions
from forum.services.errors import RuleViolation
from forum.services.search import finder
from forum.services.search.finder import SearchFilters
from forum.web.forms import attach_error
from forum.web.infra import rate_limits
from forum.web.infra.page_cache import cached_page
from forum.web.paging import requested_page
from forum.web.search.forms import KIND_LABEL, KIND_LABELS, SearchForm
from forum.web.search.hits import hit_url, marked, part_label
from forum.web.translation_editing import reader_language

bp = Blueprint("search", __name__, url_prefix="/search")

PER_PAGE = 20
# Pages past the ranked candidates are empty anyway: a lower bound than other lists'.
MAX_PAGE = 1_000
# The service's names for the filters, as the form's fields.
_FORM_FIELDS = {"kind": "kind", "status": "status", "to": "until"}


@bp.get("")
@rate_limits.search  # outside the cache: a search served from it still counts
@cached_page(
    areas=("search", "questions", "faq", "guide")
)  # the same words, filters and page, for the same reader: the same results
def index():
    form = SearchForm(formdata=request.args)
    form.set_topics(questions.all_topics())
    query = form.q.data or ""
    results = None
    status = 200
    if not form.validate():
        status = 400  # the form again, with the message beside the field at fault
    elif query.strip():
        filters = SearchFilters(
            kinds=frozenset([form.kind.data] if form.kind.data else []),
            topic_slug=form.topic.data or None,
            status=form.status.data or None,
            since=form.since.data,
            until=form.until.data,
        )
        try:
            results = finder.search(
                current_user,
                query,
                filters,
                page=requested_page(MAX_PAGE),
                per_page=PER_PAGE,
                language=reader_language(),
            )
        except RuleViolation as error:
            attach_error(getattr(form, _FORM_FIELDS.get(error.field or "", "q")), error.message)
            status = 400
    return render_template(
        "search/index.html",
        form=form,
        results=results,
        kind_labels=KIND_LABELS,
        kind_label=KIND_LABEL,
        hit_url=hit_url,
        marked=marked,
        part_label=part_label,
    ), status


@bp.get("/suggest")
@rate_limits.suggest  # a request at each pause in typing: its own budget
def suggest():
    """Up to six questions, FAQ entries and guide sections like ``q``, as JSON."""
    hits = finder.suggest(current_user, request.args.get("q", ""))
    response = jsonify(
        {
            "suggestions": [
                {
                    "kind": hit.kind,
                    "kind_label": str(KIND_LABEL[hit.kind]),
                    "title": hit.title,
                    "url": hit_url(hit),
                }
                for hit in hits
            ],
        }
    )
    # Personal (what the reader may see) and changing with every keystroke.
    response.headers["Cache-Control"] = "no-store"
    return response
