"""Moderation (issue 22, items 1 to 3): flags, the moderators' queue and actions, locks,
spam, and new accounts held back. A hidden text is seen by its author and the admins
only: one test per place where a text could otherwise show."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, insert, select

from forum import calendar
from forum.extensions import db
from forum.models import (
    AuditEntry,
    Flag,
    FlagReason,
    ModerationState,
    Notification,
    NotificationKind,
    OutboxMessage,
    Question,
    Revision,
    SearchDocument,
    topic_follow,
)
from forum.services import answers, clinics, facilitations, moderation
from forum.services.accounts import api_tokens, data_export
from forum.services.clinics import ClinicDraft
from forum.services.errors import PermissionDenied
from forum.services.moderation import Action
from forum.services.review import export as review_export
from forum.services.review import figures as review
from forum.services.review.export import ExportFormat
from forum.services.review.period import Period
from tests.factories import ask_question, question_form, topic_id

SPAM_TITLE = "Zanzibarcert gives the CE mark in 2 weeks for any device"
SPAM_BODY = "Zanzibarcert obtains a CE mark without clinical data: write to us today."
ANSWER_TEXT = "Quillfeather advice: this answer will be hidden by the moderators."
COMMENT_TEXT = "Marmalade clarification that the moderators will hide."


def _flag(client, login, user, kind, text_id, reason="spam", note=""):
    login(user)
    return client.post(f"/flags/{kind}/{text_id}", data={"reason": reason, "note": note})


def _act(client, login, admin, kind, text_id, action, reason="Advertising, not a question."):
    login(admin)
    return client.post(
        f"/admin/moderation/{kind}/{text_id}", data={"action": action, "reason": reason}
    )


@pytest.fixture
def spam(people, make_user):
    """A new member's advert, with an expert following its topic."""
    db.session.execute(
        insert(topic_follow).values(
            user_id=people.expert.id, topic_id=topic_id("regulatory-pathway")
        )
    )
    db.session.commit()
    spammer = make_user(name="Sam Spammer")
    question = ask_question(spammer, title=SPAM_TITLE, body=SPAM_BODY)
    return question


def _hide_by_flags(client, login, people, question):
    for member in (people.asker, people.other):
        assert _flag(client, login, member, "question", question.id).status_code == 302
    client.post("/logout")


# --- flags ---------------------------------------------------------------------


def test_a_visitor_is_sent_to_log_in_to_flag(client, spam):
    response = client.post(f"/flags/question/{spam.id}", data={"reason": "spam"})
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert db.session.scalar(select(func.count()).select_from(Flag)) == 0


def test_one_flag_per_person_per_text(client, login, people, spam):
    assert _flag(client, login, people.asker, "question", spam.id).status_code == 302
    again = _flag(client, login, people.asker, "question", spam.id, reason="offensive")
    assert again.status_code == 422
    assert "You have already flagged this text." in again.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Flag)) == 1
    db.session.refresh(spam)
    assert spam.moderation_state is None  # one flag does not hide


def test_other_needs_a_note_and_keeps_what_was_chosen(client, login, people, spam):
    response = _flag(client, login, people.asker, "question", spam.id, reason="other")
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "Say what is wrong with it." in page
    chosen = re.search(r'<input[^>]*value="other"[^>]*>', page).group(0)
    assert "checked" in chosen


def test_the_author_cannot_flag_their_own_text(client, login, spam):
    response = _flag(client, login, spam.author, "question", spam.id)
    assert response.status_code == 403


def test_flags_from_two_people_hide_the_text_pending_review(client, login, people, spam):
    _hide_by_flags(client, login, people, spam)
    db.session.refresh(spam)
    assert spam.moderation_state == ModerationState.FLAGGED
    assert client.get(f"/questions/{spam.id}").status_code == 404


