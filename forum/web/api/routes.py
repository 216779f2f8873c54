"""The JSON API at /api/v1: the same services as the pages, so the same rules hold.

Each view reads its input (``validation``), asks ``permissions`` where the page
does, calls one service function and returns ``serializers``' shape of the
result. Authentication is by bearer token only (``auth``); errors are
problem+json (``problems``). The OpenAPI document (``openapi``) describes
every route here, and a test keeps the two in step.
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, g, jsonify, render_template, request, url_for
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from sqlalchemy.exc import IntegrityError

from forum import calendar
from forum.extensions import csrf, db, limiter
from forum.models import Answer, ContentLanguage
from forum.permissions import can_answer, can_ask, can_comment, can_run_review, can_see_text
from forum.services import (
    answers,
    clinics,
    faq,
    faq_translations,
    questions,
    referral_reading,
)
from forum.services.clinics import ClinicFilters
from forum.services.errors import PermissionDenied, RuleViolation, ServiceError
from forum.services.guide import translated, tree, versions
from forum.services.questions import QuestionDraft, QuestionFilters
from forum.services.review import export as review_export
from forum.services.review import figures as review
from forum.services.review import period as review_period
from forum.services.search import finder
from forum.services.search.finder import SearchFilters
from forum.services.translations import SOURCE_LANGUAGE
from forum.web.api import openapi, serializers
from forum.web.api.auth import api_user, authenticate, require_user
from forum.web.api.bodies import NewAnswer, NewComment, NewQuestion
from forum.web.api.input_fields import MAX_PER_PAGE
from forum.web.api.problems import ApiError, ValidationFailed, from_api_error, problem
from forum.web.api.queries import (
    CLINICS_PER_PAGE,
    SEARCH_PER_PAGE,
    ClinicListQuery,
    FaqQuery,
    LanguageQuery,
    QuestionListQuery,
    ReviewExportQuery,
    ReviewQuery,
    SearchQuery,
)
from forum.web.api.validation import read_body, read_query
from forum.web.guide.release_routes import release_markdown_response
from forum.web.search.hits import hit_url, marked

bp = Blueprint("api", __name__, url_prefix="/api/v1")
# No session cookie authenticates here (auth.py), so there is nothing for a CSRF
# token to protect; scripts could not send one anyway.
csrf.exempt(bp)

# These describe the API and need no caller: a stray Authorization header must
# not keep a person from reading them.
UNAUTHENTICATED_ENDPOINTS = frozenset({"api.openapi_document", "api.docs"})


# --- rate limits: one budget with the pages ---------------------------------------------------


def _caller_key() -> str:
    # The same key as the pages' posting limit (forum/web/infra/rate_limits.py), so a
    # person's budget is one, whether they post from the page or a script.
    user = getattr(g, "api_user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.id}"
    return f"address:{get_remote_address()}"


posting_limit = limiter.shared_limit(
    lambda: current_app.config.get("RATELIMIT_POST", "30 per minute"),
    scope="posting",
    methods=["POST"],
    key_func=_caller_key,
)
search_limit = limiter.shared_limit(
    lambda: current_app.config.get("RATELIMIT_SEARCH", "60 per minute"),
    scope="search",
)


# --- authentication and errors ------------------------------------------------------------------


@bp.before_request
def _authenticate():
    if request.endpoint in UNAUTHENTICATED_ENDPOINTS:
        g.api_user = None
        return
    authenticate()


@bp.errorhandler(ApiError)
def _api_error(error: ApiError):
    return from_api_error(error)


@bp.errorhandler(PermissionDenied)
def _permission_denied(error: PermissionDenied):
    db.session.rollback()
    return problem(403, error.message)


@bp.errorhandler(RuleViolation)
def _rule_violation(error: RuleViolation):
    db.session.rollback()
    if error.field:
        return from_api_error(ValidationFailed([{"field": error.field, "message": error.message}]))
    # A rule broken by the state of things, not by a field: nothing to correct in the body.
    return problem(409, error.message)


@bp.errorhandler(ServiceError)
def _conflict(error: ServiceError):
    # The other service errors are conflicts: a newer revision saved meanwhile, an
    # answer given already.
    db.session.rollback()
    return problem(409, error.message)


@bp.errorhandler(IntegrityError)
def _integrity_error(error: IntegrityError):
    # A unique constraint settled a race with another request.
    db.session.rollback()
    return problem(409, _("Someone else changed this at the same moment. Please retry."))


def _not_found(detail: str | None = None) -> ApiError:
    return ApiError(404, detail)


def _paginated(items: list, *, total: int, page: int, per_page: int) -> dict:
    """A page of a list, with links to its neighbours (the same filters kept)."""
    pages = max((total + per_page - 1) // per_page, 1)

    def link(number: int | None) -> str | None:
        if number is None:
            return None
        # The caller's own parameters, less any that url_for would read as its options.
        args = {key: value for key, value in request.args.items() if not key.startswith("_")}
        args.update(page=number, per_page=per_page)
        return url_for(request.endpoint, **(request.view_args or {}), **args)

    return {
        "items": items,
        "page": page,
        "per_page": per_page,
        "total": total,
        "pages": pages,
        "links": {
            "self": link(page),
            "first": link(1),
            "last": link(pages),
            "prev": link(page - 1 if page > 1 else None),
            "next": link(page + 1 if page < pages else None),
        },
    }


# --- the caller and the vocabulary -------------------------------------------------------------


@bp.get("/me")
def me():
    return jsonify(serializers.me(require_user(), g.api_token))


@bp.get("/topics")
def list_topics():
    return jsonify({"items": [serializers.topic(item) for item in questions.all_topics()]})


# --- questions -----------------------------------------------------------------------------------


@bp.get("/questions")
def list_questions():
    viewer = api_user()
    query = read_query(QuestionListQuery)
    filters = QuestionFilters(
        topic_slug=query.topic, status=query.status, unanswered=query.unanswered, mine=query.mine
    )
    page = query.page
    per_page = query.per_page or min(current_app.config["QUESTIONS_PER_PAGE"], MAX_PER_PAGE)
    if filters.mine:
        require_user()  # "mine" means nothing without a token
    found = questions.list_questions(viewer, filters, page=page, per_page=per_page)
    return jsonify(
        _paginated(
            [serializers.question_summary(item) for item in found.items],
            total=found.total or 0,
            page=page,
            per_page=per_page,
        )
    )


@bp.post("/questions")
@posting_limit
def create_question():
    user = require_user()
    if not can_ask(user):
        raise ApiError(403)
    known = {item.slug: item.id for item in questions.all_topics()}
    body = read_body(NewQuestion, topic_slugs=known)
    question = questions.ask(
        user,
        QuestionDraft(
            title=body.title,
            body=body.body,
            topic_ids=[known[slug] for slug in body.topics],
            device_class=body.device_class,
            stage=body.stage,
            visibility=body.visibility,
            language=body.language or _account_language(user),
        ),
    )
    page = questions.load_question_page(user, question.id)
    response = jsonify(serializers.question_page(page, user))
    response.status_code = 201
    response.headers["Location"] = url_for(".get_question", question_id=question.id)
    return response


@bp.get("/questions/<int:question_id>")
def get_question(question_id: int):
    viewer = api_user()
    page = questions.load_question_page(viewer, question_id)
    if page is None:
        raise _not_found(_("There is no such question, or you cannot see it."))
    return jsonify(serializers.question_page(page, viewer))


def _account_language(user) -> ContentLanguage:
    """A script has no interface language: its owner's account language stands in for it."""
    return ContentLanguage.IT if user.locale == ContentLanguage.IT.value else ContentLanguage.EN


