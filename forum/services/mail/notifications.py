"""Notifications: in-app rows with an unread count, and the same news by e-mail.

Each event function below picks its recipients, leaves out the actor and
anyone who could not open the question, adds a Notification per recipient
and, unless they opted out of that kind, queues an e-mail in the outbox. Both
are added to the caller's transaction (nothing is committed here).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import quote

from flask import current_app
from flask_babel import gettext as _
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import case, func, or_, select, update
from sqlalchemy.orm import selectinload

from forum.extensions import db
from forum.models import (
    Answer,
    BoardAnswer,
    Comment,
    EmailFrequency,
    EmailOptOut,
    GuideProposal,
    Invitation,
    Notification,
    NotificationKind,
    ProposalStatus,
    Question,
    Role,
    Stance,
    User,
    topic_follow,
)
from forum.models.columns import utcnow
from forum.models.generation import private_to
from forum.permissions import can_see_question, visible_questions_clause
from forum.services.mail import outbox
from forum.services.mail.letters import in_reader_language

# The characters url_for leaves unquoted in an anchor.
ANCHOR_SAFE = "%!#$&'()*+,/:;=?@"


def notify(
    kind: NotificationKind,
    recipients: Iterable[User],
    *,
    question: Question,
    actor: User | None = None,
    board_answer: BoardAnswer | None = None,
    sentence=None,
    link: tuple[str, dict] | None = None,
) -> list[User]:
    """Notify each recipient once about ``question``; returns who was notified.
    ``sentence`` (a lazy string) and ``link`` (endpoint, values) replace the kind's
    sentence and the question's link in the e-mail."""
    chosen: dict[int, User] = {}
    for user in recipients:
        if user is None or not user.active or user.id in chosen:
            continue
        if actor is not None and user.id == actor.id:
            continue
        if not can_see_question(user, question):
            continue
        chosen[user.id] = user
    if not chosen:
        return []
    opted_out = set(
        db.session.scalars(
            select(EmailOptOut.user_id).where(
                EmailOptOut.kind == kind, EmailOptOut.user_id.in_(chosen)
            )
        )
    )
    for user in chosen.values():
        notification = Notification(
            user_id=user.id,
            kind=kind,
            question_id=question.id,
            board_answer_id=board_answer.id if board_answer is not None else None,
            actor_id=actor.id if actor is not None else None,
        )
        db.session.add(notification)
        if user.id not in opted_out:
            _deliver(
                user,
                notification,
                lambda user=user: compose_email(
                    kind, user, question, actor, sentence=sentence, link=link
                ),
            )
    return list(chosen.values())


def _deliver(user: User, notification: Notification, compose) -> None:
    """The e-mail side of a notification, by the person's chosen frequency.

    Immediate: the e-mail is queued now (``compose()`` gives its subject and body).
    Daily or weekly: the notification waits for the next digest instead.
    None: nothing; the in-app list has it.
    """
    frequency = user.email_frequency or EmailFrequency.IMMEDIATE
    if frequency == EmailFrequency.IMMEDIATE:
        subject, body = compose()
        # With the question's id, so hiding the question withdraws the e-mail unsent.
        outbox.enqueue(user.email, subject, body, question_id=notification.question_id)
    elif frequency in (EmailFrequency.DAILY, EmailFrequency.WEEKLY):
        notification.awaits_digest = True


# --- the events -------------------------------------------------------------


def question_asked(question: Question) -> None:
    """Experts who follow one of the question's topics hear of it."""
    notify(
        NotificationKind.NEW_QUESTION_IN_TOPIC,
        _topic_followers(question),
        question=question,
        actor=question.author,
    )


def answer_posted(answer: Answer) -> None:
    question = answer.question
    notify(NotificationKind.NEW_ANSWER, [question.author], question=question, actor=answer.author)


def comment_posted(comment: Comment) -> None:
    """The asker, and the answer's author for a comment on an answer."""
    recipients = [comment.question.author]
    if comment.answer is not None:
        recipients.append(comment.answer.author)
    notify(
        NotificationKind.NEW_COMMENT, recipients, question=comment.question, actor=comment.author
    )