def test_every_flag_reason_can_be_given_on_answers_and_comments(client, login, people):
    question = ask_question(people.asker)
    answer = answers.post_answer(question, people.expert, ANSWER_TEXT)
    comment = answers.post_comment(question, people.asker, COMMENT_TEXT, answer=answer)
    assert (
        _flag(
            client, login, people.other, "answer", answer.id, reason="dangerous-advice"
        ).status_code
        == 302
    )
    assert (
        _flag(
            client, login, people.other, "comment", comment.id, reason="personal-data"
        ).status_code
        == 302
    )
    reasons = set(db.session.scalars(select(Flag.reason)))
    assert reasons == {FlagReason.DANGEROUS_ADVICE, FlagReason.PERSONAL_DATA}


def test_the_queue_lists_flagged_texts_oldest_first_with_reasons_and_who_flagged(
    client, login, people, spam, count_queries
):
    later = ask_question(people.other, title="A later question someone found off-topic")
    _flag(
        client,
        login,
        people.asker,
        "question",
        spam.id,
        reason="other",
        note="Promises a CE mark without data",
    )
    _flag(client, login, people.asker, "question", later.id, reason="off-topic")
    login(people.admin)
    page = client.get("/admin/moderation").get_data(as_text=True)
    assert page.index(SPAM_TITLE) < page.index("A later question someone found off-topic")
    assert "Promises a CE mark without data" in page and "Anna Asker" in page
    assert "Off-topic" in page
    with count_queries() as few:
        client.get("/admin/moderation")
    for _ in range(3):
        ask_question(people.other, title=f"Another flagged question number {_}")
    for question in db.session.scalars(
        select(Question).where(Question.author_id == people.other.id)
    ):
        moderation.flag(people.chair, question, FlagReason.SPAM)
    with count_queries() as more:
        client.get("/admin/moderation")
    assert len(more) == len(few)
    # Answers and comments in the queue too: still bounded.
    replied = ask_question(people.other, title="A question whose replies were flagged")
    answer = answers.post_answer(replied, people.expert, ANSWER_TEXT)
    comment = answers.post_comment(replied, people.other, COMMENT_TEXT)
    moderation.flag(people.asker, answer, FlagReason.DANGEROUS_ADVICE)
    moderation.flag(people.asker, comment, FlagReason.OFFENSIVE)
    with count_queries() as all_kinds:
        page = client.get("/admin/moderation").get_data(as_text=True)
    assert "Quillfeather" in page and "Marmalade" in page
    for number in range(2):
        more_answer = answers.post_answer(replied, people.clinical, f"{ANSWER_TEXT} {number}")
        moderation.flag(people.asker, more_answer, FlagReason.SPAM)
        more_comment = answers.post_comment(replied, people.other, f"{COMMENT_TEXT} {number}")
        moderation.flag(people.asker, more_comment, FlagReason.SPAM)
    with count_queries() as still:
        client.get("/admin/moderation")
    assert len(still) == len(all_kinds)


# --- a hidden question, in every place it could show ----------------------------


@pytest.fixture
def hidden(client, login, people, spam):
    _hide_by_flags(client, login, people, spam)
    db.session.refresh(spam)
    return spam


@pytest.mark.parametrize("viewer", ["visitor", "member", "expert"])
def test_a_hidden_question_is_404_and_absent_from_lists_topics_and_home(
    client, login, people, hidden, viewer
):
    ask_question(people.asker, title="A public question everyone can read here")
    if viewer != "visitor":
        login(people.other if viewer == "member" else people.clinical)
    assert client.get(f"/questions/{hidden.id}").status_code == 404
    for url in ("/", "/questions", "/questions?topic=regulatory-pathway", "/questions?status=open"):
        assert "Zanzibarcert" not in client.get(url).get_data(as_text=True), url
    assert "1 question so far" in client.get("/").get_data(as_text=True)
    assert "1 question</p>" in client.get("/questions").get_data(as_text=True)


def test_a_hidden_question_leaves_the_experts_dashboard(client, login, people, spam):
    login(people.expert)
    assert "Zanzibarcert" in client.get("/dashboard").get_data(as_text=True)
    _hide_by_flags(client, login, people, spam)
    for reader in (people.expert, people.admin):  # nor on the admins' waiting list
        login(reader)
        assert "Zanzibarcert" not in client.get("/dashboard").get_data(as_text=True)


