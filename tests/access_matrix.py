"""The access matrix: for every route and method, what each kind of reader gets.

How to read a row::

    (endpoint, method, object, query, visitor, member, other, expert, chair, admin)

- ``endpoint`` and ``method`` name a rule of ``app.url_map`` (an endpoint with
  two rules, like ``questions.show``, is checked on each of them).
- ``object`` says how the URL's parameters are filled (see ``World.values``):
  ``public`` (a public question by the member, its expert answer, its
  *published* board answer, a referral, and the FAQ entry, guide section,
  release, clinic, survey, outbox message ... that do not depend on a
  question), ``draft`` / ``review`` (a public question whose board answer is a
  draft / in review), ``confidential`` (the member's confidential question,
  its answer, its board answer in review, its referral), ``public-clause`` and
  ``confidential-clause`` (a clause cited only in a public / confidential
  answer), ``topic`` (a topic's slug, and the sitemap's first part of questions), ``public-stance`` / ``review-stance`` / ``confidential-stance`` (the
  published board answer's endorsement by the chair; the clinical expert's
  stance in review; the clinical expert's dissent on the confidential question), ``draft-release`` (a guide release awaiting approval), ``email-change``
  (the member's link confirming a new address), ``started`` / ``verifiable`` (referrals
  whose start an expert recorded, for the member to confirm / an admin to verify),
  ``clinic-link`` (the public referral's clinic link) and ``other-link`` (that link's
  token under the confidential referral's id), ``public-file`` / ``confidential-file`` /
  ``confidential-answer-file`` (files on the public question, the confidential one and
  its answer), ``hidden-answer-file`` (on the expert's answer the admins hid),
  ``proposal-file`` (on the expert's guide proposal), ``unlisted-profile`` (a network
  profile of an organisation none of the readers belongs to, not listed),
  ``spare-profile`` (another, listed, for the admins' delete), or ``-`` for rules without
  parameters (there ``profile_id`` is the member's organisation's listed profile, with a
  matchmaking round and its introduction of that organisation).
- ``query`` is a query string formatted with the same values (``answer={answer_id}``).
- the six columns are the readers: a visitor (not logged in), the member who
  asked both questions, another member, an expert (research), a chair of the
  board (an expert, university) and an admin. Each holds what they must get:

  ``OK``     200
  ``MOVED``  a redirect that is not to the login page
  ``LOGIN``  a redirect to the login page (visitors on pages for signed-in people)
  ``DENY``   403
  ``HIDE``   404 (a confidential object does not reveal that it exists)
  ``AUTH``   401 (the API without a token)
  ``DO``     allowed: the request passed the access checks and reached the form
             or the service, so 200, a redirect (not to login), 400, 409, 410 or
             422 (the test sends POSTs with a valid CSRF token and no other field)

A 500 is never expected. To add a route, add its rows here: the test fails
for any rule and method of the URL map without a row, and for a row whose
endpoint no longer exists.

Routes under ``/api/`` authenticate with bearer tokens and ignore the session:
the test calls them from a client without cookies, sending each reader's own
personal token (none for the visitor), and POSTs an empty JSON object.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select

from forum import calendar
from forum.extensions import db
from forum.models import (
    CentrePage,
    FacilitationStatus,
    LawChangeFlag,
    NetworkRegion,
    OrganisationKind,
    ReferralLink,
    Specialisation,
    StanceKind,
    SurveyItem,
    SurveyItemKind,
    Visibility,
    VisitKind,
)
from forum.models.columns import utcnow
from forum.services import (
    answers,
    board,
    board_stances,
    centre_pages,
    clinics,
    facilitations,
    faq,
    feasibility,
    invitations,
    law_changes,
    moderation,
    network_rounds,
    projects,
    referral_links,
    study_visits,
)
from forum.services import survey as surveys
from forum.services.accounts import api_tokens, creation, password_reset, profile, registration
from forum.services.centre_pages import PageDraft
from forum.services.citations import clause_slug
from forum.services.clinics import ClinicDraft
from forum.services.feasibility import NoteDraft
from forum.services.guide import editing, importing, proposals, publishing, tree
from forum.services.mail import outbox
from forum.services.projects import ProjectDraft
from forum.services.study_visits import VisitDraft
from forum.services.survey import ItemDraft
from tests.factories import (
    People,
    agree_both_sides,
    ask_question,
    make_network_profile,
    published_board_answer,
)
from tests.fixtures import files
from tests.fixtures.people import PASSWORD

OK, MOVED, LOGIN, DENY, HIDE, DO, AUTH = "OK", "MOVED", "LOGIN", "DENY", "HIDE", "DO", "AUTH"
ROLES = ("visitor", "member", "other", "expert", "chair", "admin")

# The same six columns over and over; named so the table reads as a policy.
EVERYONE = (OK, OK, OK, OK, OK, OK)
SIGNED_IN = (LOGIN, OK, OK, OK, OK, OK)
SIGNED_IN_DO = (LOGIN, DO, DO, DO, DO, DO)
ADMIN_PAGE = (LOGIN, DENY, DENY, DENY, DENY, OK)
ADMIN_DO = (LOGIN, DENY, DENY, DENY, DENY, DO)
EXPERT_PAGE = (LOGIN, DENY, DENY, OK, OK, DENY)
CONFIDENTIAL_PAGE = (HIDE, OK, HIDE, OK, OK, OK)  # the author, experts and admins
BOARD_ONLY_PAGE = (HIDE, HIDE, HIDE, OK, OK, OK)  # drafts: experts and admins

TOKEN_ONLY = (AUTH, OK, OK, OK, OK, OK)  # the API: any personal token
API_ADMIN = (AUTH, DENY, DENY, DENY, DENY, OK)

# Rules the matrix does not walk (path prefix -> the reason). None today: even the API
# is walked, with tokens.
NOT_IN_MATRIX: dict[str, str] = {}

ROWS: list[tuple] = [
    # endpoint                      method  object                 query                      visitor member other  expert chair  admin
    ("main.home", "GET", "-", "", *EVERYONE),
    ("static", "GET", "-", "", *EVERYONE),
    # --- the public files and feeds: one document for everyone, built as a visitor sees it
    ("site_files.favicon", "GET", "-", "", *EVERYONE),
    ("site_files.robots", "GET", "-", "", *EVERYONE),
    ("site_files.sitemap_index_file", "GET", "-", "", *EVERYONE),
    ("site_files.pages", "GET", "-", "", *EVERYONE),
    ("site_files.questions", "GET", "topic", "", *EVERYONE),
    # --- the probes, open to all; /metrics by address: the test client's is 127.0.0.1,
    # an allowed one (tests/web/test_metrics.py checks the refusals)
    ("health.alive", "GET", "-", "", *EVERYONE),
    ("health.ready", "GET", "-", "", *EVERYONE),
    ("metrics.scrape", "GET", "-", "", *EVERYONE),
    ("feeds.faq", "GET", "-", "", *EVERYONE),
    ("feeds.guide_releases", "GET", "-", "", *EVERYONE),
    ("feeds.topic", "GET", "topic", "", *EVERYONE),
    ("feeds.topic", "GET", "-", "", HIDE, HIDE, HIDE, HIDE, HIDE, HIDE),  # no such topic
    # --- accounts
    ("auth.login", "GET", "-", "", *EVERYONE),
    ("auth.login", "POST", "-", "", DO, DO, DO, DO, DO, DO),
    ("auth.register", "GET", "-", "", OK, MOVED, MOVED, MOVED, MOVED, MOVED),
    ("auth.register", "POST", "-", "", DO, MOVED, MOVED, MOVED, MOVED, MOVED),
    # The link in the e-mail carries the registration; the signed-in have an account.
    ("auth.finish_registration", "GET", "registration", "", OK, MOVED, MOVED, MOVED, MOVED, MOVED),
    ("auth.finish_registration", "POST", "registration", "", DO, MOVED, MOVED, MOVED, MOVED, MOVED),
    ("auth.logout", "POST", "-", "", *SIGNED_IN_DO),
    # The centre's pages ({page} is the privacy notice); /privacy/accept sends anyone
    # with nothing left to accept (everyone here) to the home page.
    ("centre_pages.show", "GET", "-", "", *EVERYONE),
    ("centre_pages.history", "GET", "-", "", *EVERYONE),
    ("centre_pages.accept_privacy", "GET", "-", "", LOGIN, MOVED, MOVED, MOVED, MOVED, MOVED),
    ("centre_pages.accept_privacy", "POST", "-", "", LOGIN, MOVED, MOVED, MOVED, MOVED, MOVED),
    ("account.sign_out_everywhere", "POST", "-", "", *SIGNED_IN_DO),
    ("account.index", "GET", "-", "", *SIGNED_IN),
    ("account.email_frequency", "POST", "-", "", *SIGNED_IN_DO),
    ("account.change_password", "GET", "-", "", *SIGNED_IN),
    ("account.change_password", "POST", "-", "", *SIGNED_IN_DO),
    ("account.export", "GET", "-", "", *SIGNED_IN),
    # An empty form: the password is asked again, so nobody is deleted here.
    ("account.delete", "GET", "-", "", *SIGNED_IN),
    ("account.delete", "POST", "-", "", *SIGNED_IN_DO),
    # Profiles: the empty POSTs fail the forms (no name; no address), changing nothing.
    ("account.edit_profile", "GET", "-", "", *SIGNED_IN),
    ("account.edit_profile", "POST", "-", "", *SIGNED_IN_DO),
    ("account.change_email", "GET", "-", "", *SIGNED_IN),
    ("account.change_email", "POST", "-", "", *SIGNED_IN_DO),
    # The member's link to confirm a new address: only the member's own session may use it
    # (the address was taken since, so the member's POST is a 409 and changes nothing).
    ("account.confirm_email", "GET", "email-change", "", LOGIN, OK, DENY, DENY, DENY, DENY),
    ("account.confirm_email", "POST", "email-change", "", LOGIN, DO, DENY, DENY, DENY, DENY),
    ("account.forgot_password", "GET", "-", "", *EVERYONE),
    ("account.forgot_password", "POST", "-", "", DO, DO, DO, DO, DO, DO),
    # The link in the e-mail is the credential, whoever follows it.
    ("account.reset_password", "GET", "reset", "", *EVERYONE),
    ("account.reset_password", "POST", "reset", "", DO, DO, DO, DO, DO, DO),
    # --- search (what it finds is checked in tests/web/test_injection.py and the search tests)
    ("search.index", "GET", "-", "q=sensor", *EVERYONE),
    ("search.suggest", "GET", "-", "q=sensor", *EVERYONE),
    # --- personal API tokens: each person's own; someone else's token is a 404
    ("tokens.index", "GET", "-", "", *SIGNED_IN),
    ("tokens.create", "POST", "-", "", *SIGNED_IN_DO),
    ("tokens.revoke", "POST", "-", "", LOGIN, DO, HIDE, HIDE, HIDE, HIDE),
    # --- the language: visitors switch by GET (their session only); signed-in people post
    ("language.choose", "GET", "-", "", *EVERYONE),
    ("language.choose", "GET", "-", "locale=it", MOVED, OK, OK, OK, OK, OK),
    ("language.change", "POST", "-", "", DO, DO, DO, DO, DO, DO),
    # --- the Markdown preview of the forms' script: anyone signed in (an empty text: 200)
    ("preview.render", "POST", "-", "", *SIGNED_IN_DO),
    # --- questions
    ("questions.index", "GET", "-", "", *EVERYONE),
    ("questions.index", "GET", "-", "mine=1&status=open", *EVERYONE),
    ("questions.ask", "GET", "-", "", *SIGNED_IN),
    ("questions.ask", "POST", "-", "", *SIGNED_IN_DO),
    ("questions.show", "GET", "public", "", *EVERYONE),
    ("questions.show", "GET", "confidential", "", *CONFIDENTIAL_PAGE),
    # Files follow their text's rule; a refusal is a 404, as for an unknown id.
    ("attachments.download", "GET", "public-file", "", *EVERYONE),
    ("attachments.download", "GET", "confidential-file", "", *CONFIDENTIAL_PAGE),
    ("attachments.download", "GET", "confidential-answer-file", "", *CONFIDENTIAL_PAGE),
    # An answer hidden by the moderators: its author (the expert) and the admins.
    ("attachments.download", "GET", "hidden-answer-file", "", HIDE, HIDE, HIDE, OK, HIDE, OK),
    # A guide proposal's: its proposer (the expert) and the admins.
    ("attachments.download", "GET", "proposal-file", "", HIDE, HIDE, HIDE, OK, HIDE, OK),
    ("questions.edit", "GET", "public", "", LOGIN, OK, DENY, DENY, DENY, OK),
    ("questions.edit", "GET", "confidential", "", LOGIN, OK, HIDE, DENY, DENY, OK),
    ("questions.edit", "POST", "public", "", LOGIN, DO, DENY, DENY, DENY, DO),
    ("questions.edit", "POST", "confidential", "", LOGIN, DO, HIDE, DENY, DENY, DO),
    ("questions.question_history", "GET", "public", "", *EVERYONE),
    ("questions.question_history", "GET", "confidential", "", *CONFIDENTIAL_PAGE),
    ("questions.answer_history", "GET", "public", "", *EVERYONE),
    ("questions.answer_history", "GET", "confidential", "", *CONFIDENTIAL_PAGE),
    ("questions.post_answer", "POST", "public", "", LOGIN, DENY, DENY, DO, DO, DENY),
    ("questions.post_answer", "POST", "confidential", "", LOGIN, DENY, HIDE, DO, DO, DENY),
    ("questions.edit_answer", "GET", "public", "", LOGIN, DENY, DENY, OK, DENY, DENY),
    ("questions.edit_answer", "GET", "confidential", "", LOGIN, DENY, HIDE, OK, DENY, DENY),
    ("questions.edit_answer", "POST", "public", "", LOGIN, DENY, DENY, DO, DENY, DENY),
    ("questions.edit_answer", "POST", "confidential", "", LOGIN, DENY, HIDE, DO, DENY, DENY),
    ("questions.post_comment", "POST", "public", "", LOGIN, DO, DENY, DO, DO, DO),
    ("questions.post_comment", "POST", "confidential", "", LOGIN, DO, HIDE, DO, DO, DO),
    ("questions.accept", "POST", "public", "", LOGIN, DO, DENY, DENY, DENY, DENY),
    ("questions.accept", "POST", "confidential", "", LOGIN, DO, HIDE, DENY, DENY, DENY),
    ("questions.unaccept", "POST", "public", "", LOGIN, DO, DENY, DENY, DENY, DENY),
    ("questions.unaccept", "POST", "confidential", "", LOGIN, DO, HIDE, DENY, DENY, DENY),
    # The answers are the expert's own: marking one's own answer helpful is refused.
    ("questions.helpful", "POST", "public", "", LOGIN, DO, DO, DENY, DO, DO),
    ("questions.helpful", "POST", "confidential", "", LOGIN, DO, HIDE, DENY, DO, DO),
    # --- the board (drafts and stances are the experts'; admins read the workspace)
    ("board.index", "GET", "-", "", LOGIN, DENY, DENY, OK, OK, OK),
    ("board.index", "GET", "-", "state=drafting&page=2", LOGIN, DENY, DENY, OK, OK, OK),
    ("board.new", "GET", "public", "", *EXPERT_PAGE),
    ("board.new", "GET", "confidential", "", LOGIN, DENY, HIDE, OK, OK, DENY),
    ("board.new", "POST", "public", "", LOGIN, DENY, DENY, DO, DO, DENY),
    ("board.new", "POST", "confidential", "", LOGIN, DENY, HIDE, DO, DO, DENY),
    ("board.workspace", "GET", "public", "", LOGIN, DENY, DENY, OK, OK, OK),
    ("board.workspace", "GET", "draft", "", LOGIN, DENY, DENY, OK, OK, OK),
    ("board.workspace", "GET", "confidential", "", LOGIN, DENY, HIDE, OK, OK, OK),
    ("board.edit", "GET", "draft", "", *EXPERT_PAGE),
    ("board.edit", "GET", "confidential", "", LOGIN, DENY, HIDE, OK, OK, DENY),
    ("board.edit", "POST", "draft", "", LOGIN, DENY, DENY, DO, DO, DENY),
    ("board.edit", "POST", "confidential", "", LOGIN, DENY, HIDE, DO, DO, DENY),
    # On an answer already in review, so a permitted submit is refused by the rule (409)
    # and the draft stays a draft for the rows that need one.
    ("board.submit", "POST", "review", "", LOGIN, DENY, DENY, DO, DO, DENY),
    ("board.submit", "POST", "confidential", "", LOGIN, DENY, HIDE, DO, DO, DENY),
    ("board.stance", "POST", "review", "", LOGIN, DENY, DENY, DO, DO, DENY),
    ("board.stance", "POST", "confidential", "", LOGIN, DENY, HIDE, DO, DO, DENY),
    ("board.stance", "POST", "draft", "", LOGIN, DENY, DENY, DENY, DENY, DENY),
    ("board.stance", "POST", "public", "", LOGIN, DENY, DENY, DENY, DENY, DENY),
    ("board.override", "POST", "review", "", LOGIN, DENY, DENY, DENY, DO, DENY),
    ("board.override", "POST", "confidential", "", LOGIN, DENY, HIDE, DENY, DO, DENY),
    ("board.publish", "POST", "review", "", LOGIN, DENY, DENY, DENY, DO, DENY),
    ("board.publish", "POST", "confidential", "", LOGIN, DENY, HIDE, DENY, DO, DENY),
    ("board.withdraw", "POST", "review", "", LOGIN, DENY, DENY, DENY, DO, DENY),
    ("board.withdraw", "POST", "confidential", "", LOGIN, DENY, HIDE, DENY, DO, DENY),
    ("board.history", "GET", "public", "", *EVERYONE),
    ("board.history", "GET", "draft", "", *BOARD_ONLY_PAGE),
    ("board.history", "GET", "confidential", "", *BOARD_ONLY_PAGE),
    # --- experts, the dashboard, notifications
    ("experts.index", "GET", "-", "", *EVERYONE),
    ("experts.show", "GET", "public", "", *EVERYONE),
    ("experts.edit_profile", "GET", "-", "", *EXPERT_PAGE),
    ("experts.edit_profile", "POST", "-", "", LOGIN, DENY, DENY, DO, DO, DENY),
    ("dashboard.index", "GET", "-", "", LOGIN, DENY, DENY, OK, OK, OK),
    ("dashboard.invite", "GET", "public", "", LOGIN, DENY, DENY, DENY, OK, OK),
    ("dashboard.invite", "GET", "confidential", "", LOGIN, DENY, HIDE, DENY, OK, OK),
    ("dashboard.invite", "POST", "public", "", LOGIN, DENY, DENY, DENY, DO, DO),
    ("dashboard.invite", "POST", "confidential", "", LOGIN, DENY, HIDE, DENY, DO, DO),
    ("notifications.index", "GET", "-", "", *SIGNED_IN),
    ("notifications.mark_read", "POST", "-", "", *SIGNED_IN_DO),
    ("notifications.settings", "GET", "-", "", *SIGNED_IN),
    ("notifications.settings", "POST", "-", "", *SIGNED_IN_DO),
    # --- the FAQ (curation: admins)
    ("faq.index", "GET", "-", "", *EVERYONE),
    ("faq.admin", "GET", "-", "", *ADMIN_PAGE),
    ("faq.candidates", "GET", "-", "", *ADMIN_PAGE),
    ("faq.promote", "GET", "-", "answer={answer_id}", *ADMIN_PAGE),
    ("faq.promote", "GET", "confidential", "answer={answer_id}", *ADMIN_PAGE),
    ("faq.promote", "GET", "public", "board_answer={board_answer_id}", *ADMIN_PAGE),
    ("faq.promote", "POST", "-", "answer={answer_id}", *ADMIN_DO),
    ("faq.edit", "GET", "public", "", *ADMIN_PAGE),
    ("faq.edit", "POST", "public", "", *ADMIN_DO),
    ("faq.history", "GET", "public", "", *ADMIN_PAGE),
    ("faq.reviewed", "POST", "public", "", *ADMIN_DO),
    ("faq.move", "POST", "public", "", *ADMIN_DO),
    ("faq.unpublish", "POST", "public", "", *ADMIN_DO),
    ("faq.republish", "POST", "public", "", *ADMIN_DO),
    # an entry's translation: edited by admins, its history for admins only (as the entry's)
    ("faq.translate", "GET", "public", "", *ADMIN_PAGE),
    ("faq.translate", "POST", "public", "", *ADMIN_DO),
    ("faq.translation_history", "GET", "public", "", *ADMIN_PAGE),
    # --- the guide (reading: everyone; curation: admins)
    ("guide.index", "GET", "-", "", *EVERYONE),
    ("guide.history", "GET", "public", "", *EVERYONE),
    ("guide.releases", "GET", "-", "", *EVERYONE),
    ("guide.release", "GET", "public", "", *EVERYONE),
    ("guide.release_markdown", "GET", "public", "", *EVERYONE),
    ("guide.compare", "GET", "-", "", *EVERYONE),
    ("guide.changelog", "GET", "-", "", *EVERYONE),
    ("guide.edit", "GET", "public", "", *ADMIN_PAGE),
    ("guide.edit", "POST", "public", "", *ADMIN_DO),
    ("guide.new", "GET", "-", "", *ADMIN_PAGE),
    ("guide.new", "POST", "-", "", *ADMIN_DO),
    ("guide.reviewed", "POST", "public", "", *ADMIN_DO),
    ("guide.propose", "GET", "-", "answer={answer_id}", *ADMIN_PAGE),
    ("guide.propose", "GET", "confidential", "answer={answer_id}", *ADMIN_PAGE),
    ("guide.propose", "POST", "-", "answer={answer_id}", *ADMIN_DO),
    ("guide.make_release", "GET", "-", "", *ADMIN_PAGE),
    ("guide.make_release", "POST", "-", "", *ADMIN_DO),
    # a release's PDF; a draft release is seen by the board and the admins only, approved
    # by a chair alone or by the board's stances (refused by role, 403, before the release
    # is looked up)
    ("guide.release_pdf", "GET", "public", "", *EVERYONE),
    ("guide.release", "GET", "draft-release", "", *BOARD_ONLY_PAGE),
    ("guide.release_markdown", "GET", "draft-release", "", *BOARD_ONLY_PAGE),
    ("guide.release_pdf", "GET", "draft-release", "", *BOARD_ONLY_PAGE),
    ("guide.approve", "POST", "draft-release", "", LOGIN, DENY, DENY, DENY, DO, DENY),
    # the guide in Italian: translating is the admins'; histories and releases as in English
    ("guide.translations", "GET", "-", "", *ADMIN_PAGE),
    ("guide.translate", "GET", "public", "", *ADMIN_PAGE),
    ("guide.translate", "POST", "public", "", *ADMIN_DO),
    ("guide.translation_history", "GET", "public", "", *EVERYONE),
    ("guide.release_translation_markdown", "GET", "public", "", *EVERYONE),
    ("guide.release_translation_pdf", "GET", "public", "", *EVERYONE),
    ("guide.release_translation_markdown", "GET", "draft-release", "", *BOARD_ONLY_PAGE),
    ("guide.release_translation_pdf", "GET", "draft-release", "", *BOARD_ONLY_PAGE),
    ("guide.stance", "POST", "draft-release", "", LOGIN, DENY, DENY, DO, DO, DENY),
    # experts propose guide text (admins edit it directly); admins decide
    ("guide_proposals.new", "GET", "-", "", *EXPERT_PAGE),
    ("guide_proposals.new", "GET", "confidential", "answer={answer_id}", *EXPERT_PAGE),
    ("guide_proposals.new", "POST", "-", "", LOGIN, DENY, DENY, DO, DO, DENY),
    ("guide_proposals.choose", "GET", "-", "answer={answer_id}", *EXPERT_PAGE),
    ("guide_proposals.choose", "GET", "confidential", "answer={answer_id}", *EXPERT_PAGE),
    ("guide_proposals.index", "GET", "-", "", LOGIN, DENY, DENY, OK, OK, OK),
    ("guide_proposals.show", "GET", "-", "", LOGIN, DENY, DENY, OK, DENY, OK),
    ("guide_proposals.accept", "POST", "-", "", *ADMIN_DO),
    ("guide_proposals.decline", "POST", "-", "", *ADMIN_DO),
    # texts due for review after a change of the law: the board and the admins read, admins act
    ("law_changes.index", "GET", "-", "", LOGIN, DENY, DENY, OK, OK, OK),
    ("law_changes.index", "POST", "-", "", *ADMIN_DO),
    ("law_changes.reviewed", "POST", "public", "", *ADMIN_DO),
    ("law_changes.reviewed", "POST", "confidential", "", *ADMIN_DO),
    # --- citations: a clause cited only in a confidential answer does not exist for outsiders
    ("citations.index", "GET", "-", "", *EVERYONE),
    ("citations.show", "GET", "public-clause", "", *EVERYONE),
    ("citations.show", "GET", "confidential-clause", "", *CONFIDENTIAL_PAGE),
    # --- the Lombardy-Limburg network's directory: listed profiles are public; an unlisted
    # one is its organisation's and the admins' (a 404 for others); the member's
    # organisation's own profile is the member's to edit; the admins curate
    ("network.index", "GET", "-", "", *EVERYONE),
    ("network.index", "GET", "-", "region=limburg&offer=1&q=x", *EVERYONE),
    ("network.show", "GET", "-", "", *EVERYONE),
    ("network.show", "GET", "unlisted-profile", "", HIDE, HIDE, HIDE, HIDE, HIDE, OK),
    ("network.edit", "GET", "-", "", LOGIN, OK, DENY, DENY, DENY, OK),
    ("network.edit", "POST", "-", "", LOGIN, DO, DENY, DENY, DENY, DO),
    ("network.edit", "GET", "unlisted-profile", "", LOGIN, HIDE, HIDE, HIDE, HIDE, OK),
    ("network.edit", "POST", "unlisted-profile", "", LOGIN, HIDE, HIDE, HIDE, HIDE, DO),
    # The member is sent to the organisation's profile; the others belong to none (a page
    # saying so; the empty POST gets it too).
    ("network.my_organisation", "GET", "-", "", LOGIN, MOVED, OK, OK, OK, OK),
    ("network.my_organisation", "POST", "-", "", LOGIN, MOVED, DO, DO, DO, DO),
    ("network_admin.index", "GET", "-", "", *ADMIN_PAGE),
    ("network_admin.new", "GET", "-", "", *ADMIN_PAGE),
    ("network_admin.new", "POST", "-", "", *ADMIN_DO),
    ("network_admin.delete", "POST", "spare-profile", "", *ADMIN_DO),
    ("network_admin.import_file", "GET", "-", "", *ADMIN_PAGE),
    ("network_admin.import_file", "POST", "-", "", *ADMIN_DO),
    ("network_admin.vocabulary", "GET", "-", "", *ADMIN_PAGE),
    ("network_admin.add_term", "POST", "-", "", *ADMIN_DO),
    ("network_admin.rename_term", "GET", "-", "", *ADMIN_PAGE),
    ("network_admin.rename_term", "POST", "-", "", *ADMIN_DO),
    # --- clinics and referrals
    ("clinics.index", "GET", "-", "", *EVERYONE),
    ("clinics.show", "GET", "public", "", *EVERYONE),
    ("clinics.new", "GET", "-", "", *ADMIN_PAGE),
    ("clinics.new", "POST", "-", "", *ADMIN_DO),
    ("clinics.edit", "GET", "public", "", *ADMIN_PAGE),
    ("clinics.edit", "POST", "public", "", *ADMIN_DO),
    ("clinics.deactivate", "POST", "public", "", *ADMIN_DO),
    ("clinics.reactivate", "POST", "public", "", *ADMIN_DO),
    # experts and admins refer
    ("clinics.refer", "GET", "public", "", LOGIN, DENY, DENY, OK, OK, OK),
    ("clinics.refer", "GET", "confidential", "", LOGIN, DENY, HIDE, OK, OK, OK),
    ("clinics.refer", "POST", "public", "", LOGIN, DENY, DENY, DO, DO, DO),
    ("clinics.refer", "POST", "confidential", "", LOGIN, DENY, HIDE, DO, DO, DO),
    ("clinics.referrals", "GET", "-", "", *SIGNED_IN),
    ("clinics.referral", "GET", "public", "", LOGIN, OK, HIDE, OK, OK, OK),
    ("clinics.referral", "GET", "confidential", "", LOGIN, OK, HIDE, OK, OK, OK),
    # the member who asked records the start and later steps (the service says which)
    ("clinics.advance", "POST", "public", "", LOGIN, DO, HIDE, DO, DO, DO),
    ("clinics.advance", "POST", "confidential", "", LOGIN, DO, HIDE, DO, DO, DO),
    # the member's answer to the introduction; the thread; a start to confirm (the member)
    # or verify (admins): the world's referrals have none, so nobody may
    ("clinics.answer_introduction", "POST", "public", "", LOGIN, DO, HIDE, DENY, DENY, DENY),
    ("clinics.answer_introduction", "POST", "confidential", "", LOGIN, DO, HIDE, DENY, DENY, DENY),
    ("clinics.post_message", "POST", "public", "", LOGIN, DO, HIDE, DO, DO, DO),
    ("clinics.post_message", "POST", "confidential", "", LOGIN, DO, HIDE, DO, DO, DO),
    ("clinics.confirm_start", "POST", "public", "", LOGIN, DENY, HIDE, DENY, DENY, DENY),
    ("clinics.confirm_start", "POST", "started", "", LOGIN, DO, HIDE, DENY, DENY, DENY),
    ("clinics.verify_start", "POST", "public", "", LOGIN, DENY, HIDE, DENY, DENY, DENY),
    ("clinics.verify_start", "POST", "verifiable", "", LOGIN, DENY, HIDE, DENY, DENY, DO),
    # (not on "public": a new link revokes the earlier ones, the matrix's own included)
    ("clinics.send_link", "POST", "started", "", LOGIN, DENY, HIDE, DO, DO, DO),
    ("clinics.send_link", "POST", "confidential", "", LOGIN, DENY, HIDE, DO, DO, DO),
    # the clinic's link is its credential, whoever follows it; it opens its referral only
    ("clinics.clinic_referral", "GET", "clinic-link", "", *EVERYONE),
    ("clinics.clinic_referral", "GET", "other-link", "", HIDE, HIDE, HIDE, HIDE, HIDE, HIDE),
    ("clinics.clinic_answer", "POST", "clinic-link", "", DO, DO, DO, DO, DO, DO),
    ("clinics.clinic_answer", "POST", "other-link", "", HIDE, HIDE, HIDE, HIDE, HIDE, HIDE),
    ("clinics.clinic_message", "POST", "clinic-link", "", DO, DO, DO, DO, DO, DO),
    ("clinics.clinic_message", "POST", "other-link", "", HIDE, HIDE, HIDE, HIDE, HIDE, HIDE),
    ("clinics.clinic_advance", "POST", "clinic-link", "", DO, DO, DO, DO, DO, DO),
    ("clinics.clinic_advance", "POST", "other-link", "", HIDE, HIDE, HIDE, HIDE, HIDE, HIDE),
    ("clinics.clinic_confirm_start", "POST", "clinic-link", "", DO, DO, DO, DO, DO, DO),
    ("clinics.clinic_confirm_start", "POST", "other-link", "", HIDE, HIDE, HIDE, HIDE, HIDE, HIDE),
    # --- funded projects: {project_id}'s beneficiary is the member's organisation; a project
    # is a 404 to anyone else but the experts and admins, who alone record its sessions;
    # editing and recording refuse by role (403) before the project is looked up
    ("projects.index", "GET", "-", "", *SIGNED_IN),
    ("projects.new", "GET", "-", "", *ADMIN_PAGE),
    ("projects.new", "POST", "-", "", *ADMIN_DO),
    ("projects.show", "GET", "public", "", LOGIN, OK, HIDE, OK, OK, OK),
    ("projects.edit", "GET", "public", "", LOGIN, DENY, DENY, DENY, DENY, OK),
    ("projects.edit", "POST", "public", "", LOGIN, DENY, DENY, DENY, DENY, DO),
    ("projects.record_session", "POST", "public", "", LOGIN, DENY, DENY, DO, DO, DO),
    # --- the survey (answering: signed-in users, or anyone with a one-time link)
    ("survey.answer", "GET", "-", "", *SIGNED_IN),
    ("survey.answer", "POST", "-", "", *SIGNED_IN_DO),
    ("survey.answer_by_link", "GET", "public", "", OK, MOVED, MOVED, MOVED, MOVED, MOVED),
    ("survey.answer_by_link", "POST", "public", "", DO, MOVED, MOVED, MOVED, MOVED, MOVED),
    ("survey_admin.index", "GET", "-", "", *ADMIN_PAGE),
    ("survey_admin.new", "GET", "-", "", *ADMIN_PAGE),
    ("survey_admin.new", "POST", "-", "", *ADMIN_DO),
    ("survey_admin.show", "GET", "public", "", *ADMIN_PAGE),
    ("survey_admin.update", "POST", "public", "", *ADMIN_DO),
    ("survey_admin.add_item", "POST", "public", "", *ADMIN_DO),
    ("survey_admin.edit_item", "GET", "public", "", *ADMIN_PAGE),
    ("survey_admin.edit_item", "POST", "public", "", *ADMIN_DO),
    ("survey_admin.move_item", "POST", "public", "", *ADMIN_DO),
    ("survey_admin.remove_item", "POST", "public", "", *ADMIN_DO),
    ("survey_admin.open_survey", "POST", "public", "", *ADMIN_DO),
    ("survey_admin.close_survey", "POST", "public", "", *ADMIN_DO),
    ("survey_admin.links", "GET", "public", "", *ADMIN_PAGE),
    ("survey_admin.links", "POST", "public", "", *ADMIN_DO),
    ("survey_admin.results", "GET", "public", "", *ADMIN_PAGE),
    ("survey_admin.translate", "GET", "public", "", *ADMIN_PAGE),
    ("survey_admin.translate", "POST", "public", "", *ADMIN_DO),
    ("translations.labels", "GET", "-", "", *ADMIN_PAGE),
    ("translations.labels", "POST", "-", "", *ADMIN_DO),
    # --- administration and the review (admins)
    ("admin.index", "GET", "-", "", *ADMIN_PAGE),
    # Accounts: {user_id} is the research expert; the empty POSTs change nothing (no
    # role chosen, no reason given), so the rows after them see the world unchanged.
    ("admin.users", "GET", "-", "", *ADMIN_PAGE),
    ("admin.users", "GET", "-", "q=elena&role=expert&status=active", *ADMIN_PAGE),
    ("admin.user", "GET", "-", "", *ADMIN_PAGE),
    ("admin.user", "POST", "-", "", *ADMIN_DO),
    ("admin.user_deactivate", "POST", "-", "", *ADMIN_DO),
    ("admin.user_reactivate", "POST", "-", "", *ADMIN_DO),
    ("admin.outbox", "GET", "-", "", *ADMIN_PAGE),
    ("admin.outbox_message", "GET", "public", "", *ADMIN_PAGE),
    ("admin.outbox_requeue", "POST", "public", "", *ADMIN_DO),
    ("admin.audit", "GET", "-", "", *ADMIN_PAGE),
    # Organisations: {organisation_id} is the member's; anyone reads its public page. The
    # empty POSTs fail the forms (no kind; nothing to merge into), changing nothing.
    ("organisations.show", "GET", "-", "", *EVERYONE),
    ("organisations_admin.index", "GET", "-", "", *ADMIN_PAGE),
    ("organisations_admin.index", "GET", "-", "q=orobie", *ADMIN_PAGE),
    ("organisations_admin.edit", "GET", "-", "", *ADMIN_PAGE),
    ("organisations_admin.edit", "POST", "-", "", *ADMIN_DO),
    ("organisations_admin.merge", "POST", "-", "", *ADMIN_DO),
    # --- matchmaking (issue 29): {profile_id} is the member's organisation's listed profile;
    # its partners are the network's members' (the member, the experts and admins; not the
    # other member, whose organisation is not in the directory). An unlisted profile's are
    # its own people's and the admins', and a 404 to others. The rounds are the admins';
    # the empty POSTs fail their forms (no title, no pair, no state), changing nothing, but
    # close and reopen, which leave the round open again.
    ("matchmaking.partners", "GET", "-", "", LOGIN, OK, DENY, OK, OK, OK),
    ("matchmaking.partners", "GET", "unlisted-profile", "", LOGIN, HIDE, HIDE, HIDE, HIDE, OK),
    ("matchmaking_admin.rounds", "GET", "-", "", *ADMIN_PAGE),
    ("matchmaking_admin.new_round", "GET", "-", "", *ADMIN_PAGE),
    ("matchmaking_admin.new_round", "POST", "-", "", *ADMIN_DO),
    ("matchmaking_admin.round_page", "GET", "-", "", *ADMIN_PAGE),
    ("matchmaking_admin.export_round", "GET", "-", "", *ADMIN_PAGE),
    ("matchmaking_admin.accept_pair", "POST", "-", "", *ADMIN_DO),
    ("matchmaking_admin.dismiss_pair", "POST", "-", "", *ADMIN_DO),
    ("matchmaking_admin.close_round", "POST", "-", "", *ADMIN_DO),
    ("matchmaking_admin.reopen_round", "POST", "-", "", *ADMIN_DO),
    ("matchmaking_admin.introduction", "GET", "-", "", *ADMIN_PAGE),
    ("matchmaking_admin.introduction", "POST", "-", "", *ADMIN_DO),
    # --- moderation: any signed-in reader flags a text they see (not their own: the
    # answer is the expert's); the queue and the actions are the admins'.
    ("moderation.flag", "GET", "public", "", LOGIN, OK, OK, DENY, OK, OK),
    ("moderation.flag", "GET", "confidential", "", LOGIN, OK, HIDE, DENY, OK, OK),
    ("moderation.flag", "POST", "public", "", LOGIN, DO, DO, DENY, DO, DO),
    ("moderation.flag", "POST", "confidential", "", LOGIN, DO, HIDE, DENY, DO, DO),
    # A stance's reason (the board answer's "comment"): flagged by whoever reads it, beside
    # the published answer (its author is the chair) or in the board's workspace (the
    # clinical expert's stance on a revision in review, on a confidential question).
    ("moderation.flag", "GET", "public-stance", "", LOGIN, OK, OK, OK, DENY, OK),
    ("moderation.flag", "POST", "public-stance", "", LOGIN, DO, DO, DO, DENY, DO),
    ("moderation.flag", "GET", "review-stance", "", LOGIN, HIDE, HIDE, OK, OK, OK),
    ("moderation.flag", "POST", "review-stance", "", LOGIN, HIDE, HIDE, DO, DO, DO),
    ("moderation.flag", "GET", "confidential-stance", "", LOGIN, HIDE, HIDE, OK, OK, OK),
    ("moderation.flag", "POST", "confidential-stance", "", LOGIN, HIDE, HIDE, DO, DO, DO),
    ("moderation_admin.queue", "GET", "-", "", *ADMIN_PAGE),
    ("moderation_admin.text", "GET", "-", "", *ADMIN_PAGE),
    ("moderation_admin.text", "POST", "-", "", *ADMIN_DO),
    ("moderation_admin.text", "GET", "public-stance", "", *ADMIN_PAGE),
    ("moderation_admin.text", "POST", "public-stance", "", *ADMIN_DO),
    ("moderation_admin.text", "GET", "confidential-stance", "", *ADMIN_PAGE),
    ("centre_pages_admin.index", "GET", "-", "", *ADMIN_PAGE),
    ("centre_pages_admin.edit", "GET", "-", "", *ADMIN_PAGE),
    ("centre_pages_admin.edit", "POST", "-", "", *ADMIN_DO),
    # --- the Lombardy-Limburg network's visits and feasibility notes (issue 29). A visit's
    # public part is everyone's; registering interest needs a sign-in (an empty note is
    # a valid registration, so the POSTs register and the withdrawals find a row); the
    # notes by theme are the network's members' (the member, whose organisation is listed,
    # the experts and admins; not the other member); recording is the admins'.
    ("study_visits.index", "GET", "-", "", *EVERYONE),
    ("study_visits.show", "GET", "-", "", *EVERYONE),
    ("study_visits.register", "POST", "-", "", *SIGNED_IN_DO),
    ("study_visits.withdraw", "POST", "-", "", *SIGNED_IN_DO),
    ("study_visits.new", "GET", "-", "", *ADMIN_PAGE),
    ("study_visits.new", "POST", "-", "", *ADMIN_DO),
    ("study_visits.edit", "GET", "-", "", *ADMIN_PAGE),
    ("study_visits.edit", "POST", "-", "", *ADMIN_DO),
    ("study_visits.interest_csv", "GET", "-", "", *ADMIN_PAGE),
    ("feasibility.themes", "GET", "-", "", LOGIN, OK, DENY, OK, OK, OK),
    ("feasibility.new_note", "GET", "-", "", *ADMIN_PAGE),
    ("feasibility.new_note", "POST", "-", "", *ADMIN_DO),
    ("feasibility.edit_note", "GET", "-", "", *ADMIN_PAGE),
    ("feasibility.edit_note", "POST", "-", "", *ADMIN_DO),
    ("review.index", "GET", "-", "", *ADMIN_PAGE),
    ("review.report", "GET", "-", "", *ADMIN_PAGE),
    ("review.report", "POST", "-", "", *ADMIN_DO),
    ("review.report_pdf", "GET", "-", "lang=it", *ADMIN_PAGE),
    ("review.export", "GET", "-", "format=json", *ADMIN_PAGE),
    # --- the JSON API (bearer tokens; confidential questions are 404 there too)
    ("api.me", "GET", "-", "", *TOKEN_ONLY),
    ("api.list_topics", "GET", "-", "", *EVERYONE),
    ("api.list_questions", "GET", "-", "", *EVERYONE),
    ("api.list_questions", "GET", "-", "mine=true", *TOKEN_ONLY),
    ("api.create_question", "POST", "-", "", AUTH, DO, DO, DO, DO, DO),
    ("api.get_question", "GET", "public", "", *EVERYONE),
    ("api.get_question", "GET", "confidential", "", *CONFIDENTIAL_PAGE),
    ("api.create_answer", "POST", "public", "", AUTH, DENY, DENY, DO, DO, DENY),
    ("api.create_answer", "POST", "confidential", "", AUTH, DENY, HIDE, DO, DO, DENY),
    ("api.create_comment", "POST", "public", "", AUTH, DO, DENY, DO, DO, DO),
    ("api.create_comment", "POST", "confidential", "", AUTH, DO, HIDE, DO, DO, DO),
    ("api.list_faq", "GET", "-", "", *EVERYONE),
    ("api.get_faq_entry", "GET", "public", "", *EVERYONE),
    ("api.get_guide", "GET", "-", "", *EVERYONE),
    ("api.list_guide_releases", "GET", "-", "", *EVERYONE),
    ("api.get_guide_release", "GET", "public", "", *EVERYONE),
    ("api.get_guide_release_markdown", "GET", "public", "", *EVERYONE),
    ("api.list_clinics", "GET", "-", "", *EVERYONE),
    ("api.get_clinic", "GET", "public", "", *EVERYONE),
    # a referral: its member, experts and admins; a token is required
    ("api.get_referral", "GET", "public", "", AUTH, OK, HIDE, OK, OK, OK),
    ("api.get_referral", "GET", "confidential", "", AUTH, OK, HIDE, OK, OK, OK),
    ("api.search_texts", "GET", "-", "q=sensor", *EVERYONE),
    ("api.get_review", "GET", "-", "", *API_ADMIN),
    ("api.export_review", "GET", "-", "format=json", *API_ADMIN),
    ("api.openapi_document", "GET", "-", "", *EVERYONE),
    ("api.docs", "GET", "-", "", *EVERYONE),
]


def is_in_matrix(rule_text: str) -> bool:
    """False for rules the matrix leaves to other tests (``NOT_IN_MATRIX``)."""
    return not any(rule_text.startswith(prefix) for prefix in NOT_IN_MATRIX)


# --- the world the matrix is walked over ---------------------------------------------------

PUBLIC_CLAUSE = "MDR Art. 62"
CONFIDENTIAL_CLAUSE = "GDPR Art. 9"
SMALL_GUIDE = """# A small guide