def answer_accepted(answer: Answer, by: User) -> None:
    notify(NotificationKind.ANSWER_ACCEPTED, [answer.author], question=answer.question, actor=by)


def expert_invited(invitation: Invitation) -> None:
    notify(
        NotificationKind.INVITATION,
        [invitation.expert],
        question=invitation.question,
        actor=invitation.invited_by,
    )


def _topic_followers(question: Question):
    """The experts who follow one of the question's topics."""
    topic_ids = [topic.id for topic in question.topics]
    if not topic_ids:
        return []
    return db.session.scalars(
        select(User).where(
            User.role == Role.EXPERT,
            User.id.in_(
                select(topic_follow.c.user_id).where(topic_follow.c.topic_id.in_(topic_ids))
            ),
        )
    )


def board_draft_opened(board_answer: BoardAnswer, opener: User) -> None:
    """Experts who follow one of the question's topics hear that the board started a draft
    (the e-mail links its workspace); ``notify`` leaves out the opener and anyone who may
    not open the question."""
    notify(
        NotificationKind.BOARD_DRAFT_OPENED,
        _topic_followers(board_answer.question),
        question=board_answer.question,
        actor=opener,
        board_answer=board_answer,
        link=("board.workspace", {"board_answer_id": board_answer.id}),
    )


def stance_needed(board_answer: BoardAnswer, actor: User) -> None:
    """Every active expert is asked for a stance on the board answer's new revision."""
    experts = db.session.scalars(select(User).where(User.role == Role.EXPERT))
    notify(
        NotificationKind.STANCE_NEEDED,
        experts,
        question=board_answer.question,
        actor=actor,
        board_answer=board_answer,
    )


def board_answer_published(board_answer: BoardAnswer, actor: User) -> None:
    """The asker, and the experts who wrote or took a stance on the answer."""
    question = board_answer.question
    contributor_ids = set(
        db.session.scalars(
            select(Stance.expert_id).where(Stance.board_answer_id == board_answer.id)
        )
    )
    contributor_ids.update(
        revision.editor_id for revision in board_answer.revisions if revision.editor_id
    )
    recipients = [question.author]
    if contributor_ids:
        recipients.extend(db.session.scalars(select(User).where(User.id.in_(contributor_ids))))
    notify(
        NotificationKind.BOARD_ANSWER_PUBLISHED,
        recipients,
        question=question,
        actor=actor,
        board_answer=board_answer,
    )


def referral_update(facilitation, sentence, actor: User | None) -> None:
    """Tell the member who asked, and the expert who referred, what happened to a
    referral (``sentence``, a lazy string said in each one's language); the e-mail links
    the referral. The actor is left out; None is the clinic, through its link."""
    notify(
        NotificationKind.REFERRAL_UPDATE,
        [facilitation.question.author, facilitation.expert],
        question=facilitation.question,
        actor=actor,
        sentence=sentence,
        link=("clinics.referral", {"facilitation_id": facilitation.id}),
    )


def guide_proposal_decided(proposal: GuideProposal, actor: User) -> None:
    """The expert who proposed guide text hears whether it was accepted or declined.

    The guide is public, so there is no question to check; the e-mail names the
    section and carries the admin's note.
    """
    proposer = proposal.proposer
    if proposer is None or not proposer.active or proposer.id == actor.id:
        return
    kind = (
        NotificationKind.GUIDE_PROPOSAL_ACCEPTED
        if proposal.status == ProposalStatus.ACCEPTED
        else NotificationKind.GUIDE_PROPOSAL_DECLINED
    )
    notification = Notification(
        user_id=proposer.id, kind=kind, guide_proposal_id=proposal.id, actor_id=actor.id
    )
    db.session.add(notification)
    opted_out = db.session.get(EmailOptOut, (proposer.id, kind)) is not None
    if not opted_out:
        _deliver(
            proposer, notification, lambda: compose_proposal_email(kind, proposer, proposal, actor)
        )


# --- reading them -----------------------------------------------------------


def unread_count(user: User) -> int:
    """How many unread notifications the user has about questions they can still see."""
    return db.session.scalar(_unread(user, func.count())) or 0


