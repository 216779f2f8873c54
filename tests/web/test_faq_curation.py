"""Curating the FAQ: promotion (anonymised, from answers and board answers), review dates,
order, edits with revisions, unpublishing, who may do it, and the audit trail."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from forum import calendar
from forum.extensions import db
from forum.models import (
    AuditAction,
    AuditEntry,
    BoardAnswerStatus,
    FaqEntry,
    Role,
    StanceKind,
    Topic,
    Visibility,
)
from forum.services import answers, board, board_stances, faq
from forum.services.errors import PermissionDenied, RuleViolation
from tests.factories import People, ask_question, published_board_answer
from tests.fixtures.diffs import insertions

SECRET_TITLE = "Can Brianza Medtech's CardioPatch study at Niguarda skip the notice?"
SECRET_ANSWER = (
    "For the CardioPatch study at Niguarda: extra blood draws are a substantial "
    "modification, notify 30 days before (MDR Art. 75)."
)
PUBLIC_QUESTION = "Do extra blood draws in a running investigation need a notice?"
PUBLIC_ANSWER = "Yes: they are a substantial modification; notify 30 days before (MDR Art. 75)."
BOARD_TEXT = (
    "The ethics opinion is part of the Ministry file (D.Lgs. 137/2022 Art. 16, MDR Art. 70)."
)


def topic(slug: str = "pmcf") -> Topic:
    return db.session.scalar(select(Topic).where(Topic.slug == slug))


def secret_answer(people: People):
    question = ask_question(
        people.asker,
        title=SECRET_TITLE,
        visibility=Visibility.CONFIDENTIAL,
        topics=("safety-reporting",),
    )
    return answers.post_answer(question, people.expert, SECRET_ANSWER)


def public_answer(people: People, title: str = "Which pathway applies to our class IIb tool?"):
    question = ask_question(people.asker, title=title)
    return answers.post_answer(question, people.expert, "Notify the Ministry under MDR Art. 70.")


def entry_for(
    people: People, text: str = PUBLIC_QUESTION, slug: str = "pmcf", today: date | None = None
) -> FaqEntry:
    answer = public_answer(people, title=f"Source of: {text}")
    return faq.promote_answer(
        people.admin,
        answer,
        question_text=text,
        answer_text=PUBLIC_ANSWER,
        topic=topic(slug),
        today=today,
    )


def audit_actions(entry: FaqEntry) -> list[str]:
    return list(
        db.session.scalars(
            select(AuditEntry.action)
            .where(AuditEntry.subject_type == "FaqEntry", AuditEntry.subject_id == entry.id)
            .order_by(AuditEntry.id)
        )
    )


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


# --- promotion -------------------------------------------------------------------------


def test_promoting_a_confidential_answer_publishes_the_anonymised_text_only(client, login, people):
    answer = secret_answer(people)
    question_id = answer.question_id
    login(people.admin)
    form = page(client, f"/faq/promote?answer={answer.id}")
    assert "anonymise before publishing" in form
    assert SECRET_TITLE.replace("'", "&#39;") in form  # the form starts from the source text
    response = client.post(
        f"/faq/promote?answer={answer.id}",
        data={
            "question_text": PUBLIC_QUESTION,
            "answer_text": PUBLIC_ANSWER,
            "topic": str(topic().id),
        },
    )
    assert response.status_code == 302 and response.headers["Location"].startswith("/faq/admin")

    for viewer in (None, people.other):
        client.post("/logout")
        if viewer is not None:
            login(viewer)
        public = page(client, "/faq")
        assert PUBLIC_QUESTION in public
        assert "CardioPatch" not in public and "Niguarda" not in public
        assert f"/questions/{question_id}" not in public and "Source discussion" not in public
    for viewer in (people.asker, people.expert, people.admin):
        login(viewer)
        assert f"/questions/{question_id}/" in page(client, "/faq")


def test_promotion_starts_the_history_the_review_clock_and_the_audit_trail(people):
    answer = secret_answer(people)
    today = date(2026, 3, 2)
    entry = faq.promote_answer(
        people.admin,
        answer,
        question_text=f"  {PUBLIC_QUESTION} ",
        answer_text=PUBLIC_ANSWER,
        topic=topic(),
        today=today,
    )
    assert entry.question_text == PUBLIC_QUESTION and entry.published
    assert entry.source_answer_id == answer.id and entry.source_board_answer_id is None
    assert (entry.last_reviewed_on, entry.review_due_on) == (today, today + faq.REVIEW_INTERVAL)
    assert [(rev.number, rev.question_text, rev.editor_id) for rev in entry.revisions] == [
        (1, PUBLIC_QUESTION, people.admin.id)
    ]
    recorded = db.session.scalar(select(AuditEntry).where(AuditEntry.subject_id == entry.id))
    assert recorded.action == AuditAction.FAQ_ENTRY_PROMOTED
    assert recorded.actor_id == people.admin.id and recorded.question_id == answer.question_id


def test_the_promote_form_starts_from_the_question_its_answer_and_first_topic(
    client, login, people
):
    question = ask_question(
        people.asker,
        title="Which insurance covers a first-in-human study?",
        topics=("pmcf", "regulatory-pathway"),
    )
    answer = answers.post_answer(question, people.expert, "Insurance is required by MDR Art. 69.")
    login(people.admin)
    form = page(client, f"/faq/promote?answer={answer.id}")
    assert 'value="Which insurance covers a first-in-human study?"' in form
    assert "Insurance is required by MDR Art. 69." in form
    first = question.topics[0]
    assert f'<option selected value="{first.id}">' in form or f'value="{first.id}" selected' in form
    assert "anonymise before publishing" not in form


def test_promoting_with_empty_texts_shows_the_form_again_with_messages(client, login, people):
    answer = public_answer(people)
    login(people.admin)
    response = client.post(
        f"/faq/promote?answer={answer.id}",
        data={
            "question_text": "  ",
            "answer_text": "",
            "topic": str(topic().id),
        },
    )
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "Write the question as the FAQ will show it." in body
    assert "Write the answer as the FAQ will show it." in body
    response = client.post(
        f"/faq/promote?answer={answer.id}",
        data={
            "question_text": "Kept question text?",
            "answer_text": "",
            "topic": "not-a-topic",
        },
    )
    assert response.status_code == 422
    assert 'value="Kept question text?"' in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(FaqEntry)) == 0


def test_the_service_refuses_empty_and_overlong_texts(people):
    answer = public_answer(people)
    with pytest.raises(RuleViolation) as refused:
        faq.promote_answer(people.admin, answer, question_text=" ", answer_text="A.", topic=topic())
    assert refused.value.field == "question_text"
    with pytest.raises(RuleViolation) as refused:
        faq.promote_answer(
            people.admin, answer, question_text="Q?", answer_text=" \n", topic=topic()
        )
    assert refused.value.field == "answer_text"
    with pytest.raises(RuleViolation):
        faq.promote_answer(
            people.admin, answer, question_text="Q" * 301, answer_text="A.", topic=topic()
        )


@pytest.mark.parametrize(
    "query",
    [
        "answer=999999",
        "board_answer=999999",
        "",
        "answer=abc",
        "answer=0",
        "answer=99999999999999999999999",
        "answer={answer}&board_answer={answer}",
    ],
)
def test_promoting_something_unknown_is_404(client, login, people, query):
    answer = public_answer(people)
    login(people.admin)
    url = "/faq/promote?" + query.format(answer=answer.id)
    assert client.get(url).status_code == 404
    assert (
        client.post(
            url, data={"question_text": "Q?", "answer_text": "A.", "topic": str(topic().id)}
        ).status_code
        == 404
    )


def test_no_one_but_an_admin_promotes_and_no_one_what_they_cannot_see(people):
    answer = secret_answer(people)
    for somebody in (people.other, people.asker, people.expert):
        with pytest.raises(PermissionDenied):
            faq.promote_answer(
                somebody, answer, question_text="Q?", answer_text="A.", topic=topic()
            )
    assert db.session.scalar(select(func.count()).select_from(FaqEntry)) == 0


def test_only_a_published_board_answer_is_promoted(client, login, people):
    question = ask_question(people.asker, title="Must the ethics opinion come first?")
    in_review = board.open_board_answer(question, people.expert, BOARD_TEXT)
    board.submit_for_review(in_review, people.expert)
    with pytest.raises(RuleViolation):
        faq.promote_board_answer(
            people.admin, in_review, question_text="Q?", answer_text="A.", topic=topic()
        )
    login(people.admin)
    assert client.get(f"/faq/promote?board_answer={in_review.id}").status_code == 404

    board_answer = _publish(in_review, people)
    form = page(client, f"/faq/promote?board_answer={board_answer.id}")
    assert "D.Lgs. 137/2022 Art. 16" in form
    response = client.post(
        f"/faq/promote?board_answer={board_answer.id}",
        data={
            "question_text": "Must the ethics opinion come before the Ministry application?",
            "answer_text": BOARD_TEXT,
            "topic": str(topic().id),
        },
    )
    assert response.status_code == 302
    entry = db.session.scalar(select(FaqEntry))
    assert entry.source_board_answer_id == board_answer.id and entry.source_answer_id is None
    assert f"/questions/{question.id}/" in page(client, "/faq") and "#board-answer" in page(
        client, "/faq"
    )

    board.withdraw(board_answer, people.chair, "Superseded by the new decree.")
    assert client.get(f"/faq/promote?board_answer={board_answer.id}").status_code == 404


def _publish(board_answer, people: People):
    for expert in people.board:
        board_stances.record_stance(
            board_answer, expert, StanceKind.ENDORSE, revision_number=board_answer.current_number
        )
    board.publish(board_answer, people.chair)
    assert board_answer.status == BoardAnswerStatus.PUBLISHED
    return board_answer


def test_a_confidential_board_answer_source_is_linked_only_for_those_who_see_it(
    client, login, people
):
    question = ask_question(
        people.asker,
        title="Our confidential ethics timing question",
        visibility=Visibility.CONFIDENTIAL,
    )
    board_answer = published_board_answer(question, people.board, BOARD_TEXT)
    faq.promote_board_answer(
        people.admin,
        board_answer,
        question_text="Ethics opinion first?",
        answer_text=BOARD_TEXT,
        topic=topic(),
    )
    for viewer in (None, people.other):
        client.post("/logout")
        if viewer is not None:
            login(viewer)
        public = page(client, "/faq")
        assert "Ethics opinion first?" in public and f"/questions/{question.id}" not in public
    for viewer in (people.asker, people.expert, people.admin):
        login(viewer)
        assert f"/questions/{question.id}/" in page(client, "/faq")


def test_admins_find_promote_links_beside_answers_and_the_board_answer(client, login, people):
    question = ask_question(people.asker, title="A question with both kinds of answer")
    answer = answers.post_answer(question, people.expert, "Individual answer citing MDR Art. 70.")
    board_answer = published_board_answer(question, people.board, BOARD_TEXT)
    url = f"/questions/{question.id}"
    login(people.admin)
    shown = page(client, url)
    assert f"/faq/promote?answer={answer.id}" in shown
    assert f"/faq/promote?board_answer={board_answer.id}" in shown
    for somebody in (people.expert, people.asker):
        login(somebody)
        assert "/faq/promote" not in page(client, url)


# --- review dates ------------------------------------------------------------------------


def test_entries_due_for_review_and_marking_one_reviewed(client, login, people):
    long_ago = calendar.today() - faq.REVIEW_INTERVAL - timedelta(days=10)
    stale = entry_for(people, "An entry nobody has re-read for a year?", today=long_ago)
    fresh = entry_for(people, "An entry reviewed this week?")
    hidden = entry_for(people, "An unpublished stale entry?", today=long_ago)
    faq.unpublish(hidden, people.admin)
    assert faq.entries_due_for_review() == [stale]
    assert set(faq.entries_due_for_review(calendar.today() + faq.REVIEW_INTERVAL)) == {stale, fresh}

    login(people.admin)
    admin_page = page(client, "/faq/admin")
    due_section = admin_page.split('id="due"')[1].split("</section>")[0]
    assert "An entry nobody has re-read for a year?" in due_section
    assert "An entry reviewed this week?" not in due_section
    assert "1 entry due for review" in admin_page

    assert client.post(f"/faq/entries/{stale.id}/reviewed").status_code == 302
    db.session.refresh(stale)
    assert stale.last_reviewed_on == calendar.today()
    assert stale.review_due_on == calendar.today() + faq.REVIEW_INTERVAL
    assert faq.entries_due_for_review() == []
    assert "No published entry is due for review." in page(client, "/faq/admin")
    assert audit_actions(stale) == [AuditAction.FAQ_ENTRY_PROMOTED, AuditAction.FAQ_ENTRY_REVIEWED]


@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "Etc/GMT+12"])
def test_review_dates_are_the_forums_days_not_the_servers(app, people, zone):
    # Fourteen hours ahead of UTC or twelve behind: at any moment one of the two is not
    # on the server's date, so reading the server's clock fails one of the runs.
    app.config["BABEL_DEFAULT_TIMEZONE"] = zone
    forum_today = datetime.now(ZoneInfo(zone)).date()
    entry = entry_for(people)
    assert entry.last_reviewed_on == forum_today
    assert entry.review_due_on == forum_today + faq.REVIEW_INTERVAL
    faq.mark_reviewed(entry, people.admin, today=date(2020, 1, 1))
    faq.mark_reviewed(entry, people.admin)
    assert entry.last_reviewed_on == forum_today
    entry.review_due_on = forum_today
    db.session.commit()
    assert faq.entries_due_for_review() == [entry]
    entry.review_due_on = forum_today + timedelta(days=1)
    db.session.commit()
    assert faq.entries_due_for_review() == []


def test_mark_reviewed_sets_both_dates_from_the_day_given(people):
    entry = entry_for(people, today=date(2024, 1, 10))
    faq.mark_reviewed(entry, people.admin, today=date(2025, 6, 1))
    assert entry.last_reviewed_on == date(2025, 6, 1)
    assert entry.review_due_on == date(2025, 6, 1) + faq.REVIEW_INTERVAL


# --- order ---------------------------------------------------------------------------------


def _order(slug: str = "pmcf") -> list[str]:
    return [
        entry.question_text
        for group in faq.admin_list()
        if group.topic.slug == slug
        for entry in group.entries
    ]


def test_moving_an_entry_swaps_it_with_its_neighbour_in_its_topic(client, login, people):
    first, second, third = (entry_for(people, f"Entry {n}?") for n in ("one", "two", "three"))
    other_topic = entry_for(people, "Entry elsewhere?", slug="regulatory-pathway")
    login(people.admin)
    assert client.post(f"/faq/entries/{third.id}/move", data={"direction": "up"}).status_code == 302
    assert _order() == ["Entry one?", "Entry three?", "Entry two?"]
    faq.move(first, people.admin, "down")
    assert _order() == ["Entry three?", "Entry one?", "Entry two?"]
    assert _order("regulatory-pathway") == ["Entry elsewhere?"]

    public = page(client, "/faq")
    assert public.index("Entry three?") < public.index("Entry one?") < public.index("Entry two?")
    with pytest.raises(RuleViolation):
        faq.move(other_topic, people.admin, "up")
    response = client.post(
        f"/faq/entries/{second.id}/move", data={"direction": "down"}, follow_redirects=True
    )
    assert "already the last of its topic" in response.get_data(as_text=True)
    assert (
        client.post(f"/faq/entries/{second.id}/move", data={"direction": "sideways"}).status_code
        == 400
    )
    assert audit_actions(third) == [AuditAction.FAQ_ENTRY_PROMOTED, AuditAction.FAQ_ENTRY_MOVED]
    assert audit_actions(first)[-1] == AuditAction.FAQ_ENTRY_MOVED


def test_moving_renumbers_tied_positions_first(people):
    entries = [entry_for(people, f"Tied {n}?") for n in (1, 2, 3)]
    for entry in entries:
        entry.position = 0  # as rows written before positions were kept
    db.session.commit()
    faq.move(entries[2], people.admin, "up")
    assert _order() == ["Tied 1?", "Tied 3?", "Tied 2?"]


# --- editing and history --------------------------------------------------------------------


def test_editing_keeps_every_revision_with_its_diff(client, login, people):
    entry = entry_for(people)
    login(people.admin)
    form = page(client, f"/faq/entries/{entry.id}/edit")
    assert PUBLIC_QUESTION in form and "What did you change?" in form
    amended = PUBLIC_ANSWER + "\n\nThe ethics committee must be told as well."
    response = client.post(
        f"/faq/entries/{entry.id}/edit",
        data={
            "question_text": PUBLIC_QUESTION,
            "answer_text": amended,
            "topic": str(topic().id),
            "note": "Added the ethics committee",
        },
    )
    assert response.status_code == 302
    db.session.refresh(entry)
    assert entry.answer_text == amended
    assert [rev.number for rev in entry.revisions] == [1, 2]
    assert entry.revisions[1].note == "Added the ethics committee"
    history = page(client, f"/faq/entries/{entry.id}/history")
    assert "Revision 2" in history and "Revision 1" in history
    # Newest first: revision 2's one added paragraph, then revision 1's text as promoted.
    assert insertions(history)[0] == "The ethics committee must be told as well."
    assert "@@" not in history
    assert "Added the ethics committee" in history
    assert "The ethics committee must be told as well." in page(client, "/faq")
    assert audit_actions(entry) == [AuditAction.FAQ_ENTRY_PROMOTED, AuditAction.FAQ_ENTRY_EDITED]


def test_an_edit_that_changes_nothing_records_nothing(people):
    entry = entry_for(people)
    faq.edit_entry(entry, people.admin, PUBLIC_QUESTION, PUBLIC_ANSWER, topic(), note="nothing")
    assert len(entry.revisions) == 1
    assert audit_actions(entry) == [AuditAction.FAQ_ENTRY_PROMOTED]


def test_changing_the_topic_puts_the_entry_last_there_without_a_new_revision(people):
    entry_for(people, "Already in the pathway topic?", slug="regulatory-pathway")
    entry = entry_for(people, "Moving topic?")
    faq.edit_entry(entry, people.admin, "Moving topic?", PUBLIC_ANSWER, topic("regulatory-pathway"))
    assert _order("regulatory-pathway") == ["Already in the pathway topic?", "Moving topic?"]
    assert _order("pmcf") == []
    assert len(entry.revisions) == 1
    assert audit_actions(entry)[-1] == AuditAction.FAQ_ENTRY_EDITED


def test_editing_with_an_empty_answer_shows_the_form_again(client, login, people):
    entry = entry_for(people)
    login(people.admin)
    response = client.post(
        f"/faq/entries/{entry.id}/edit",
        data={
            "question_text": "Changed question?",
            "answer_text": "  ",
            "topic": str(topic().id),
        },
    )
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert (
        "Write the answer as the FAQ will show it." in body and 'value="Changed question?"' in body
    )
    db.session.refresh(entry)
    assert entry.question_text == PUBLIC_QUESTION


# --- unpublishing ------------------------------------------------------------------------------


def test_an_unpublished_entry_leaves_the_faq_and_can_come_back(client, login, people):
    entry = entry_for(people)
    login(people.admin)
    assert client.post(f"/faq/entries/{entry.id}/unpublish").status_code == 302
    assert PUBLIC_QUESTION not in page(client, "/faq")
    admin_page = page(client, "/faq/admin")
    assert PUBLIC_QUESTION in admin_page and "Unpublished" in admin_page
    with pytest.raises(RuleViolation):
        faq.unpublish(entry, people.admin)
    assert client.post(f"/faq/entries/{entry.id}/republish").status_code == 302
    assert PUBLIC_QUESTION in page(client, "/faq")
    assert audit_actions(entry) == [
        AuditAction.FAQ_ENTRY_PROMOTED,
        AuditAction.FAQ_ENTRY_UNPUBLISHED,
        AuditAction.FAQ_ENTRY_REPUBLISHED,
    ]


def test_the_faq_groups_entries_by_topic_with_anchors(client, people):
    first = entry_for(people, "A PMCF question?")
    second = entry_for(people, "A pathway question?", slug="regulatory-pathway")
    public = page(client, "/faq")
    assert 'href="#pmcf"' in public and 'id="pmcf"' in public
    assert 'href="#regulatory-pathway"' in public
    assert f'id="faq-{first.id}"' in public and f'id="faq-{second.id}"' in public


# --- who may curate ------------------------------------------------------------------------------

CURATION_PAGES = (
    "/faq/admin",
    "/faq/entries/{entry}/edit",
    "/faq/entries/{entry}/history",
    "/faq/promote?answer={answer}",
    "/faq/promote?board_answer={board_answer}",
)
CURATION_POSTS = (
    "/faq/entries/{entry}/edit",
    "/faq/entries/{entry}/reviewed",
    "/faq/entries/{entry}/move",
    "/faq/entries/{entry}/unpublish",
    "/faq/entries/{entry}/republish",
    "/faq/promote?answer={answer}",
    "/faq/promote?board_answer={board_answer}",
)


@pytest.fixture
def curation_ids(people) -> dict:
    entry = entry_for(people)
    question = ask_question(people.asker, title="A question with a published board answer")
    board_answer = published_board_answer(question, people.board, BOARD_TEXT)
    return {"entry": entry.id, "answer": entry.source_answer_id, "board_answer": board_answer.id}


@pytest.mark.parametrize("role", [Role.MEMBER, Role.EXPERT])
def test_members_and_experts_are_refused_every_curation_page_and_action(
    client, login, make_user, curation_ids, role
):
    login(make_user(role))
    for url in CURATION_PAGES:
        assert client.get(url.format(**curation_ids)).status_code == 403, url
    for url in CURATION_POSTS:
        response = client.post(
            url.format(**curation_ids),
            data={
                "direction": "up",
                "question_text": "Hijacked?",
                "answer_text": "Hijacked.",
                "topic": str(topic().id),
            },
        )
        assert response.status_code == 403, url
    assert db.session.scalar(select(func.count()).select_from(FaqEntry)) == 1
    assert db.session.scalar(select(FaqEntry.question_text)) == PUBLIC_QUESTION


def test_visitors_are_sent_to_log_in(client, curation_ids):
    for url in CURATION_PAGES:
        response = client.get(url.format(**curation_ids))
        assert response.status_code == 302 and response.headers["Location"].startswith(
            "/login?next="
        )
    for url in CURATION_POSTS:
        response = client.post(url.format(**curation_ids), data={"direction": "up"})
        assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_the_services_refuse_non_admins(people):
    entry = entry_for(people)
    for action in (
        lambda who: faq.edit_entry(entry, who, "Q?", "A.", topic()),
        lambda who: faq.mark_reviewed(entry, who),
        lambda who: faq.move(entry, who, "up"),
        lambda who: faq.unpublish(entry, who),
    ):
        for somebody in (people.expert, people.asker):
            with pytest.raises(PermissionDenied):
                action(somebody)
    assert audit_actions(entry) == [AuditAction.FAQ_ENTRY_PROMOTED]


def test_admin_actions_need_the_csrf_token_and_an_existing_entry(client, login, people):
    entry = entry_for(people)
    login(people.admin)
    assert client.post(f"/faq/entries/{entry.id}/unpublish", csrf=False).status_code == 400
    assert (
        client.post(
            f"/faq/entries/{entry.id}/move", data={"direction": "up"}, csrf=False
        ).status_code
        == 400
    )
    for url in (
        "/faq/entries/999999/edit",
        "/faq/entries/999999/history",
        "/faq/entries/99999999999999999999/edit",
    ):
        assert client.get(url).status_code == 404
    assert client.post("/faq/entries/999999/reviewed").status_code == 404
    db.session.refresh(entry)
    assert entry.published


def test_the_admin_navigation_links_the_faq_curation(client, login, people):
    login(people.admin)
    assert 'href="/faq/admin"' in page(client, "/admin/audit")
    audit_page = page(client, "/admin/audit?action=faq-entry-moved")
    assert "Not a valid choice" not in audit_page


def test_curation_actions_appear_in_the_audit_log(client, login, people):
    entry = entry_for(people)
    faq.mark_reviewed(entry, people.admin)
    login(people.admin)
    log = page(client, "/admin/audit")
    assert "Answer promoted to the FAQ" in log and "FAQ entry marked reviewed" in log


# --- queries ----------------------------------------------------------------------------------


def _fill(people: People, count: int, prefix: str) -> None:
    slugs = ("pmcf", "regulatory-pathway")
    for number in range(count):
        entry = entry_for(people, f"{prefix} {number}?", slug=slugs[number % 2])
        if number % 3 == 0:
            faq.mark_reviewed(entry, people.admin, today=date.today() - faq.REVIEW_INTERVAL * 2)
    question = ask_question(
        people.asker,
        title=f"{prefix}: a board answer for the FAQ",
        visibility=Visibility.CONFIDENTIAL,
    )
    board_answer = published_board_answer(question, people.board, BOARD_TEXT)
    faq.promote_board_answer(
        people.admin,
        board_answer,
        question_text=f"{prefix} board?",
        answer_text=BOARD_TEXT,
        topic=topic(),
    )


@pytest.mark.parametrize("url", ["/faq", "/faq/admin"])
def test_the_faq_pages_run_a_fixed_number_of_queries(client, login, people, count_queries, url):
    login(people.admin)
    counts = []
    for prefix, count in (("Few", 2), ("Many", 9)):
        _fill(people, count, prefix)
        with count_queries() as statements:
            assert client.get(url).status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1]