An introduction.

## Choosing the pathway

Pick the route before anything else.

## Safety reporting

Report serious adverse events.
"""


@dataclass
class World:
    values: dict[str, dict[str, object]] = field(default_factory=dict)


def build_world(people: People) -> World:
    """One of everything the routes name, public and confidential, through the services."""
    member, expert, chair, clinical, admin = (
        people.asker,
        people.expert,
        people.chair,
        people.clinical,
        people.admin,
    )
    public = ask_question(member, title="Which pathway applies to our class IIb tool?")
    public_answer = answers.post_answer(
        public, expert, f"Under {PUBLIC_CLAUSE} the study needs the Ministry's authorisation."
    )
    answers.post_comment(public, member, "Does this hold for a non-invasive version too?")
    published = published_board_answer(
        public, [chair, expert, clinical], "The board's view: a clinical investigation is needed."
    )
    published_stance = published.stances_on(published.current_number)[0]

    drafting_question = ask_question(member, title="Can we reuse data from a previous study?")
    draft = board.open_board_answer(drafting_question, expert, "A first draft of the answer.")

    reviewed_question = ask_question(member, title="How long does the ethics committee take?")
    in_review = board.open_board_answer(reviewed_question, expert, "About sixty days in practice.")
    board.submit_for_review(in_review, expert)
    review_stance = board_stances.record_stance(
        in_review, clinical, StanceKind.ENDORSE, revision_number=in_review.current_number
    )

    secret = ask_question(
        member,
        title="Unreleased implantable sensor: which pathway?",
        body="Our unreleased sensor is implanted under the skin.",
        visibility=Visibility.CONFIDENTIAL,
        topics=("ethics-committee",),
    )
    secret_answer = answers.post_answer(
        secret, expert, f"Data on the implant fall under {CONFIDENTIAL_CLAUSE}."
    )
    answers.post_comment(secret, expert, "Is the sensor active or passive?")
    secret_board = board.open_board_answer(secret, expert, "The board's draft on the sensor.")
    board.submit_for_review(secret_board, expert)
    secret_stance = board_stances.record_stance(
        secret_board,
        clinical,
        StanceKind.DISSENT,
        revision_number=secret_board.current_number,
        reason="Not enough evidence yet.",
    )

    # The entry comes from a second answer, so the promotion pages' rows open on
    # public_answer, which is not yet in the FAQ (a promoted one leads to its entry).
    promoted_answer = answers.post_answer(public, clinical, "The Ministry's authorisation.")
    entry = faq.promote_answer(
        admin,
        promoted_answer,
        question_text="Which pathway applies?",
        answer_text="A clinical investigation under the MDR.",
        topic=public.topics[0],
    )
    importing.import_guide(SMALL_GUIDE, None)
    publishing.release("1.0", "First release", None)
    section = tree.load_current_guide().sections[0].section
    proposal = proposals.propose(
        expert, section, title=section.title, body="Pick the route first, then the clinic."
    )
    hidden_answer = answers.post_answer(public, expert, "A second view, later hidden.")
    moderation.act(admin, hidden_answer, moderation.Action.HIDE, "Checking a claim")
    attached = {
        "public-file": files.attach(public, member, files.MINIMAL_PDF, "synopsis.pdf"),
        "confidential-file": files.attach(secret, member, files.MINIMAL_PDF, "sensor.pdf"),
        "confidential-answer-file": files.attach(secret_answer, expert, files.png(), "plan.png"),
        "hidden-answer-file": files.attach(hidden_answer, expert, files.png(), "chart.png"),
        "proposal-file": files.attach(proposal, expert, files.docx(), "route.docx"),
    }
    editing.add_section(None, None, admin, title="Contacts", body="Write to the centre.")
    publishing.release("1.1", "Contacts added", admin)  # a draft, awaiting approval
    law_changes.record_change(
        admin, clause_slug(PUBLIC_CLAUSE), "Article amended", date(2026, 1, 5)
    )
    law_changes.record_change(
        admin, clause_slug(CONFIDENTIAL_CLAUSE), "Article amended", date(2026, 1, 5)
    )
    flags = {
        (flag.subject_type, flag.subject_id): flag.id
        for flag in db.session.scalars(select(LawChangeFlag))
    }

    clinic = clinics.create_clinic(
        admin,
        ClinicDraft(
            name="Centro Cardiologico Ambrosiano",
            city="Milano",
            specialties="Cardiology",
            contact_email="trials@example.org",
        ),
    )
    public_referral = facilitations.refer(public, clinic, expert, "Their unit fits the study.")
    secret_referral = facilitations.refer(secret, clinic, expert, "They host implant studies.")
    # Two referrals whose start an expert recorded, unconfirmed: one for the member to
    # confirm, one for an admin to verify (a confirmed start cannot be verified).
    started_referral, verifiable_referral = (
        facilitations.refer(question, clinic, expert, "Fits too.")
        for question in (drafting_question, reviewed_question)
    )
    for referral in (started_referral, verifiable_referral):
        agree_both_sides(referral)
        facilitations.advance(
            referral,
            expert,
            FacilitationStatus.TRIAL_STARTED,
            calendar.today(),
            "Started, the clinic says.",
        )
    clinic_token = "matrix-clinic-link-token"
    db.session.add(
        ReferralLink(
            facilitation_id=public_referral.id,
            token_hash=referral_links.token_hash(clinic_token),
            sent_to="trials@example.org",
            expires_at=utcnow() + timedelta(days=30),
        )
    )
    invitations.invite(drafting_question, clinical, chair, "Your field, I think.")
    # The member's organisation: a funded project's beneficiary, and the organisation page.
    organisation = creation.get_or_create_organisation(
        "Orobie Devices S.r.l.", OrganisationKind.SME
    )
    member.organisation = organisation
    db.session.commit()
    project = projects.register(
        admin,
        ProjectDraft(
            title="Wearable ECG patch",
            programme="POR FESR 2014-2020",
            axis="Axis I",
            call="HUB",
            starts_on=date(2025, 1, 1),
            ends_on=None,
            clinical_aims="",
            beneficiary_ids=[organisation.id],
        ),
    )

    survey = surveys.create_survey(admin, "How useful is the forum?", "Two minutes, once.")
    surveys.add_item(survey, admin, ItemDraft(SurveyItemKind.LIKERT, "The answers were useful."))
    surveys.add_item(
        survey, admin, ItemDraft(SurveyItemKind.TEXT, "What should we improve?", required=False)
    )
    surveys.open_survey(survey, admin)
    token = surveys.create_invitation_links(survey, 1, "Matrix", admin)[0]
    item = db.session.scalar(
        select(SurveyItem).where(SurveyItem.survey_id == survey.id).order_by(SurveyItem.position)
    )
    centre_pages.save(
        CentrePage.PRIVACY,
        admin,
        PageDraft(title_en="Privacy notice", body_en="What the forum keeps, and why."),
        base_number=0,
    )
    for person in (member, people.other, expert, chair, clinical):  # the admin wrote it
        centre_pages.accept_privacy(person, centre_pages.current_privacy_version())
    # The network: two directory organisations (neither the member's), a planned study
    # visit open to registration, and a feasibility note on a theme.
    lab = make_network_profile("Lombard MedTech Lab", NetworkRegion.LOMBARDY)
    campus = make_network_profile("Maas Health Campus", NetworkRegion.LIMBURG)
    visit = study_visits.create_visit(
        admin,
        VisitDraft(
            kind=VisitKind.STUDY_VISIT,
            title="Lombard delegation to Maastricht",
            starts_on=calendar.today() + timedelta(days=30),
            place="Maastricht",
            participant_ids=[lab.id, campus.id],
            notes="For the network's members.",
        ),
    )
    theme = db.session.scalar(select(Specialisation).order_by(Specialisation.position).limit(1))
    feasibility_note = feasibility.add_note(
        admin,
        theme,
        NoteDraft("Link the two regions' labs first.", date(2026, 1, 5), "Steering group"),
    )
    message = outbox.enqueue("someone@example.org", "A message", "Its text.")
    api_token = api_tokens.create(member, "Matrix").token
    db.session.commit()
    reset_token = password_reset.make_token(people.other)
    profile.request_email_change(member, "member.new@example.org", PASSWORD)
    email_change_token = profile.make_token(member, "member.new@example.org")
    creation.create_user(
        email="member.new@example.org", display_name="Quick Taker", password=PASSWORD
    )
    registration_token = registration.make_token(
        registration.PendingRegistration(
            email="newcomer@example.org",
            display_name="New Comer",
            organisation_name="Newco",
            organisation_kind=OrganisationKind.SME,
            locale="en",
        )
    )

    network = _network_world(admin, organisation)

    shared = {
        **network,
        "entry_id": entry.id,
        "section_id": section.id,
        "version": "1.0",
        "clinic_id": clinic.id,
        "survey_id": survey.id,
        "item_id": item.id,
        "message_id": message.id,
        "user_id": expert.id,
        "token": token,
        "filename": "css/forum.css",
        "slug": "any-slug",
        "token_id": api_token.id,
        "proposal_id": proposal.id,
        "flag_id": flags[("answer", public_answer.id)],
        "page": "privacy",
        "project_id": project.id,
        "organisation_id": member.organisation_id,
        "kind": "answer",
        "text_id": public_answer.id,
        "language": "it",
        "visit_id": visit.id,
        "specialisation_id": theme.id,
        "note_id": feasibility_note.id,
        "vocabulary": "specialisations",
        "term_id": db.session.scalar(select(Specialisation.id).order_by(Specialisation.id)),
    }
    world = World()
    world.values["-"] = dict(shared, answer_id=public_answer.id)
    world.values["public"] = dict(
        shared,
        question_id=public.id,
        answer_id=public_answer.id,
        board_answer_id=published.id,
        stance_id=published_stance.id,
        facilitation_id=public_referral.id,
    )
    world.values["draft"] = dict(
        world.values["public"], question_id=drafting_question.id, board_answer_id=draft.id
    )
    world.values["review"] = dict(
        world.values["public"],
        question_id=reviewed_question.id,
        board_answer_id=in_review.id,
        stance_id=review_stance.id,
    )
    world.values["confidential"] = dict(
        shared,
        question_id=secret.id,
        answer_id=secret_answer.id,
        board_answer_id=secret_board.id,
        stance_id=secret_stance.id,
        facilitation_id=secret_referral.id,
        flag_id=flags[("answer", secret_answer.id)],
        text_id=secret_answer.id,
    )
    chair_stance = next(stance for stance in published.stances if stance.expert_id == chair.id)
    world.values["public-stance"] = dict(shared, kind="stance", text_id=chair_stance.id)
    world.values["review-stance"] = dict(shared, kind="stance", text_id=review_stance.id)
    world.values["confidential-stance"] = dict(shared, kind="stance", text_id=secret_stance.id)
    world.values["started"] = dict(world.values["public"], facilitation_id=started_referral.id)
    world.values["verifiable"] = dict(
        world.values["public"], facilitation_id=verifiable_referral.id
    )
    world.values["clinic-link"] = dict(world.values["public"], token=clinic_token)
    # The public referral's link with the confidential referral's id: it opens nothing.
    world.values["other-link"] = dict(world.values["confidential"], token=clinic_token)
    for name, attachment in attached.items():
        world.values[name] = dict(shared, attachment_id=attachment.id, name=attachment.name)
    world.values["draft-release"] = dict(shared, version="1.1")
    world.values["reset"] = dict(shared, token=reset_token)
    world.values["registration"] = dict(shared, token=registration_token)
    world.values["email-change"] = dict(shared, token=email_change_token)
    world.values["public-clause"] = dict(shared, slug=clause_slug(PUBLIC_CLAUSE))
    world.values["confidential-clause"] = dict(shared, slug=clause_slug(CONFIDENTIAL_CLAUSE))
    world.values["unlisted-profile"] = dict(shared, profile_id=network["unlisted_profile_id"])
    world.values["spare-profile"] = dict(shared, profile_id=network["spare_profile_id"])
    # A topic's feed, and the first part of the sitemap's questions.
    world.values["topic"] = dict(shared, slug="regulatory-pathway", part=1)
    return world


def _network_world(admin, organisation) -> dict[str, int]:
    """The member's organisation listed in Lombardy, two listed and an unlisted organisation
    in Limburg (one listed one spare, for the admins' delete), and a round on imaging that
    introduced the member's organisation to the first."""
    listed = make_network_profile(
        organisation.name, "lombardy", specialisations=("imaging",), offers=("prototyping",)
    )
    partner = make_network_profile(
        "Maas Clinical Centre", "limburg", specialisations=("imaging",), needs=("prototyping",)
    )
    unlisted = make_network_profile(
        "Venlo Quiet Devices B.V.", "limburg", specialisations=("imaging",), listed=False
    )
    spare = make_network_profile("Spare Sensors B.V.", "limburg", kind=OrganisationKind.START_UP)
    imaging = db.session.scalar(select(Specialisation.id).where(Specialisation.slug == "imaging"))
    opened = network_rounds.open_round(admin, "Imaging, matrix round", [imaging])
    introduction = network_rounds.accept_pair(opened, admin, listed.id, partner.id)
    return {
        "profile_id": listed.id,
        "unlisted_profile_id": unlisted.id,
        "spare_profile_id": spare.id,
        "round_id": opened.id,
        "introduction_id": introduction.id,
    }
