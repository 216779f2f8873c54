"""Loading the demo centre through the same services the pages use.

Idempotent: accounts are found by e-mail and questions by author and title,
so running it again adds only what is missing. Timestamps are moved into the
past afterwards so the demo reads like months of use.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from forum import calendar
from forum.demo import translations_it
from forum.demo.accounts import DEMO_ACCOUNTS, DEMO_ORGANISATIONS
from forum.demo.attachments import demo_uploads
from forum.demo.board import ETHICS_BEFORE_MINISTRY, seed_board_answers
from forum.demo.centre_pages import seed_centre_pages
from forum.demo.clinics import seed_clinic_directory
from forum.demo.digests import seed_email_choices
from forum.demo.experts import seed_expert_profiles, seed_invitations
from forum.demo.former_member import seed_former_member
from forum.demo.moderation import DEMO_MODERATION_QUESTIONS, seed_moderation
from forum.demo.network import seed_network_directory
from forum.demo.network_rounds import seed_network_rounds
from forum.demo.projects import seed_projects
from forum.demo.questions import DEMO_QUESTIONS
from forum.demo.study_visits import seed_feasibility_notes, seed_study_visits
from forum.demo.survey import seed_survey
from forum.demo.translations import seed_translations
from forum.demo.visits import seed_visit_history
from forum.extensions import db
from forum.models import (
    Answer,
    BoardAnswer,
    BoardAnswerStatus,
    ContentLanguage,
    DevelopmentStage,
    DeviceClass,
    FaqEntry,
    GuideRelease,
    GuideSection,
    Question,
    ReleaseKind,
    Revision,
    Topic,
    User,
    Visibility,
)
from forum.models.columns import utcnow
from forum.run_lock import exclusive_run
from forum.services import answers, citations, faq, faq_translations, questions
from forum.services import organisations as organisation_service
from forum.services.accounts import creation, credentials, profile
from forum.services.errors import RuleViolation
from forum.services.guide import editing, importing, markdown, publishing, translated
from forum.services.organisations import OrganisationDraft
from forum.services.questions import QuestionDraft
from forum.services.search import finder

DEMO_FAQ_ENTRIES = 6
# An account waiting for the link sent to its new address.
PENDING_EMAIL_CHANGE = ("member_davide", "davide.ricci@neurosense-labs.example")


@dataclass(frozen=True)
class DemoAccount:
    email: str
    password: str
    description: str


@dataclass
class SeedReport:
    accounts: list[DemoAccount] = field(default_factory=list)
    users_created: int = 0
    questions_created: int = 0
    faq_entries_created: int = 0
    expert_profiles_created: int = 0
    board_answers_created: int = 0
    guide_loaded: bool = False
    survey_responses_created: int = 0
    visit_rows_created: int = 0
    centre_pages_written: int = 0

    def summary(self) -> str:
        return (
            f"Demo data: {self.users_created} accounts and "
            f"{self.questions_created} questions, {self.faq_entries_created} FAQ entries and "
            f"{self.board_answers_created} board answers added "
            f"({len(DEMO_QUESTIONS) + DEMO_MODERATION_QUESTIONS} demo questions in all)."
        )


def seed_demo() -> SeedReport:
    """Load whatever of the demo centre is missing; return what was done.

    Two runs at once (two ``make run`` in parallel, a deployment script and a
    person) take turns: the second waits for the first, then finds the demo loaded.
    """
    with exclusive_run("seed-demo"):
        return _seed_demo()


def _seed_demo() -> SeedReport:
    report = SeedReport()
    users = _seed_accounts(report)
    topics_by_slug = {topic.slug: topic for topic in db.session.scalars(select(Topic))}
    now = utcnow()
    for item in DEMO_QUESTIONS:
        author = users[item["author"]]
        exists = db.session.scalar(
            select(Question.id).where(
                Question.author_id == author.id, Question.title == item["title"]
            )
        )
        if exists is None:
            _seed_question(item, users, topics_by_slug, now)
            report.questions_created += 1
    # After the questions: the experts' dashboards then list the open ones, and
    # their notification lists are not flooded with months of old questions.
    report.expert_profiles_created = seed_expert_profiles(users)
    seed_invitations(users)
    report.faq_entries_created = _seed_faq(users["admin_giulia"])
    report.board_answers_created = seed_board_answers(users)
    report.faq_entries_created += _seed_board_faq(users["admin_giulia"])
    report.guide_loaded = _seed_guide(users["admin_giulia"], users["expert_marco"])
    _seed_faq_translations(users["admin_giulia"])
    seed_clinic_directory(users)  # after the questions it refers
    seed_projects(users)  # after the questions and referrals it links
    seed_network_directory(users["admin_giulia"])  # after the accounts: their organisations join
    seed_network_rounds(users["admin_giulia"])  # the directory's organisations, introduced
    seed_study_visits(users["admin_giulia"])
    seed_feasibility_notes(users["admin_giulia"])
    report.questions_created += seed_moderation(users)
    report.survey_responses_created = seed_survey(users)
    report.visit_rows_created = seed_visit_history()
    report.centre_pages_written = seed_centre_pages(users["admin_giulia"])
    seed_translations(users["admin_giulia"])  # after the clinics and the survey it translates
    seed_former_member()  # after the questions: its comment joins a demo thread
    seed_email_choices(users)  # last: the digests gather the demo's notifications
    citations.reindex_all()  # the clause pages cover whatever the demo loaded
    finder.reindex_all()  # and search too, with the back-dated dates
    return report


def _seed_guide(admin: User, chair: User) -> bool:
    """Load the guide from its file if the database has none; if there is no release
    yet, release it as 1.0, the first version, approved by the board's chair. True if
    the guide was loaded."""
    loaded = False
    if db.session.scalar(select(GuideSection.id).limit(1)) is None:
        path = Path(current_app.config["GUIDE_PATH"])
        importing.import_guide(markdown.decode(path.read_bytes()), admin)
        _seed_guide_translation(path, admin)
        # Loading a file is not a review, so imported sections carry no date; the
        # demo's text is the one the board re-read for its first release.
        for section in db.session.scalars(select(GuideSection).order_by(GuideSection.id)):
            editing.mark_reviewed(section, admin)
        loaded = True
    if db.session.scalar(select(GuideRelease.id).limit(1)) is None:
        first = publishing.release("1.0", "First release", admin, kind=ReleaseKind.FIRST_VERSION)
        publishing.approve_as_chair(first, chair)
        if loaded:
            _outdate_one_translation(admin)
    return loaded


def _seed_guide_translation(path: Path, admin: User) -> None:
    """The Italian guide from its file beside the English one when there is one (every
    section missing otherwise), and at least the demo's one translated section."""
    italian = translated.translated_path(path, "it")
    if italian.is_file():
        try:
            translated.import_translation(markdown.decode(italian.read_bytes()), "it", admin)
        except (markdown.GuideFormatError, RuleViolation) as error:
            # The demo still starts, in English; `guide import` reports the same fault.
            db.session.rollback()
            current_app.logger.warning(
                "%s not loaded: %s", italian, getattr(error, "message", error)
            )
    section = db.session.scalar(
        select(GuideSection).where(GuideSection.title == translations_it.GUIDE_SECTION_TITLE)
    )
    if section is not None and translated.TABLES.find(section.id, "it") is None:
        title, body = translations_it.GUIDE_SECTION_IT
        translated.edit_translation(
            section,
            admin,
            "it",
            title=title,
            body=body,
            source_number=section.current_number,
            base_number=0,
        )