def test_a_hidden_questions_referral_leaves_the_referral_and_clinic_lists(
    client, login, people, spam
):
    clinic = clinics.create_clinic(
        people.admin,
        ClinicDraft(
            name="Centro Cardiologico Ambrosiano",
            city="Milano",
            specialties="Cardiology",
            contact_email="trials@example.org",
        ),
    )
    facilitations.refer(spam, clinic, people.expert, "Their unit fits the study.")
    login(people.expert)
    assert "Zanzibarcert" in client.get("/facilitations").get_data(as_text=True)
    _hide_by_flags(client, login, people, spam)
    login(people.expert)
    assert "Zanzibarcert" not in client.get("/facilitations").get_data(as_text=True)
    assert "Zanzibarcert" not in client.get(f"/clinics/{clinic.id}").get_data(as_text=True)


def test_a_hidden_question_leaves_search_and_suggestions_and_returns_when_restored(
    client, login, people, spam
):
    assert "Zanzibarcert" in client.get("/search?q=zanzibarcert").get_data(as_text=True)
    _hide_by_flags(client, login, people, spam)
    assert "Zanzibarcert" not in client.get("/search?q=zanzibarcert").get_data(as_text=True)
    assert client.get("/search/suggest?q=zanzibarcert").get_json()["suggestions"] == []
    assert client.get("/api/v1/search?q=zanzibarcert").get_json()["items"] == []
    _act(client, login, people.admin, "question", spam.id, "restore", "Not spam after all.")
    client.post("/logout")
    assert "Zanzibarcert" in client.get("/search?q=zanzibarcert").get_data(as_text=True)
    assert client.get("/search/suggest?q=zanzibarcert").get_json()["suggestions"]


def test_a_hidden_question_is_absent_from_the_api(client, login, people, hidden):
    assert client.get(f"/api/v1/questions/{hidden.id}").status_code == 404
    listed = client.get("/api/v1/questions").get_json()
    assert all(item["id"] != hidden.id for item in listed["items"])
    member = {"Authorization": "Bearer " + api_tokens.create(people.other, "tests").secret}
    assert client.get(f"/api/v1/questions/{hidden.id}", headers=member).status_code == 404
    author = {"Authorization": "Bearer " + api_tokens.create(hidden.author, "tests").secret}
    document = client.get(f"/api/v1/questions/{hidden.id}", headers=author).get_json()
    assert document["moderation"]["state"] == "flagged"


def test_a_hidden_question_is_not_counted_in_the_review_nor_its_xlsx(client, login, people, spam):
    today = calendar.today()
    period = Period(today - timedelta(days=1), today)
    before = dict(review.answering_table(period).rows)
    _hide_by_flags(client, login, people, spam)
    after = dict(review.answering_table(period).rows)
    asked = next(key for key in before if key.startswith("Questions asked"))
    assert after[asked] == before[asked] - 1
    topics = dict(review.questions_by_topic_table(period).rows)
    assert topics["Regulatory pathway"] == 0
    workbook = load_workbook(
        io.BytesIO(review_export.export(review.build_review(period), ExportFormat.XLSX))
    )
    cells = [row for sheet in workbook for row in sheet.iter_rows(values_only=True)]
    assert (asked, after[asked]) in [(row[0], row[1]) for row in cells if len(row) > 1]


def test_notifications_about_a_hidden_question_stop_showing(client, login, people, spam):
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(Notification)
            .where(Notification.user_id == people.expert.id)
        )
        == 1
    )
    login(people.expert)
    assert "Zanzibarcert" in client.get("/notifications").get_data(as_text=True)
    _hide_by_flags(client, login, people, spam)
    login(people.expert)
    page = client.get("/notifications").get_data(as_text=True)
    assert "Zanzibarcert" not in page