def _unread(user: User, *columns):
    """SELECT ``columns`` over the user's unread notifications they may still see."""
    return (
        select(*columns)
        .select_from(Notification)
        .outerjoin(Question, Question.id == Notification.question_id)
        .where(
            Notification.user_id == user.id,
            Notification.read_at.is_(None),
            _about_something_visible(user),
        )
    )


def read_on_opening(
    user: User, *, question_id: int | None = None, guide_proposal_id: int | None = None
) -> OpenedPage:
    """Find the user's unread notifications about the page being opened; one query.

    Returns the unread count the header should show once they are read, and
    ``mark()``, to call after the page is rendered: a commit expires every
    loaded row, and the page would load them again. ``mark()`` writes only when
    there is something to mark (one UPDATE, committed), so opening a page
    without news about it stays a read.
    """
    about = (
        Notification.question_id == question_id
        if question_id is not None
        else Notification.guide_proposal_id == guide_proposal_id
    )
    total, about_page = db.session.execute(
        _unread(user, func.count(), func.coalesce(func.sum(case((about, 1), else_=0)), 0))
    ).one()

    def mark() -> None:
        if about_page:
            db.session.execute(_marking_read(user, about))
            db.session.commit()

    return OpenedPage(unread_after=total - about_page, mark=mark)


@dataclass(frozen=True)
class OpenedPage:
    unread_after: int
    mark: Callable[[], None]


def list_for(user: User, page: int, per_page: int = 30) -> Pagination:
    """One page of the user's notifications, newest first.

    Filtered by what the user can see now: a question made confidential after
    the notification was sent no longer shows through it.
    """
    statement = (
        select(Notification)
        .outerjoin(Question, Question.id == Notification.question_id)
        .where(Notification.user_id == user.id, _about_something_visible(user))
        .options(
            selectinload(Notification.actor),
            selectinload(Notification.question),
            selectinload(Notification.guide_proposal).selectinload(GuideProposal.section),
        )
        .order_by(Notification.created_at.desc(), Notification.id.desc())
    )
    return db.paginate(statement, page=page, per_page=per_page, error_out=False)


def _about_something_visible(user: User):
    """A question the user can see now, or no question at all (a guide proposal's news)."""
    return or_(
        Notification.question_id.is_(None) & Notification.guide_proposal_id.is_not(None),
        Question.id.is_not(None) & visible_questions_clause(user),
    )


def mark_read(user: User, notification_ids: Iterable[int] | None = None) -> int:
    """Mark the given notifications (or all) of the user as read; returns how many."""
    chosen = () if notification_ids is None else (Notification.id.in_(list(notification_ids)),)
    result = db.session.execute(_marking_read(user, *chosen))
    db.session.commit()
    return result.rowcount


def _marking_read(user: User, *conditions):
    """The UPDATE marking the user's unread notifications (those meeting ``conditions``)
    read: it moves their own page generation, so none of their cached pages keeps the
    old count, and everyone else's stay."""
    return private_to(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None), *conditions)
        .values(read_at=utcnow()),
        user.id,
    )


def email_opt_outs(user: User) -> set[NotificationKind]:
    return set(db.session.scalars(select(EmailOptOut.kind).where(EmailOptOut.user_id == user.id)))


def set_email_opt_outs(user: User, kinds: Iterable[NotificationKind]) -> None:
    """Replace the kinds of notification the user receives only in the app, not by e-mail."""
    wanted = set(kinds)
    current = email_opt_outs(user)
    for kind in current - wanted:
        db.session.delete(db.session.get(EmailOptOut, (user.id, kind)))
    for kind in wanted - current:
        db.session.add(EmailOptOut(user_id=user.id, kind=kind))
    db.session.commit()


# --- the e-mails ------------------------------------------------------------


def external_url(endpoint: str, _anchor: str | None = None, **values) -> str:
    """An absolute link on ``PUBLIC_BASE_URL``, built outside any request: for e-mails,
    and for the feeds and the sitemap, which are kept for everyone and so must never
    carry the Host header of the request that built them."""
    adapter = current_app.url_map.bind("localhost")
    url = current_app.config["PUBLIC_BASE_URL"] + adapter.build(endpoint, values)
    # Quoted as url_for quotes an anchor.
    return url if _anchor is None else f"{url}#{quote(_anchor, safe=ANCHOR_SAFE)}"