def _outdate_one_translation(admin: User) -> None:
    """The demo edits one section's English after the first release, so its Italian is
    outdated (with its notice and the diff for the translators) as readers would meet it."""
    section = db.session.scalar(
        select(GuideSection).where(GuideSection.title == translations_it.GUIDE_SECTION_TITLE)
    )
    if section is None:
        return
    editing.edit_section(
        section,
        admin,
        title=section.title,
        body=section.body + translations_it.GUIDE_SECTION_ADDED_EN,
        note="Says who sees a confidential question",
        base_number=section.current_number,
    )


def _seed_faq_translations(admin: User) -> None:
    """The demo's FAQ entries in Italian (each once: a translation made since is kept)."""
    for entry in db.session.scalars(select(FaqEntry).order_by(FaqEntry.id)):
        texts = translations_it.FAQ_IT.get(entry.question_text)
        if texts is not None:
            faq_translations.translate_for_demo(entry, admin, "it", title=texts[0], body=texts[1])


def _seed_board_faq(admin: User) -> int:
    """Promote the board's published demo answer; mark the oldest entry's review as due.

    Both only on the first run, so a review done since is not undone.
    """
    board_answer = db.session.scalar(
        select(BoardAnswer)
        .join(Question, Question.id == BoardAnswer.question_id)
        .where(
            Question.title == ETHICS_BEFORE_MINISTRY,
            BoardAnswer.status == BoardAnswerStatus.PUBLISHED,
        )
    )
    if board_answer is None or db.session.scalar(
        select(FaqEntry.id).where(FaqEntry.source_board_answer_id == board_answer.id)
    ):
        return 0
    question = board_answer.question
    faq.promote_board_answer(
        admin,
        board_answer,
        question_text=question.title,
        answer_text=board_answer.published_body,
        topic=question.topics[0],
    )
    oldest = db.session.scalar(select(FaqEntry).order_by(FaqEntry.id).limit(1))
    today = calendar.today()
    oldest.last_reviewed_on = today - faq.REVIEW_INTERVAL - timedelta(days=30)
    oldest.review_due_on = today - timedelta(days=30)
    db.session.commit()
    return 1