def test_followers_are_not_emailed_about_a_question_hidden_before_the_email_went(
    client, login, people, spam
):
    queued = (
        select(func.count())
        .select_from(OutboxMessage)
        .where(OutboxMessage.recipient == people.expert.email)
    )
    assert db.session.scalar(queued) == 1
    _hide_by_flags(client, login, people, spam)
    assert db.session.scalar(queued) == 0


def test_the_author_and_admins_see_the_hidden_question_marked_with_the_reason(
    client, login, people, hidden
):
    login(hidden.author)
    page = client.get(f"/questions/{hidden.id}").get_data(as_text=True)
    assert "Hidden after flags, pending review" in page and "Only you and the moderators" in page
    assert SPAM_TITLE in client.get("/questions?mine=1").get_data(as_text=True)
    login(people.admin)
    page = client.get(f"/questions/{hidden.id}").get_data(as_text=True)
    assert "Hidden after flags, pending review" in page and SPAM_BODY in page


# --- hidden answers and comments -------------------------------------------------


def test_a_hidden_answer_and_comment_leave_the_thread_the_count_search_and_api(
    client, login, people
):
    question = ask_question(people.asker)
    answer = answers.post_answer(question, people.expert, ANSWER_TEXT)
    answers.post_comment(question, people.asker, COMMENT_TEXT)
    comment_id = question.comments[0].id
    _act(client, login, people.admin, "answer", answer.id, "hide")
    _act(client, login, people.admin, "comment", comment_id, "hide")
    client.post("/logout")
    page = client.get(f"/questions/{question.id}").get_data(as_text=True)
    assert "Quillfeather" not in page and "Marmalade" not in page and "0 answers" in page
    db.session.refresh(question)
    assert question.answer_count == 0
    assert "Quillfeather" not in client.get("/search?q=quillfeather").get_data(as_text=True)
    document = client.get(f"/api/v1/questions/{question.id}").get_json()
    assert document["answers"] == [] and document["comments"] == []
    login(people.expert)  # the answer's author sees it, marked with the reason
    page = client.get(f"/questions/{question.id}").get_data(as_text=True)
    assert "Quillfeather" in page and "Hidden by the moderators" in page
    assert "Advertising, not a question." in page
    login(people.clinical)  # another expert does not
    assert "Quillfeather" not in client.get(f"/questions/{question.id}").get_data(as_text=True)


def test_a_removed_comment_leaves_a_tombstone_and_its_text_is_erased(client, login, people):
    question = ask_question(people.asker)
    comment = answers.post_comment(question, people.asker, COMMENT_TEXT)
    _act(client, login, people.admin, "comment", comment.id, "remove", "Personal data.")
    client.post("/logout")
    page = client.get(f"/questions/{question.id}").get_data(as_text=True)
    assert "Comment removed by the moderators." in page and "Marmalade" not in page
    db.session.refresh(comment)
    assert comment.stored_body == ""


def test_a_removed_question_keeps_its_thread_readable_without_its_text(client, login, people):
    question = ask_question(people.asker, title="Removed question about Zanzibarcert adverts")
    answers.post_answer(question, people.expert, ANSWER_TEXT)
    _act(client, login, people.admin, "question", question.id, "remove")
    client.post("/logout")
    page = client.get(f"/questions/{question.id}").get_data(as_text=True)
    assert "Question removed by the moderators" in page and "Quillfeather" in page
    assert "Zanzibarcert" not in page
    assert (
        db.session.scalar(
            select(func.count()).select_from(Revision).where(Revision.question_id == question.id)
        )
        == 0
    )
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(SearchDocument)
            .where(SearchDocument.question_id == question.id, SearchDocument.kind == "question")
        )
        == 0
    )


# --- actions: reasons, audit, the author told -----------------------------------------


def test_an_action_without_a_reason_is_refused_beside_the_field(client, login, people, spam):
    response = _act(client, login, people.admin, "question", spam.id, "hide", reason="  ")
    assert response.status_code == 422
    assert "Give the reason: the author is told." in response.get_data(as_text=True)
    db.session.refresh(spam)
    assert spam.moderation_state is None