def _visible_question(user, question_id: int):
    question = questions.find_visible_question(user, question_id)
    if question is None:
        raise _not_found(_("There is no such question, or you cannot see it."))
    return question


@bp.post("/questions/<int:question_id>/answers")
@posting_limit
def create_answer(question_id: int):
    user = require_user()
    question = _visible_question(user, question_id)
    answers.refuse_if_locked(question)  # 409 with the moderators' reason
    if not can_answer(user, question):
        raise ApiError(
            403,
            _(
                "Only the board's experts answer questions; the person who asked "
                "can add a comment to clarify."
            ),
        )
    body = read_body(NewAnswer)
    answer = answers.post_answer(
        question, user, body.body, language=body.language or _account_language(user)
    )
    response = jsonify(serializers.answer(answer, user, accepted=False))
    response.status_code = 201
    return response


@bp.post("/questions/<int:question_id>/comments")
@posting_limit
def create_comment(question_id: int):
    user = require_user()
    question = _visible_question(user, question_id)
    answers.refuse_if_locked(question)  # 409 with the moderators' reason
    if not can_comment(user, question):
        raise ApiError(403, _("Only the person who asked and the experts comment on a question."))

    def is_answer_of_question(answer_id: int) -> bool:
        target = db.session.get(Answer, answer_id)
        return (
            target is not None and target.question_id == question.id and can_see_text(user, target)
        )

    body = read_body(NewComment, is_answer_of_question=is_answer_of_question)
    # Already loaded by the check: the session's identity map answers without a query.
    target = db.session.get(Answer, body.answer_id) if body.answer_id is not None else None
    comment = answers.post_comment(
        question, user, body.body, answer=target, language=body.language or _account_language(user)
    )
    response = jsonify(serializers.comment(comment))
    response.status_code = 201
    return response


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
        raise _not_found(_("There is no such FAQ entry."))
    shown = faq_translations.shown_entries([entry], language)[entry.id]
    return jsonify(serializers.faq_entry(entry, api_user(), shown))


