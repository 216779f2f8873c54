"""The guide as the centre's document: law-aware review, signed releases, experts' proposals."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from flask_migrate import downgrade, upgrade
from pypdf import PdfReader
from sqlalchemy import select, text

from forum import calendar
from forum.extensions import db
from forum.models import (
    AuditAction,
    AuditEntry,
    ExpertArea,
    GuideRelease,
    GuideRevision,
    GuideSection,
    LawChangeFlag,
    Notification,
    NotificationKind,
    OutboxMessage,
    ProposalStatus,
    ReleaseKind,
    Role,
    StanceKind,
    Visibility,
)
from forum.services import answers, faq, law_changes
from forum.services.accounts import data_export, deletion
from forum.services.citations import clause_slug
from forum.services.errors import PermissionDenied, RuleViolation
from forum.services.guide import editing, importing, proposals, publishing
from tests.factories import ask_question
from tests.fixtures.diffs import insertions
from tests.fixtures.people import PASSWORD

GUIDE = """# The requirements guide

How to run a clinical investigation of a medical device in Italy.

## Choosing the pathway

Most questions on clinical investigations are answered in MDCG 2021-6.

## Safety reporting

Report serious adverse events under MDR Art. 80.
"""
MDCG = clause_slug("MDCG 2021-6")
CHANGED_ON = date(2026, 11, 20)


@pytest.fixture
def cited(people):
    """A guide section, an FAQ entry, a public answer and a confidential answer citing
    MDCG 2021-6 (and a section citing something else)."""
    importing.import_guide(GUIDE, None)
    public = ask_question(people.asker, title="Which guidance covers our investigation?")
    public_answer = answers.post_answer(
        public, people.expert, "Start from MDCG 2021-6, question 3."
    )
    secret = ask_question(
        people.asker,
        title="Unreleased implant: which guidance applies?",
        visibility=Visibility.CONFIDENTIAL,
    )
    secret_answer = answers.post_answer(secret, people.expert, "For the implant, MDCG 2021-6 too.")
    entry = faq.promote_answer(
        people.admin,
        public_answer,
        question_text="Which guidance?",
        answer_text="MDCG 2021-6 answers most questions.",
        topic=public.topics[0],
    )
    return {
        "public": public,
        "public_answer": public_answer,
        "secret": secret,
        "secret_answer": secret_answer,
        "entry": entry,
    }


def _section(title: str) -> GuideSection:
    return db.session.scalar(select(GuideSection).where(GuideSection.title == title))


def _record(admin):
    return law_changes.record_change(admin, MDCG, "MDCG 2021-6 Rev.2 published", CHANGED_ON)


NOTICE = "The law this text cites changed on Nov 20, 2026: MDCG 2021-6 Rev.2 published"


# --- law-aware review ------------------------------------------------------------------------------


def test_a_change_of_the_law_flags_every_text_citing_it(people, cited):
    change, flagged = _record(people.admin)
    assert flagged == 4 and change.clause == "MDCG 2021-6"
    subjects = {
        (flag.subject_type, flag.subject_id) for flag in db.session.scalars(select(LawChangeFlag))
    }
    assert subjects == {
        ("guide-section", _section("Choosing the pathway").id),
        ("faq-entry", cited["entry"].id),
        ("answer", cited["public_answer"].id),
        ("answer", cited["secret_answer"].id),
    }
    entry = db.session.scalar(
        select(AuditEntry).where(AuditEntry.action == AuditAction.LAW_CHANGE_RECORDED.value)
    )
    assert entry.actor_id == people.admin.id and "4 texts flagged" in entry.detail


def test_readers_see_a_dated_notice_on_each_citing_text_until_it_is_reviewed(client, people, cited):
    _record(people.admin)
    guide_page = client.get("/guide").get_data(as_text=True)
    assert guide_page.count(NOTICE) == 1  # the pathway section, not the safety one
    assert guide_page.index(NOTICE) > guide_page.index('id="choosing-the-pathway"')
    assert NOTICE in client.get("/faq").get_data(as_text=True)
    question_page = client.get(f"/questions/{cited['public'].id}").get_data(as_text=True)
    assert NOTICE in question_page
    for flag in db.session.scalars(select(LawChangeFlag)).all():
        law_changes.mark_reviewed(flag, people.admin)
    assert NOTICE not in client.get("/guide").get_data(as_text=True)
    assert NOTICE not in client.get("/faq").get_data(as_text=True)
    assert NOTICE not in client.get(f"/questions/{cited['public'].id}").get_data(as_text=True)
    reviewed = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == AuditAction.LAW_CHANGE_REVIEWED.value)
    ).all()
    assert len(reviewed) == 4 and {entry.actor_id for entry in reviewed} == {people.admin.id}


def test_the_due_list_gives_the_reason_and_keeps_confidential_answers_to_those_who_may_open_them(
    client, login, people, cited
):
    _record(people.admin)
    login(people.expert)
    page = client.get("/law-changes").get_data(as_text=True)
    assert "4 texts due for review" in page
    assert "Why: MDCG 2021-6 changed on Nov 20, 2026: MDCG 2021-6 Rev.2 published" in page
    assert "Choosing the pathway" in page and "Which guidance?" in page
    assert cited["secret"].title in page  # experts open every confidential question
    assert "Mark reviewed" not in page  # only admins mark texts reviewed
    login(people.asker)  # the author of the confidential question is a member: no list
    assert client.get("/law-changes").status_code == 403
    assert law_changes.due_for_review(people.asker) == []
    assert law_changes.open_count(people.other) == 0
    # The notice on the confidential answer is on a page only its readers open.
    login(people.other)
    assert client.get(f"/questions/{cited['secret'].id}").status_code == 404


def test_an_admin_records_a_change_and_marks_a_text_reviewed_from_the_page(
    client, login, people, cited
):
    login(people.admin)
    page = client.get("/law-changes").get_data(as_text=True)
    assert f'value="{MDCG}"' in page  # the cited clauses are offered
    response = client.post(
        "/law-changes",
        data={
            "clause": MDCG,
            "description": "MDCG 2021-6 Rev.2 published",
            "changed_on": CHANGED_ON.isoformat(),
        },
    )
    assert response.status_code == 302
    assert "4 texts citing MDCG 2021-6 are due for review" in client.get("/law-changes").get_data(
        as_text=True
    )
    flag = db.session.scalar(select(LawChangeFlag).where(LawChangeFlag.subject_type == "faq-entry"))
    assert client.post(f"/law-changes/flags/{flag.id}/reviewed").status_code == 302
    assert "3 texts due for review" in client.get("/law-changes").get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(LawChangeFlag, flag.id).reviewed_by_id == people.admin.id


def test_recording_a_change_refuses_bad_input_and_keeps_what_was_typed(
    client, login, people, cited
):
    with pytest.raises(PermissionDenied):
        law_changes.record_change(people.expert, MDCG, "Rev.2", CHANGED_ON)
    with pytest.raises(RuleViolation) as nothing_cites:
        law_changes.record_change(people.admin, "mdr-art-999", "Amended", CHANGED_ON)
    assert nothing_cites.value.field == "clause"
    with pytest.raises(RuleViolation) as future:
        law_changes.record_change(people.admin, MDCG, "Rev.3", calendar.today() + timedelta(days=2))
    assert future.value.field == "changed_on"
    login(people.admin)
    response = client.post(
        "/law-changes", data={"clause": MDCG, "description": "   ", "changed_on": "not a date"}
    )
    assert response.status_code == 422
    assert db.session.scalar(select(LawChangeFlag.id)) is None


def test_the_due_list_runs_a_fixed_number_of_queries(client, login, people, cited, count_queries):
    login(people.expert)
    _record(people.admin)
    with count_queries() as few:
        assert client.get("/law-changes").status_code == 200
    for number in range(5):
        question = ask_question(people.asker, title=f"Another question on guidance {number}")
        answers.post_answer(question, people.expert, "MDCG 2021-6 again.")
    _record(people.admin)
    with count_queries() as many:
        assert client.get("/law-changes").status_code == 200
    assert len(few) == len(many)


# --- releases the centre can sign -------------------------------------------------------------------


def _draft(people, kind=ReleaseKind.FIRST_VERSION):
    importing.import_guide(GUIDE, None)
    return publishing.release("1.0", "First version for the board", people.admin, kind=kind)


def test_an_admins_release_is_a_draft_only_the_board_and_admins_see(client, login, people):
    draft = _draft(people)
    assert draft.status == "draft" and not draft.is_published
    for url in (
        "/guide/releases/1.0",
        "/guide/releases/1.0.md",
        "/guide/releases/1.0.pdf",
        "/api/v1/guide/releases/1.0",
    ):
        assert client.get(url).status_code == 404, url
    assert "/guide/releases/1.0" not in client.get("/guide/releases").get_data(as_text=True)
    assert client.get("/api/v1/guide/releases").get_json()["items"] == []
    login(people.expert)
    page = client.get("/guide/releases/1.0").get_data(as_text=True)
    assert "awaits approval" in page and "Record my stance" in page
    assert "Approve and publish, as chair" not in page


def test_a_chair_approves_a_release_and_readers_see_who_and_when(client, login, people):
    _draft(people)
    login(people.chair)
    assert "Approve and publish, as chair" in client.get("/guide/releases/1.0").get_data(
        as_text=True
    )
    assert client.post("/guide/releases/1.0/approve").status_code == 302
    client.post("/logout")
    page = client.get("/guide/releases/1.0")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "First version" in text
    assert "Approved by Marco Chair, chair of the board, on" in text
    listing = client.get("/guide/releases").get_data(as_text=True)
    assert "by Marco Chair, chair" in listing and 'href="/guide/releases/1.0.pdf"' in listing
    approved = db.session.scalar(
        select(AuditEntry).where(AuditEntry.action == AuditAction.GUIDE_RELEASE_APPROVED.value)
    )
    assert approved.actor_id == people.chair.id


def test_the_board_approves_a_release_by_the_quorum_of_board_answers(people, make_user):
    draft = _draft(people, ReleaseKind.FINAL_VERSION)
    second_researcher = make_user(Role.EXPERT, ExpertArea.RESEARCH, name="Rita Research")
    publishing.record_stance(draft, people.expert, StanceKind.ENDORSE)
    state = publishing.record_stance(draft, second_researcher, StanceKind.ENDORSE)
    assert not state.is_met and not draft.is_published  # two endorsements, one area
    state = publishing.record_stance(
        draft, people.clinical, StanceKind.DISSENT, reason="The safety section is out of date."
    )
    assert not state.is_met  # a dissent stands
    state = publishing.record_stance(draft, people.clinical, StanceKind.ENDORSE)
    assert state.is_met and draft.is_published and draft.status == "final-version"
    assert draft.approval.value == "board" and draft.approved_by is None
    with pytest.raises(RuleViolation):
        publishing.approve_as_chair(draft, people.chair)  # already published
    with pytest.raises(RuleViolation):
        publishing.record_stance(_draft_again(people), people.expert, StanceKind.DISSENT)


def _draft_again(people):
    editing.add_section(None, None, people.admin, title="Contacts", body="Write to the centre.")
    return publishing.release("1.1", "Contacts", people.admin)


def test_only_a_chair_approves_alone_and_only_experts_take_stances(people):
    draft = _draft(people)
    for user in (people.expert, people.admin, people.asker):
        with pytest.raises(PermissionDenied):
            publishing.approve_as_chair(draft, user)
    for user in (people.admin, people.asker):
        with pytest.raises(PermissionDenied):
            publishing.record_stance(draft, user, StanceKind.ENDORSE)


def test_the_pdf_carries_the_version_status_date_and_approval_on_page_one(client, people):
    publishing.approve_as_chair(_draft(people), people.chair)
    response = client.get("/guide/releases/1.0.pdf")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    assert 'filename="requirements-guide-1.0.pdf"' in response.headers["Content-Disposition"]
    assert response.data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(response.data))
    first = " ".join(reader.pages[0].extract_text().split())
    assert "The requirements guide" in first
    assert "Version 1.0" in first and "First version" in first
    assert "Approved by Marco Chair, chair of the board, on" in first
    everything = " ".join(page.extract_text() for page in reader.pages)
    assert "Report serious adverse events" in " ".join(everything.split())


def test_the_markdown_download_is_a_file_to_save(client, people):
    publishing.approve_as_chair(_draft(people), people.chair)
    response = client.get("/guide/releases/1.0.md")
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.data == GUIDE.encode("utf-8")


def test_a_release_lists_who_wrote_its_revisions_and_the_answers_they_came_from(people, cited):
    editing.propose_from_answer(
        people.admin,
        cited["public_answer"],
        section=_section("Choosing the pathway"),
        body="Start from MDCG 2021-6, question 3.",
    )
    proposal = proposals.propose(
        people.clinical,
        _section("Safety reporting"),
        title="Safety reporting",
        body="Report serious adverse events under MDR Art. 80 within the deadlines of Art. 80(2).",
    )
    proposals.accept(proposal, people.admin)
    draft = publishing.release("1.0", "First", people.admin)
    named = publishing.contributors_of(draft)
    assert named.revisions == ["Giulia Admin", "Paolo Clinical"]
    assert named.answers == ["Elena Research"]


def test_a_contributor_who_deletes_their_account_is_shown_anonymised(people):
    importing.import_guide(GUIDE, None)
    section = _section("Safety reporting")
    proposal = proposals.propose(
        people.clinical, section, title=section.title, body="Report serious adverse events at once."
    )
    proposals.accept(proposal, people.admin)
    draft = publishing.release("1.0", "First", people.admin)
    exported = data_export.export(people.clinical)["guide_proposals"]
    assert [item["status"] for item in exported] == ["accepted"]
    deletion.delete_account(people.clinical, PASSWORD)
    assert publishing.contributors_of(draft).revisions == ["Former member"]


def test_the_command_line_publishes_at_once_and_says_so(client, people):
    importing.import_guide(GUIDE, None)
    frozen = publishing.release("1.0", "First", None)
    assert frozen.is_published and frozen.kind == ReleaseKind.FIRST_VERSION
    page = client.get("/guide/releases/1.0").get_data(as_text=True)
    assert "from the command line of the server" in page


def test_a_release_page_runs_a_fixed_number_of_queries(
    client, login, people, make_user, count_queries
):
    draft = _draft(people)
    login(people.chair)
    publishing.record_stance(draft, people.expert, StanceKind.ENDORSE)
    with count_queries() as few:
        assert client.get("/guide/releases/1.0").status_code == 200
    for _ in range(3):
        publishing.record_stance(
            draft, make_user(Role.EXPERT, ExpertArea.RESEARCH), StanceKind.ABSTAIN
        )
    with count_queries() as many:
        assert client.get("/guide/releases/1.0").status_code == 200
    assert len(few) == len(many)


# --- experts propose guide text ------------------------------------------------------------------


def test_an_expert_proposes_and_an_admin_accepts_it_as_a_revision_crediting_the_expert(
    client, login, people
):
    importing.import_guide(GUIDE, None)
    section = _section("Safety reporting")
    login(people.expert)
    form = client.get(f"/guide/sections/{section.id}/propose")
    assert form.status_code == 200 and "Report serious adverse events" in form.get_data(
        as_text=True
    )
    response = client.post(
        f"/guide/sections/{section.id}/propose",
        data={
            "title": "Safety reporting",
            "body": "Report serious adverse events within 7 days.",
            "note": "The deadline was missing.",
        },
    )
    assert response.status_code == 302
    proposal = db.session.scalar(select(proposals.GuideProposal))
    assert proposal.status == ProposalStatus.OPEN and proposal.proposer_id == people.expert.id
    login(people.admin)
    page = client.get(f"/guide/proposals/{proposal.id}").get_data(as_text=True)
    assert insertions(page) == ["within 7 days."] and "@@" not in page
    assert (
        client.post(
            f"/guide/proposals/{proposal.id}/accept", data={"note": "Thank you."}
        ).status_code
        == 302
    )
    db.session.expire_all()
    revision = db.session.scalar(
        select(GuideRevision).where(
            GuideRevision.section_id == section.id, GuideRevision.number == 2
        )
    )
    assert revision.proposer_id == people.expert.id and revision.editor_id == people.admin.id
    assert revision.note == "The deadline was missing."
    assert _section("Safety reporting").body == "Report serious adverse events within 7 days."
    history = client.get(f"/guide/sections/{section.id}/history").get_data(as_text=True)
    assert "proposed by Elena Research, accepted by Giulia Admin" in history
    # The expert hears of it in the app and by e-mail.
    note = db.session.scalar(select(Notification).where(Notification.user_id == people.expert.id))
    assert note.kind == NotificationKind.GUIDE_PROPOSAL_ACCEPTED
    mail = db.session.scalar(
        select(OutboxMessage).where(OutboxMessage.recipient == people.expert.email)
    )
    assert "Giulia Admin accepted your proposal for the guide." in mail.subject
    assert "Thank you." in mail.body and f"/guide/proposals/{proposal.id}" in mail.body
    login(people.expert)
    notifications = client.get("/notifications").get_data(as_text=True)
    assert "Giulia Admin accepted your proposal for the guide" in notifications
    assert "“Safety reporting”" in notifications


def test_a_declined_proposal_needs_a_note_and_tells_the_expert(client, login, people):
    importing.import_guide(GUIDE, None)
    proposal = proposals.propose(
        people.expert,
        _section("Safety reporting"),
        title="Safety reporting",
        body="Report nothing.",
    )
    login(people.admin)
    refused = client.post(f"/guide/proposals/{proposal.id}/decline", data={"note": ""})
    assert refused.status_code == 422 and "Say why" in refused.get_data(as_text=True)
    assert (
        client.post(
            f"/guide/proposals/{proposal.id}/decline", data={"note": "Events must be reported."}
        ).status_code
        == 302
    )
    db.session.expire_all()
    assert proposal.status == ProposalStatus.DECLINED
    assert _section("Safety reporting").current_number == 1
    note = db.session.scalar(select(Notification).where(Notification.user_id == people.expert.id))
    assert note.kind == NotificationKind.GUIDE_PROPOSAL_DECLINED
    with pytest.raises(RuleViolation):
        proposals.accept(proposal, people.admin)  # decided already


def test_a_proposal_drawn_from_an_answer_links_back_to_it(client, login, people, cited):
    section = _section("Choosing the pathway")
    answer = cited["public_answer"]
    login(people.clinical)
    question_page = client.get(f"/questions/{cited['public'].id}").get_data(as_text=True)
    assert f'href="/guide/proposals/from-answer?answer={answer.id}"' in question_page
    choose = client.get(f"/guide/proposals/from-answer?answer={answer.id}").get_data(as_text=True)
    assert f'href="/guide/sections/{section.id}/propose?answer={answer.id}"' in choose
    form = client.get(f"/guide/sections/{section.id}/propose?answer={answer.id}")
    assert "Start from MDCG 2021-6, question 3." in form.get_data(as_text=True)
    client.post(
        f"/guide/sections/{section.id}/propose?answer={answer.id}",
        data={"title": "Choosing the pathway", "body": "Start from MDCG 2021-6, question 3."},
    )
    proposal = db.session.scalar(select(proposals.GuideProposal))
    assert proposal.source_answer_id == answer.id
    revision = proposals.accept(proposal, people.admin)
    assert revision.source_answer_id == answer.id and revision.proposer_id == people.clinical.id


def test_only_experts_propose_and_an_unchanged_text_is_refused(people):
    importing.import_guide(GUIDE, None)
    section = _section("Safety reporting")
    for user in (people.admin, people.asker):
        with pytest.raises(PermissionDenied):
            proposals.propose(user, section, title=section.title, body="Other text.")
    with pytest.raises(RuleViolation):
        proposals.propose(people.expert, section, title=section.title, body=section.body)
    with pytest.raises(RuleViolation):
        proposals.propose(
            people.expert,
            section,
            title=section.title,
            body="## A heading\n\nNot allowed in a body.",
        )


def test_the_proposals_list_runs_a_fixed_number_of_queries(
    client, login, people, make_user, count_queries
):
    importing.import_guide(GUIDE, None)
    section = _section("Safety reporting")
    proposals.propose(people.expert, section, title=section.title, body="One.")
    login(people.admin)
    with count_queries() as few:
        assert client.get("/guide/proposals").status_code == 200
    for number in range(4):
        proposals.propose(
            make_user(Role.EXPERT), section, title=section.title, body=f"Text {number}."
        )
    with count_queries() as many:
        assert client.get("/guide/proposals").status_code == 200
    assert len(few) == len(many)


# --- the migration -------------------------------------------------------------------------------

BEFORE_THESE_FEATURES = "e6b4e00d1aaa"


def test_the_migration_keeps_earlier_releases_public_and_its_downgrade_restores_the_kinds(
    app, make_user
):
    user_id = make_user().id
    db.session.remove()  # no transaction may hold a lock the downgrade's DDL waits for
    downgrade(revision=BEFORE_THESE_FEATURES)
    try:
        db.session.execute(
            text(
                "INSERT INTO guide_release (version, notes, markdown, released_at) "
                "VALUES ('1.0', 'First', '# A guide\n', :when)"
            ),
            {"when": "2026-03-01 10:00:00"},
        )
        db.session.commit()
        db.session.remove()
        upgrade()
        earlier = db.session.scalar(select(GuideRelease))
        assert earlier.is_published and earlier.published_at == earlier.released_at
        assert earlier.approval.value == "command-line" and earlier.contributors == []
        # The notification kinds the new CHECK constraint allows (and the old one refused).
        importing.import_guide(GUIDE, None)
        db.session.add(Notification(user_id=user_id, kind=NotificationKind.GUIDE_PROPOSAL_DECLINED))
        db.session.commit()
        db.session.remove()
        downgrade(revision=BEFORE_THESE_FEATURES)
        assert db.session.execute(text("SELECT COUNT(*) FROM notification")).scalar() == 0
        db.session.remove()
    finally:
        db.session.remove()
        upgrade()
