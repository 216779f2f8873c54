"""The API's full-text search: the search page's results, with the same confidentiality
(a route on the blueprint of ``routes``)."""

from __future__ import annotations

from flask import jsonify

from forum.services.errors import RuleViolation
from forum.services.search import finder
from forum.services.search.finder import SearchFilters
from forum.web.api import serializers
from forum.web.api.auth import api_user
from forum.web.api.listing import paginated
from forum.web.api.problems import ValidationFailed
from forum.web.api.queries import SEARCH_PER_PAGE, SearchQuery
from forum.web.api.routes import bp, search_limit
from forum.web.api.validation import read_query
from forum.web.search.hits import hit_url, marked


def _search_hit(hit) -> dict:
    return {
        "kind": hit.kind,
        "object_id": hit.object_id,
        "title": hit.title,
        "title_html": str(marked(hit.title_passage)),
        "snippet_html": str(marked(hit.snippet)),
        "url": hit_url(hit),
        "question_id": hit.question_id,
        "author_name": hit.author_name,
        "created_at": serializers.moment(hit.created_at),
    }


@bp.get("/search")
@search_limit
def search_texts():
    viewer = api_user()
    query = read_query(SearchQuery)
    filters = SearchFilters(
        kinds=frozenset(query.kind),
        topic_slug=query.topic,
        status=query.status.value if query.status is not None else None,
        since=query.since,
        until=query.until,
    )
    page, per_page = query.page, query.per_page or SEARCH_PER_PAGE
    try:
        # The same service, and so the same confidentiality, as the search page.
        results = finder.search(viewer, query.q or "", filters, page=page, per_page=per_page)
    except RuleViolation as error:
        # The service names the page's fields; here the period is since/until.
        field = {"from": "since", "to": "until"}.get(error.field, error.field or "q")
        raise ValidationFailed([{"field": field, "message": error.message}], status=400) from None
    document = paginated(
        [_search_hit(hit) for hit in results.hits],
        total=results.total,
        page=page,
        per_page=per_page,
    )
    document.update(
        {
            "query": results.query,
            "searched": results.searched,
            "total_is_lower_bound": results.total_is_lower_bound,
            "kind_counts": {kind: results.kind_counts.get(kind, 0) for kind in finder.KINDS},
        }
    )
    return jsonify(document)