def test_marking_spam_hides_audits_tells_the_author_in_their_language_and_counts(
    client, login, people, spam
):
    spam.author.locale = "it"
    db.session.commit()
    _act(client, login, people.admin, "question", spam.id, "spam", "Pubblicità ingannevole.")
    db.session.refresh(spam)
    assert spam.moderation_state == ModerationState.SPAM
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "text-marked-spam"))
    assert entry.subject_id == spam.id and entry.detail == "Pubblicità ingannevole."
    assert (
        db.session.scalar(select(Notification).where(Notification.user_id == spam.author_id)).kind
        == NotificationKind.MODERATED
    )
    mail = db.session.scalar(
        select(OutboxMessage).where(OutboxMessage.recipient == spam.author.email)
    )
    assert "I moderatori" in mail.subject and "Pubblicità ingannevole." in mail.body
    page = client.get(f"/admin/users/{spam.author_id}").get_data(as_text=True)
    assert "Texts marked as spam" in page
    assert moderation.author_record(spam.author).spam == 1
    login(spam.author)
    page = client.get(f"/questions/{spam.id}", headers={"Accept-Language": "it"}).get_data(
        as_text=True
    )
    assert "Pubblicità ingannevole." in page


def test_deactivating_an_account_can_hide_everything_it_posted(client, login, people, spam):
    login(people.admin)
    response = client.post(
        f"/admin/users/{spam.author_id}/deactivate",
        data={"reason": "Spam account.", "hide_posts": "y"},
    )
    assert response.status_code == 302
    db.session.refresh(spam)
    assert spam.moderation_state == ModerationState.HIDDEN
    assert spam.moderation_reason == "Spam account."
    client.post("/logout")
    assert client.get(f"/questions/{spam.id}").status_code == 404


# --- locks ------------------------------------------------------------------------


@pytest.fixture
def locked(client, login, people):
    question = ask_question(people.asker)
    _act(client, login, people.admin, "question", question.id, "lock", "Answered; ask anew.")
    client.post("/logout")
    return question


def test_a_locked_question_shows_why_and_no_forms(client, login, people, locked):
    login(people.expert)
    page = client.get(f"/questions/{locked.id}").get_data(as_text=True)
    assert "This question is locked by the moderators" in page and "Answered; ask anew." in page
    assert f'action="/questions/{locked.id}/answers"' not in page
    assert f'action="/questions/{locked.id}/comments"' not in page


def test_a_locked_question_refuses_an_answer_and_a_comment_from_a_form(
    client, login, people, locked
):
    login(people.expert)
    response = client.post(
        f"/questions/{locked.id}/answers",
        data={"body": "A late answer that should be refused here."},
        follow_redirects=True,
    )
    assert "This question is locked by the moderators" in response.get_data(as_text=True)
    login(people.asker)
    response = client.post(
        f"/questions/{locked.id}/comments", data={"body": "A late comment."}, follow_redirects=True
    )
    assert "This question is locked by the moderators" in response.get_data(as_text=True)
    db.session.refresh(locked)
    assert locked.answers == [] and locked.comments == []


def test_a_locked_question_refuses_an_answer_and_a_comment_over_the_api(client, people, locked):
    expert = {"Authorization": "Bearer " + api_tokens.create(people.expert, "tests").secret}
    response = client.post(
        f"/api/v1/questions/{locked.id}/answers",
        headers=expert,
        csrf=False,
        json={"body": "A late answer that should be refused here."},
    )
    assert response.status_code == 409
    assert "locked by the moderators" in response.get_json()["detail"]
    asker = {"Authorization": "Bearer " + api_tokens.create(people.asker, "tests").secret}
    response = client.post(
        f"/api/v1/questions/{locked.id}/comments",
        headers=asker,
        csrf=False,
        json={"body": "A late comment."},
    )
    assert response.status_code == 409
    assert client.get(f"/api/v1/questions/{locked.id}").get_json()["locked"] == {
        "reason": "Answered; ask anew."
    }


