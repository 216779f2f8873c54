"""The API's questions: the topics they are filed under, listing, asking and reading
questions, answering them and commenting (routes on the blueprint of ``routes``)."""

from __future__ import annotations

from flask import current_app, jsonify, url_for
from flask_babel import gettext as _

from forum.extensions import db
from forum.models import Answer, ContentLanguage
from forum.permissions import can_answer, can_ask, can_comment, can_see_text
from forum.services import answers, questions
from forum.services.questions import QuestionDraft, QuestionFilters
from forum.web.api import serializers
from forum.web.api.auth import api_user, require_user
from forum.web.api.bodies import NewAnswer, NewComment, NewQuestion
from forum.web.api.input_fields import MAX_PER_PAGE
from forum.web.api.listing import paginated
from forum.web.api.problems import ApiError
from forum.web.api.queries import QuestionListQuery
from forum.web.api.routes import bp, posting_limit
from forum.web.api.validation import read_body, read_query


@bp.get("/topics")
def list_topics():
    return jsonify({"items": [serializers.topic(item) for item in questions.all_topics()]})


@bp.get("/questions")
def list_questions():
    viewer = api_user()
    query = read_query(QuestionListQuery)
    filters = QuestionFilters(
        topic_slug=query.topic,
        status=query.status,
        unanswered=query.unanswered,
        mine=query.mine,
        device_class=query.device_class,
        stage=query.stage,
        sort=query.sort,
    )
    page = query.page
    per_page = query.per_page or min(current_app.config["QUESTIONS_PER_PAGE"], MAX_PER_PAGE)
    if filters.mine:
        require_user()  # "mine" means nothing without a token
    found = questions.list_questions(viewer, filters, page=page, per_page=per_page)
    return jsonify(
        paginated(
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
        raise ApiError(404, _("There is no such question, or you cannot see it."))
    return jsonify(serializers.question_page(page, viewer))


def _account_language(user) -> ContentLanguage:
    """A script has no interface language: its owner's account language stands in for it."""
    return ContentLanguage.IT if user.locale == ContentLanguage.IT.value else ContentLanguage.EN


def _visible_question(user, question_id: int):
    question = questions.find_visible_question(user, question_id)
    if question is None:
        raise ApiError(404, _("There is no such question, or you cannot see it."))
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
