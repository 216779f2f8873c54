"""Who may do what: pure functions of (user, object).

Views, services, templates and later the API and exports all ask here, so a
rule is written once. ``user`` may be Flask-Login's anonymous user.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, not_, or_, true

from forum.models import (
    Answer,
    BoardAnswer,
    BoardAnswerStatus,
    ModerationState,
    Question,
    Role,
    Visibility,
)


def _is_authenticated(user) -> bool:
    return bool(user is not None and user.is_authenticated)


def sees_all_confidential(user) -> bool:
    """Experts and admins read every confidential question."""
    return _is_authenticated(user) and user.role in (Role.EXPERT, Role.ADMIN)


def _is_admin(user) -> bool:
    return _is_authenticated(user) and user.role == Role.ADMIN


def _is_author(user, text) -> bool:
    return _is_authenticated(user) and text.author_id == user.id


# --- moderation: one rule for questions, answers, comments and stance reasons ------
# A hidden text (held for approval, flagged, hidden, spam) is seen by its author
# and the admins only, marked with the moderators' reason; for everyone else it
# does not exist (404, absent from lists, counts, search, the API and the review).


def can_see_text(user, text) -> bool:
    """Whether moderation leaves ``text`` (a question, answer, comment or stance reason)
    visible to ``user``."""
    return not text.is_hidden or _is_admin(user) or _is_author(user, text)


def shown_texts(user, texts) -> list:
    """The texts of a list (a question's answers, comments) that ``user`` may see."""
    return [text for text in texts if can_see_text(user, text)]


def unhidden_clause(model) -> ColumnElement[bool]:
    """SQL: the rows of ``model`` (Question, Answer, Comment) that are not hidden
    (removed ones stay: their tombstone keeps the thread readable)."""
    return or_(model.moderation_state.is_(None), model.moderation_state == ModerationState.REMOVED)


def visible_texts_clause(user, model) -> ColumnElement[bool]:
    """The same rule as ``can_see_text``, as a SQL condition on ``model``."""
    if _is_admin(user):
        return true()
    if _is_authenticated(user):
        return or_(unhidden_clause(model), model.author_id == user.id)
    return unhidden_clause(model)


def can_moderate(user) -> bool:
    """Hide, restore, remove, lock, mark as spam, approve held posts: the admins."""
    return _is_admin(user)


def can_flag(user, text) -> bool:
    """Any signed-in person flags a text they can see, except their own."""
    return (
        _is_authenticated(user)
        and text.author_id != user.id
        and not text.is_removed_by_moderators
        and can_see_text(user, text)
    )


def can_see_question(user, question: Question) -> bool:
    if not can_see_text(user, question):
        return False
    if question.visibility == Visibility.PUBLIC:
        return True
    return sees_all_confidential(user) or _is_author(user, question)


def visible_questions_clause(user) -> ColumnElement[bool]:
    """The same rule as ``can_see_question``, as a SQL condition for lists and counts."""
    if _is_admin(user):
        return true()
    if sees_all_confidential(user):
        return visible_texts_clause(user, Question)
    public = and_(Question.visibility == Visibility.PUBLIC, unhidden_clause(Question))
    if _is_authenticated(user):
        # Spelled as disjoint branches so each can use its own index
        # (SQLite's multi-index OR; PostgreSQL's bitmap OR): one's own questions,
        # confidential or hidden, are the third.
        own = Question.author_id == user.id
        return or_(public, own)
    return public


def visible_questions_parts(user) -> tuple[ColumnElement[bool], ...]:
    """``visible_questions_clause`` as disjoint conditions whose union it is: what every
    reader of the user's kind sees, then (signed in, not an admin) the user's own questions
    beyond that (confidential or hidden).

    A list read in order reads each part down its own index and merges them
    (services/questions.py): under their OR neither SQLite nor PostgreSQL can walk an
    index in the list's order, so a member's page sorted every visible question.
    """
    if _is_admin(user):
        return (true(),)
    if sees_all_confidential(user):
        shared = unhidden_clause(Question)
    else:
        shared = and_(Question.visibility == Visibility.PUBLIC, unhidden_clause(Question))
    if not _is_authenticated(user):
        return (shared,)
    return shared, and_(Question.author_id == user.id, not_(shared))


def can_ask(user) -> bool:
    return _is_authenticated(user)


def can_preview(user) -> bool:
    """Markdown previews (POST /preview): anyone signed in, who has forms to write in."""
    return _is_authenticated(user)


def can_edit_question(user, question: Question) -> bool:
    # A removed question (its author deleted their account) has no text to edit.
    return (
        _is_authenticated(user)
        and question.removed_at is None
        and (question.author_id == user.id or user.role == Role.ADMIN)
    )


def can_answer(user, question: Question) -> bool:
    """Only the board's experts answer; members clarify with comments. Not on a locked,
    hidden or removed question."""
    return (
        _is_authenticated(user)
        and user.role == Role.EXPERT
        and _takes_replies(question)
        and can_see_question(user, question)
    )


def _takes_replies(question: Question) -> bool:
    return (
        not question.is_locked and question.moderation_state is None and question.removed_at is None
    )


def can_edit_answer(user, answer: Answer) -> bool:
    return (
        _is_authenticated(user)
        and answer.author_id == user.id
        and not answer.is_removed_by_moderators
    )


def can_comment(user, question: Question) -> bool:
    """Clarifications are between the asker and the experts (and admins who moderate)."""
    if not _is_authenticated(user) or not can_see_question(user, question):
        return False
    if not _takes_replies(question):
        return False
    return question.author_id == user.id or user.role in (Role.EXPERT, Role.ADMIN)


def can_accept_answer(user, question: Question) -> bool:
    return _is_authenticated(user) and question.author_id == user.id


def can_mark_helpful(user, answer: Answer) -> bool:
    return (
        _is_authenticated(user)
        and answer.author_id != user.id
        and can_see_question(user, answer.question)
    )


# --- the board ---------------------------------------------------------------
# Board answers are worked on by the experts; admins may read the drafts (they
# moderate and curate) but take no part in them. Everything also requires
# seeing the question, so a confidential question's board work stays hidden.


def _is_expert(user) -> bool:
    return _is_authenticated(user) and user.role == Role.EXPERT


def can_see_board_workspace(user, question: Question) -> bool:
    """Read drafts, stances and the whole revision history of the question's board answers."""
    return sees_all_confidential(user) and can_see_question(user, question)


def can_see_board_index(user) -> bool:
    """The list of the board's answers in every state (/board, the header's link): the
    experts and the admins, who may read every board workspace; its rows are the questions
    each may open (``visible_questions_clause``)."""
    return sees_all_confidential(user)


def can_open_board_answer(user, question: Question) -> bool:
    return _is_expert(user) and can_see_question(user, question)


def can_edit_board_answer(user, board_answer: BoardAnswer) -> bool:
    return (
        _is_expert(user)
        and board_answer.status != BoardAnswerStatus.WITHDRAWN
        and can_see_question(user, board_answer.question)
    )


def can_take_stance(user, board_answer: BoardAnswer) -> bool:
    """Stances are taken while a revision is in review (a first version or an amendment)."""
    return (
        _is_expert(user)
        and board_answer.awaits_stances
        and can_see_question(user, board_answer.question)
    )


def can_see_stance(user, stance) -> bool:
    """Where a stance is read: the board's workspace (experts and admins), and beside the
    published revision of a live board answer on the question page (its readers)."""
    board_answer = stance.board_answer
    if not can_see_question(user, board_answer.question):
        return False
    if can_see_board_workspace(user, board_answer.question):
        return True
    return (
        board_answer.status != BoardAnswerStatus.WITHDRAWN
        and board_answer.published_number is not None
        and stance.revision_number == board_answer.published_number
    )


def can_chair(user, board_answer: BoardAnswer) -> bool:
    """Publish, override a dissent, withdraw: the board's chairs."""
    return (
        _is_expert(user)
        and bool(user.is_chair)
        and board_answer.status != BoardAnswerStatus.WITHDRAWN
        and can_see_question(user, board_answer.question)
    )


# --- the dashboard and invitations -----------------------------------------------------------------


def can_see_dashboard(user) -> bool:
    """The dashboard of work waiting: the experts' (their topics, their invitations) and
    the admins' (the whole centre's)."""
    return sees_all_confidential(user)


def can_invite(user, question: Question) -> bool:
    """Admins and the board's chairs invite a named expert to answer a question they can see."""
    if not _is_authenticated(user):
        return False
    may_route = user.role == Role.ADMIN or (user.role == Role.EXPERT and bool(user.is_chair))
    return may_route and can_see_question(user, question)


def can_edit_expert_profile(user) -> bool:
    """Experts keep their own profile, topics and declaration of interests."""
    return _is_authenticated(user) and user.role == Role.EXPERT


# --- curation ------------------------------------------------------------------


def can_curate(user) -> bool:
    """Promote answers into the FAQ, edit, reorder, review and unpublish entries: the admins."""
    return _is_authenticated(user) and user.role == Role.ADMIN


def can_run_review(user) -> bool:
    """The six-month review and its exports are the admins' (the centre's curators)."""
    return _is_authenticated(user) and user.role == Role.ADMIN


# --- the survey ------------------------------------------------------------------


def can_manage_surveys(user) -> bool:
    """Build, open and close surveys, hand out one-time links, read every answer: the admins."""
    return _is_authenticated(user) and user.role == Role.ADMIN


# --- clinics and referrals -------------------------------------------------------
# A referral (Facilitation) is seen by whoever may see its question's referrals:
# the question's author, experts and admins, and always only with the question.
# The clinic has no account: its link (services/referral_links.py) is its credential.

# Statuses while each side may still answer the introduction; statuses where nothing
# more happens (written out to keep this module free of the workflow's imports).
_INTRODUCTION_OPEN = frozenset({"proposed", "contacted", "agreed"})
_REFERRAL_OVER = frozenset({"declined", "ce-marked", "abandoned"})


def can_see_clinic_contact(user) -> bool:
    """A clinic's contact person, e-mail and phone: experts and admins."""
    return sees_all_confidential(user)


def can_manage_clinics(user) -> bool:
    """Create, edit, deactivate and reactivate clinics in the directory: the admins."""
    return _is_authenticated(user) and user.role == Role.ADMIN


def can_manage_users(user) -> bool:
    """See every account, change roles, areas and the chair, deactivate and reactivate: the admins."""
    return _is_authenticated(user) and user.role == Role.ADMIN


def can_refer(user, question: Question) -> bool:
    """Refer a member's question to a clinic: the board's experts and the admins, on a
    question they see."""
    return sees_all_confidential(user) and can_see_question(user, question)


def can_see_referrals(user, question: Question) -> bool:
    """The referrals of a question: its author, experts and admins."""
    if not _is_authenticated(user) or not can_see_question(user, question):
        return False
    return sees_all_confidential(user) or question.author_id == user.id


def is_referred_member(user, facilitation) -> bool:
    """The member whose question was referred: their side of the introduction."""
    return _is_authenticated(user) and facilitation.question.author_id == user.id


def can_advance_referral(user, facilitation) -> bool:
    """Record a referral's next step: the experts and admins (any step but the agreement,
    which only both sides' answers make), and the member who asked (the trial's start and
    what follows it). Which steps are open is ``facilitations.next_statuses``."""
    return can_see_referrals(user, facilitation.question)


def can_answer_introduction(user, facilitation) -> bool:
    """Accept or decline being introduced to the clinic: the member who asked, once,
    while the introduction is open."""
    return (
        is_referred_member(user, facilitation)
        and facilitation.member_decision is None
        and facilitation.contacts_released_at is None
        and facilitation.status in _INTRODUCTION_OPEN
    )


def can_write_referral_message(user, facilitation) -> bool:
    """Write in a referral's thread: whoever sees the referral (the clinic writes through
    its link)."""
    return can_see_referrals(user, facilitation.question)


def can_see_released_contacts(user, facilitation) -> bool:
    """The other side's contact (the clinic's for the member, the member's for the
    clinic): only once both agreed, and only to those who see the referral."""
    return facilitation.contacts_released_at is not None and can_see_referrals(
        user, facilitation.question
    )


def can_confirm_trial_start(user, facilitation) -> bool:
    """Confirm a start someone else recorded: the member who asked (the clinic does it
    through its link)."""
    return (
        is_referred_member(user, facilitation)
        and facilitation.trial_started_on is not None
        and facilitation.trial_confirmation is None
    )


def can_verify_trial_start(user, facilitation) -> bool:
    """Verify an unconfirmed start, with a note saying how: the admins."""
    return (
        _is_authenticated(user)
        and user.role == Role.ADMIN
        and can_see_question(user, facilitation.question)
        and facilitation.trial_started_on is not None
        and facilitation.trial_confirmation is None
    )


def can_send_referral_link(user, facilitation) -> bool:
    """Send the clinic's contact a new link: the experts and admins, while the referral
    is not over."""
    return (
        sees_all_confidential(user)
        and can_see_question(user, facilitation.question)
        and facilitation.status not in _REFERRAL_OVER
    )


def can_list_all_referrals(user) -> bool:
    """Every referral, whoever asked: experts and admins."""
    return sees_all_confidential(user)


# --- the guide's releases, proposals and law reviews -----------------------------------


def can_see_release(user, release) -> bool:
    """A published release is public; a draft is read by the board and the admins."""
    return release.is_published or sees_all_confidential(user)


def can_see_draft_releases(user) -> bool:
    return sees_all_confidential(user)


def can_approve_release(user) -> bool:
    """A chair of the board approves a release alone."""
    return _is_expert(user) and bool(user.is_chair)


def can_take_release_stance(user) -> bool:
    """The board's experts endorse a release by the quorum of board answers."""
    return _is_expert(user)


def can_propose_guide_text(user) -> bool:
    """The experts, who write the answers, propose guide text; admins edit it directly."""
    return _is_expert(user)


def can_see_guide_proposals(user) -> bool:
    """The proposals' list: the experts see their own, the admins everyone's."""
    return can_curate(user) or can_propose_guide_text(user)


def can_read_guide_proposal(user, proposal) -> bool:
    """A proposal (its page, its files): its proposer and the admins."""
    return can_curate(user) or (_is_authenticated(user) and proposal.proposer_id == user.id)


def can_see_law_reviews(user) -> bool:
    """The texts due for review after a change of the law: the experts (who wrote the
    answers) and the admins (who review them); each item still needs its question."""
    return sees_all_confidential(user)


# --- funded projects ------------------------------------------------------------------------
# A project's page (its questions, referrals and counselling sessions) is for the people of
# its beneficiary organisations, the board's experts and the admins; everyone else gets 404.


def can_manage_projects(user) -> bool:
    """Register and edit funded projects and their beneficiaries: the admins."""
    return _is_authenticated(user) and user.role == Role.ADMIN


def is_project_beneficiary(user, project) -> bool:
    """The reader belongs to one of the project's beneficiary organisations."""
    return (
        _is_authenticated(user)
        and user.organisation_id is not None
        and any(organisation.id == user.organisation_id for organisation in project.beneficiaries)
    )


def may_have_projects(user) -> bool:
    """Whether the projects' list may hold any for the reader (the header's link): the board
    and the admins see every project, the people of an organisation their own."""
    return sees_all_confidential(user) or (
        _is_authenticated(user) and user.organisation_id is not None
    )


def can_see_project(user, project) -> bool:
    return sees_all_confidential(user) or is_project_beneficiary(user, project)


def can_record_counselling(user) -> bool:
    """Counselling sessions are the board's record: experts and admins write and read them
    whole; beneficiaries read the date, who was there and the actions agreed."""
    return sees_all_confidential(user)


def can_see_counselling_notes(user) -> bool:
    return sees_all_confidential(user)