def _seed_faq(admin: User) -> int:
    """Promote the accepted answers of the first public demo questions into the FAQ."""
    accepted = db.session.execute(
        select(Question, Answer)
        .join(Answer, Answer.id == Question.accepted_answer_id)
        .where(Question.visibility == Visibility.PUBLIC)
        .order_by(Question.created_at, Question.id)
        .limit(DEMO_FAQ_ENTRIES)
    ).all()
    created = 0
    for question, answer in accepted:
        if db.session.scalar(select(FaqEntry.id).where(FaqEntry.source_answer_id == answer.id)):
            continue
        faq.promote_answer(
            admin,
            answer,
            question_text=question.title,
            answer_text=answer.body,
            topic=question.topics[0],
        )
        created += 1
    return created


def _seed_accounts(report: SeedReport) -> dict[str, User]:
    organisations = {
        key: organisation_service.find_or_create(
            OrganisationDraft(
                name=name, kind=kind, province=province, tax_code=tax_code, website=website
            )
        )
        for key, (name, kind, province, tax_code, website) in DEMO_ORGANISATIONS.items()
    }
    db.session.commit()
    users = {}
    for key, (
        email,
        name,
        password,
        role,
        area,
        chair,
        org_key,
        description,
    ) in DEMO_ACCOUNTS.items():
        user = credentials.find_user_by_email(email)
        if user is None:
            user = creation.create_user(
                email=email,
                display_name=name,
                password=password,
                role=role,
                area=area,
                is_chair=chair,
                organisation=organisations[org_key],
            )
            report.users_created += 1
        users[key] = user
        report.accounts.append(DemoAccount(email, password, description))
        if key == PENDING_EMAIL_CHANGE[0] and user.pending_email is None and user.email == email:
            # A new address asked for and not confirmed yet: the account page shows it,
            # the outbox holds the link.
            profile.request_email_change(user, PENDING_EMAIL_CHANGE[1], password)
    return users


def _seed_question(
    item: dict, users: dict[str, User], topics_by_slug: dict[str, Topic], now
) -> None:
    asked_at = now - timedelta(days=item["days_ago"])
    question = questions.ask(
        users[item["author"]],
        QuestionDraft(
            title=item["title"],
            body=item["body"],
            topic_ids=[topics_by_slug[slug].id for slug in item["topics"]],
            device_class=DeviceClass(item["device_class"]),
            stage=DevelopmentStage(item["stage"]),
            visibility=Visibility(item["visibility"]),
            language=ContentLanguage(item.get("language", "en")),
        ),
        uploads=demo_uploads(item.get("attachments", ())),
    )
    _backdate(question, asked_at)

    posted_answers = []
    for answer_item in item["answers"]:
        answer = answers.post_answer(
            question,
            users[answer_item["author"]],
            answer_item["body"],
            language=ContentLanguage(answer_item.get("language", "en")),
        )
        _backdate(answer, asked_at + timedelta(days=answer_item["days_after"], hours=3))
        posted_answers.append(answer)
        for member_key in answer_item.get("helpful_from", []):
            answers.set_helpful(answer, users[member_key], helpful=True)

    for comment_item in item.get("comments", []):
        target = comment_item.get("on_answer")
        comment = answers.post_comment(
            question,
            users[comment_item["author"]],
            comment_item["body"],
            answer=posted_answers[target] if target is not None else None,
            language=ContentLanguage(comment_item.get("language", "en")),
        )
        comment.created_at = asked_at + timedelta(days=comment_item["days_after"], hours=1)

    for answer, answer_item in zip(posted_answers, item["answers"]):
        if answer_item.get("accepted"):
            answers.accept_answer(question, answer, users[item["author"]])
    db.session.commit()


def _backdate(subject: Question | Answer, when) -> None:
    subject.created_at = when
    subject.updated_at = when
    # The thread last moved with its newest answer, not when the demo was loaded.
    question = subject if isinstance(subject, Question) else subject.question
    question.last_activity_at = max(
        [question.created_at, *(answer.created_at for answer in question.answers)]
    )
    column = Revision.question_id if isinstance(subject, Question) else Revision.answer_id
    for revision in db.session.scalars(select(Revision).where(column == subject.id)):
        revision.created_at = when
    db.session.commit()