def event_sentence(kind: NotificationKind, actor_name: str) -> str:
    """What happened, in one sentence of the current language (e-mails and digests)."""
    sentences = {
        NotificationKind.NEW_QUESTION_IN_TOPIC: _(
            "A new question was asked in a topic you follow."
        ),
        NotificationKind.INVITATION: _(
            "%(name)s invites you to answer a question.", name=actor_name
        ),
        NotificationKind.STANCE_NEEDED: _(
            "A board answer has a new revision that needs your stance "
            "(endorse, dissent or abstain)."
        ),
        NotificationKind.BOARD_ANSWER_PUBLISHED: _("The board has published its answer."),
        NotificationKind.BOARD_DRAFT_OPENED: _(
            "%(name)s opened a board answer draft on a question in a topic you follow.",
            name=actor_name,
        ),
        NotificationKind.NEW_ANSWER: _("%(name)s answered your question.", name=actor_name),
        NotificationKind.NEW_COMMENT: _(
            "%(name)s commented on a discussion you take part in.", name=actor_name
        ),
        NotificationKind.ANSWER_ACCEPTED: _("The person who asked accepted your answer."),
        NotificationKind.GUIDE_PROPOSAL_ACCEPTED: _(
            "%(name)s accepted your proposal for the guide.", name=actor_name
        ),
        NotificationKind.GUIDE_PROPOSAL_DECLINED: _(
            "%(name)s declined your proposal for the guide.", name=actor_name
        ),
        NotificationKind.REFERRAL_UPDATE: _("A referral of your question to a clinic has news."),
    }
    return sentences[kind]


def compose_email(
    kind: NotificationKind,
    user: User,
    question: Question,
    actor: User | None,
    sentence=None,
    link: tuple[str, dict] | None = None,
) -> tuple[str, str]:
    """Subject and plain-text body of the e-mail for one notification, in the user's language.

    A confidential question's title stays out of the e-mail, which leaves the
    forum's protection: the reader follows the link and logs in.
    """
    with in_reader_language(user.locale):
        actor_name = actor.display_name if actor is not None else _("The centre")
        sentence = str(sentence) if sentence is not None else event_sentence(kind, actor_name)
        if question.is_confidential:
            title_line = _("(The question is confidential: its title is not sent by e-mail.)")
        else:
            title_line = _("Question: %(title)s", title=question.title)
        subject = _("[CTCC forum] %(sentence)s", sentence=sentence)
        endpoint, values = link or ("questions.show", {"question_id": question.id})
        link = external_url(endpoint, **values)
        settings_link = external_url("notifications.settings")
        body = "\n\n".join(
            [
                _("Hello %(name)s,", name=user.display_name),
                sentence,
                title_line,
                _("Open it: %(link)s", link=link),
                "-- ",
                _(
                    "You receive this e-mail because of your notification settings on the "
                    "Clinical Trials Competence Centre forum. Change them at %(link)s",
                    link=settings_link,
                ),
            ]
        )
    return subject, body + "\n"


def compose_proposal_email(
    kind: NotificationKind, user: User, proposal: GuideProposal, actor: User | None
) -> tuple[str, str]:
    """Subject and plain-text body of the e-mail telling an expert what became of a proposal."""
    with in_reader_language(user.locale):
        actor_name = actor.display_name if actor is not None else _("The centre")
        sentence = event_sentence(kind, actor_name)
        parts = [
            _("Hello %(name)s,", name=user.display_name),
            sentence,
            _("Section: %(title)s", title=proposal.section.title),
        ]
        if proposal.decision_note:
            parts.append(_("Their note: %(note)s", note=proposal.decision_note))
        parts += [
            _(
                "Open it: %(link)s",
                link=external_url("guide_proposals.show", proposal_id=proposal.id),
            ),
            "-- ",
            _(
                "You receive this e-mail because of your notification settings on the "
                "Clinical Trials Competence Centre forum. Change them at %(link)s",
                link=external_url("notifications.settings"),
            ),
        ]
        subject = _("[CTCC forum] %(sentence)s", sentence=sentence)
    return subject, "\n\n".join(parts) + "\n"