# --- the guide -------------------------------------------------------------------------------------


@bp.get("/guide")
def get_guide():
    language = read_query(LanguageQuery).language
    current = tree.load_current_guide()
    if current is None:
        raise _not_found(_("There is no guide yet."))
    return jsonify(serializers.current_guide(current, translated.shown_guide(current, language)))


@bp.get("/guide/releases")
def list_guide_releases():
    return jsonify({"items": [serializers.release_summary(item) for item in versions.releases()]})


def _release_or_404(version: str):
    found = versions.get_release(version) if versions.VERSION_PATTERN.fullmatch(version) else None
    if found is None or not found.is_published:  # a draft awaits approval: not public
        raise _not_found(_("There is no release %(version)s.", version=version[:20]))
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
        raise _not_found(_("There is no release %(version)s.", version=version[:20]))
    return release_markdown_response(found, text=text, language=language)


# --- clinics ---------------------------------------------------------------------------------------


@bp.get("/clinics")
def list_clinics():
    viewer = api_user()
    query = read_query(ClinicListQuery)
    filters = ClinicFilters(
        query=(query.q or "").strip(),
        city=query.city,
        specialty=query.specialty,
        device_studies_only=query.device_studies,
    )
    page, per_page = query.page, query.per_page or CLINICS_PER_PAGE
    found = clinics.list_clinics(viewer, filters, page=page, per_page=per_page)
    return jsonify(
        _paginated(
            [serializers.clinic(item, viewer) for item in found.items],
            total=found.total,
            page=page,
            per_page=per_page,
        )
    )


@bp.get("/clinics/<int:clinic_id>")
def get_clinic(clinic_id: int):
    viewer = api_user()
    found = clinics.get_clinic(viewer, clinic_id)
    if found is None:
        raise _not_found(_("There is no such clinic."))
    return jsonify(serializers.clinic(found, viewer))


# --- referrals -------------------------------------------------------------------------------------


@bp.get("/referrals/<int:facilitation_id>")
def get_referral(facilitation_id: int):
    found = referral_reading.load_facilitation(require_user(), facilitation_id)
    if found is None:
        raise _not_found(_("There is no such referral."))
    return jsonify(serializers.referral(found, g.api_user))


# --- search ----------------------------------------------------------------------------------------


def _search_hit(hit) -> dict:
    return {
        "kind": hit.kind,
        "object_id": hit.object_id,
        "title": hit.title,
        "title_html": str(marked(hit.title_passage)),
        "snippet_html": str(marked(hit.snippet)),
        "url": hit_url(hit),
        "question_id": hit.question_id,
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
    document = _paginated(
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


# --- the six-month review (admins) ----------------------------------------------------------------


def _reviewer():
    user = require_user()
    if not can_run_review(user):
        raise ApiError(403, _("The review and its exports are for the centre's admins."))
    return user


def _review_period(query: ReviewQuery | ReviewExportQuery):
    try:
        return review_period.parse_period(query.from_, query.to, today=calendar.today())
    except RuleViolation as error:
        raise ValidationFailed(
            [{"field": error.field or "from", "message": error.message}], status=400
        ) from None


@bp.get("/review")
def get_review():
    _reviewer()
    figures = review.build_review(_review_period(read_query(ReviewQuery)))
    return jsonify(review_export.as_document(figures))


@bp.get("/review/export")
def export_review():
    _reviewer()
    query = read_query(ReviewExportQuery)
    export_format = query.format
    figures = review.build_review(_review_period(query))
    return Response(
        review_export.export(figures, export_format),
        mimetype=review_export.MEDIA_TYPES[export_format],
        headers={
            "Content-Disposition": f'attachment; filename="{review_export.file_name(figures, export_format)}"'
        },
    )


# --- the document and its page ---------------------------------------------------------------------


@bp.get("/openapi.json")
def openapi_document():
    return jsonify(openapi.document())


@bp.get("/docs")
def docs():
    return render_template(
        "api/docs.html",
        spec=openapi.document(),
        operations=openapi.operations(),
        schema_label=openapi.schema_label,
        schema_limits=openapi.schema_limits,
    )