# --- new accounts ---------------------------------------------------------------------


def test_a_new_account_has_a_posting_budget(app, client, login, make_user):
    app.config["MODERATION_NEW_ACCOUNT_DAILY_POSTS"] = 2
    newcomer = make_user()
    login(newcomer)
    for number in range(2):
        response = client.post(
            "/questions/ask",
            data=question_form(title=f"Question number {number} of a brand new account"),
        )
        assert response.status_code == 302
    response = client.post(
        "/questions/ask", data=question_form(title="A third question on the same day")
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "New accounts post at most 2" in page
    assert "A third question on the same day" in page  # what was typed stays


def test_an_older_account_is_out_of_the_budget(app, make_user):
    app.config["MODERATION_NEW_ACCOUNT_DAILY_POSTS"] = 1
    veteran = make_user()
    veteran.created_at -= timedelta(days=30)
    db.session.commit()
    for number in range(3):
        ask_question(veteran, title=f"A veteran's question number {number}")


def test_first_posts_wait_for_approval_when_the_setting_asks(app, client, login, people, make_user):
    app.config["MODERATION_APPROVE_FIRST_POSTS"] = True
    db.session.execute(
        insert(topic_follow).values(
            user_id=people.expert.id, topic_id=topic_id("regulatory-pathway")
        )
    )
    db.session.commit()
    newcomer = make_user()
    login(newcomer)
    response = client.post(
        "/questions/ask", data=question_form(title=SPAM_TITLE), follow_redirects=True
    )
    assert "waits for a moderator" in response.get_data(as_text=True)
    question = db.session.scalar(select(Question).where(Question.author_id == newcomer.id))
    assert question.moderation_state == ModerationState.HELD
    assert db.session.scalar(select(func.count()).select_from(Notification)) == 0
    client.post("/logout")
    assert client.get(f"/questions/{question.id}").status_code == 404
    login(people.admin)
    assert SPAM_TITLE in client.get("/admin/moderation").get_data(as_text=True)
    _act(client, login, people.admin, "question", question.id, "approve", "Welcome.")
    client.post("/logout")
    assert client.get(f"/questions/{question.id}").status_code == 200
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(Notification)
            .where(Notification.user_id == people.expert.id)
        )
        == 1
    )
    # One approved post, and the account's next posts are shown at once.
    assert ask_question(newcomer, title="A second question, shown at once").moderation_state is None


def test_a_held_post_can_be_rejected_as_spam(app, client, login, people, make_user):
    app.config["MODERATION_APPROVE_FIRST_POSTS"] = True
    question = ask_question(make_user(), title=SPAM_TITLE)
    assert question.moderation_state == ModerationState.HELD
    _act(client, login, people.admin, "question", question.id, "spam")
    db.session.refresh(question)
    assert question.moderation_state == ModerationState.SPAM


def test_experts_posts_are_never_held(app, people):
    app.config["MODERATION_APPROVE_FIRST_POSTS"] = True
    question = ask_question(people.expert, title="An expert's own question, never held")
    assert question.moderation_state is None


# --- one's own data -------------------------------------------------------------------


def test_the_personal_data_export_lists_the_flags_one_raised(people, spam):
    moderation.flag(people.asker, spam, FlagReason.OTHER, "Looks like an advert")
    exported = data_export.export(people.asker)
    assert [(flag["question_id"], flag["reason"], flag["note"]) for flag in exported["flags"]] == [
        (spam.id, "other", "Looks like an advert")
    ]
    assert data_export.export(people.other)["flags"] == []


def test_only_admins_act(client, login, people, spam):
    login(people.expert)
    assert client.get("/admin/moderation").status_code == 403
    assert _act(client, login, people.expert, "question", spam.id, "hide").status_code == 403
    with pytest.raises(PermissionDenied):
        moderation.act(people.expert, spam, Action.HIDE, "No.")
