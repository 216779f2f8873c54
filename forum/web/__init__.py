"""The web layer: blueprints, error pages, template helpers; the request path's machinery
(caching, limits, retries, headers) is in ``infra``."""

from __future__ import annotations

from flask import Flask
from werkzeug.routing import IntegerConverter

from forum.web import errors, markdown_preview, templating
from forum.web.account.routes import bp as account_bp
from forum.web.admin.routes import bp as admin_bp
from forum.web.api import (
    clinic_routes,  # noqa: F401  (its views join the API's blueprint)
    curated_routes,  # noqa: F401  (likewise)
    question_routes,  # noqa: F401  (likewise)
    review_routes,  # noqa: F401  (likewise)
    search_routes,  # noqa: F401  (likewise)
)
from forum.web.api.routes import bp as api_bp
from forum.web.attachments.routes import bp as attachments_bp
from forum.web.auth.routes import bp as auth_bp
from forum.web.board.routes import bp as board_bp
from forum.web.centre_pages import consent as centre_pages_consent
from forum.web.centre_pages.admin_routes import bp as centre_pages_admin_bp
from forum.web.centre_pages.routes import bp as centre_pages_bp
from forum.web.citations.routes import bp as citations_bp
from forum.web.clinics import referral_routes  # noqa: F401  (its views join the clinics blueprint)
from forum.web.clinics.routes import bp as clinics_bp
from forum.web.dashboard.routes import bp as dashboard_bp
from forum.web.experts.routes import bp as experts_bp
from forum.web.faq.routes import bp as faq_bp
from forum.web.feasibility.routes import bp as feasibility_bp
from forum.web.feeds.routes import bp as feeds_bp
from forum.web.forms import MAX_ID
from forum.web.guide import (
    release_routes,  # noqa: F401  (its views join the guide blueprint)
    translation_routes,  # noqa: F401  (likewise)
)
from forum.web.guide.routes import bp as guide_bp
from forum.web.guide_proposals.routes import bp as guide_proposals_bp
from forum.web.health.routes import bp as health_bp
from forum.web.infra import (
    body_limit,
    finished_requests,
    rate_limits,
    reconnect,
    request_ids,
    security_headers,
    visits,
)
from forum.web.language.routes import bp as language_bp
from forum.web.law_changes.routes import bp as law_changes_bp
from forum.web.main.routes import bp as main_bp
from forum.web.matchmaking.admin_routes import bp as matchmaking_admin_bp
from forum.web.matchmaking.routes import bp as matchmaking_bp
from forum.web.metrics.routes import bp as metrics_bp
from forum.web.moderation.routes import admin_bp as moderation_admin_bp
from forum.web.moderation.routes import bp as moderation_bp
from forum.web.network.admin_routes import bp as network_admin_bp
from forum.web.network.routes import bp as network_bp
from forum.web.notifications.routes import bp as notifications_bp
from forum.web.organisations.routes import admin_bp as organisations_admin_bp
from forum.web.organisations.routes import bp as organisations_bp
from forum.web.preview.routes import bp as preview_bp
from forum.web.projects.routes import bp as projects_bp
from forum.web.questions.routes import bp as questions_bp
from forum.web.review.routes import bp as review_bp
from forum.web.search.routes import bp as search_bp
from forum.web.site_files.routes import bp as site_files_bp
from forum.web.study_visits.routes import bp as study_visits_bp
from forum.web.survey.admin_routes import bp as survey_admin_bp
from forum.web.survey.routes import bp as survey_bp
from forum.web.tokens.routes import bp as tokens_bp
from forum.web.translations.routes import bp as translations_bp


class DatabaseIdConverter(IntegerConverter):
    """``<int:...>`` in every route, bounded to what an id column holds.

    A larger number cannot name a row; without the bound it would reach the
    database and overflow there (a 500) instead of being a plain 404.
    """

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def register_web(app: Flask) -> None:
    # Before any blueprint adds its rules: converters are bound as rules are added.
    app.url_map.converters["int"] = DatabaseIdConverter
    # First: every other hook's log lines carry the request id, the clock starts before
    # them, and their after-request hooks (run in reverse order) come last.
    request_ids.register(app)
    finished_requests.register(app)
    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(account_bp)
    app.register_blueprint(language_bp)
    app.register_blueprint(questions_bp)
    app.register_blueprint(attachments_bp)
    app.register_blueprint(moderation_bp)
    app.register_blueprint(moderation_admin_bp)
    app.register_blueprint(faq_bp)
    app.register_blueprint(guide_bp)
    app.register_blueprint(guide_proposals_bp)
    app.register_blueprint(law_changes_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(board_bp)
    app.register_blueprint(review_bp)
    app.register_blueprint(projects_bp)
    app.register_blueprint(experts_bp)
    app.register_blueprint(notifications_bp)
    app.register_blueprint(dashboard_bp)
    app.register_blueprint(search_bp)
    app.register_blueprint(citations_bp)
    app.register_blueprint(clinics_bp)
    app.register_blueprint(survey_bp)
    app.register_blueprint(survey_admin_bp)
    app.register_blueprint(tokens_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(centre_pages_bp)
    app.register_blueprint(centre_pages_admin_bp)
    app.register_blueprint(organisations_bp)
    app.register_blueprint(organisations_admin_bp)
    app.register_blueprint(matchmaking_bp)
    app.register_blueprint(matchmaking_admin_bp)
    app.register_blueprint(network_bp)
    app.register_blueprint(network_admin_bp)
    app.register_blueprint(translations_bp)
    app.register_blueprint(study_visits_bp)
    app.register_blueprint(feasibility_bp)
    app.register_blueprint(feeds_bp)
    app.register_blueprint(site_files_bp)
    app.register_blueprint(preview_bp)
    app.register_blueprint(health_bp)
    app.register_blueprint(metrics_bp)
    errors.register(app)
    body_limit.register(app)  # 413 also for chunked bodies, which carry no length
    reconnect.register(app)  # a lost database connection costs a retry, not a 500
    rate_limits.register(app)
    templating.register(app)
    markdown_preview.register(app)  # a form shown again as a preview is a 200
    security_headers.register(app)
    # After login, a new privacy notice version is accepted before anything else.
    centre_pages_consent.register(app)
    visits.register(app)  # counts page views in memory; no database write per request
