"""Expert profiles: bio, followed topics, and the dated declaration of interests."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from html import unescape

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import select, text

from forum.extensions import db
from forum.models import (
    Answer,
    AuditAction,
    AuditEntry,
    BoardRevision,
    DeclarationOfInterest,
    ExpertArea,
    ExpertProfile,
    Role,
    Stance,
    Visibility,
)
from forum.services import answers, experts
from forum.services.accounts import api_tokens
from forum.services.errors import PermissionDenied, RuleViolation
from tests.factories import ask_question, published_board_answer, topic_id

PREVIOUS_REVISION = "ffa675c48d2a"  # the migration before declaration versions
ANSWER = "Under MDR Art. 62 a clinical investigation needs the Ministry's authorisation."


def _profile_form(**overrides) -> dict:
    form = {
        "bio": "Regulatory scientist, formerly at a notified body.",
        "conflicts": "None declared.",
        "topics": [str(topic_id("regulatory-pathway")), str(topic_id("pmcf"))],
    }
    form.update(overrides)
    return form


def test_an_expert_saves_bio_declaration_and_topics(client, make_user, login):
    expert = make_user(Role.EXPERT, area=ExpertArea.REGULATORY)
    login(expert)
    page = client.get("/profile/expert").get_data(as_text=True)
    assert "Declaration of interests" in page and 'type="checkbox"' in page
    response = client.post("/profile/expert", data=_profile_form())
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/experts/{expert.id}")
    profile = db.session.get(ExpertProfile, expert.id)
    assert profile.bio == "Regulatory scientist, formerly at a notified body."
    assert profile.conflicts == "None declared."
    assert profile.conflicts_declared_at is not None
    assert experts.followed_topic_ids(expert) == {topic_id("regulatory-pathway"), topic_id("pmcf")}
    # The form shows what was saved.
    page = client.get("/profile/expert").get_data(as_text=True)
    checked = set(
        re.findall(
            r'<input checked id="topics-\d+" name="topics" type="checkbox" '
            r'value="(\d+)"',
            page,
        )
    )
    assert checked == {str(topic_id("regulatory-pathway")), str(topic_id("pmcf"))}


def test_the_declaration_is_dated_again_only_when_its_text_changes(make_user):
    expert = make_user(Role.EXPERT)
    experts.update_profile(expert, "Bio", "Consultant to one device maker.", [])
    profile = db.session.get(ExpertProfile, expert.id)
    first = profile.conflicts_declared_at
    assert first is not None
    # Pretend it was declared long ago, then save without changing the declaration.
    profile.conflicts_declared_at = first - timedelta(days=90)
    db.session.commit()
    earlier = profile.conflicts_declared_at
    experts.update_profile(
        expert, "A longer bio", "Consultant to one device maker.", [topic_id("pmcf")]
    )
    assert db.session.get(ExpertProfile, expert.id).conflicts_declared_at == earlier
    experts.update_profile(
        expert, "A longer bio", "Consultant to two device makers.", [topic_id("pmcf")]
    )
    assert db.session.get(ExpertProfile, expert.id).conflicts_declared_at > earlier


def test_profile_changes_are_audited_saying_whether_the_declaration_changed(make_user):
    expert = make_user(Role.EXPERT)
    experts.update_profile(expert, "Bio", "None declared.", [])
    experts.update_profile(expert, "Another bio", "None declared.", [])
    entries = list(
        db.session.scalars(
            select(AuditEntry)
            .where(AuditEntry.action == AuditAction.EXPERT_PROFILE_UPDATED.value)
            .order_by(AuditEntry.id)
        )
    )
    assert [entry.actor_id for entry in entries] == [expert.id, expert.id]
    assert all(entry.subject_type == "User" and entry.subject_id == expert.id for entry in entries)
    assert entries[0].detail.startswith("Declaration of interests changed")
    assert entries[1].detail.startswith("Declaration of interests unchanged")
    assert entries[1].created_at is not None


def test_saving_an_unchanged_profile_records_nothing(make_user):
    expert = make_user(Role.EXPERT)
    experts.update_profile(expert, "Bio", "None declared.", [topic_id("pmcf")])
    experts.update_profile(expert, "Bio", "None declared.", [topic_id("pmcf")])
    assert len(db.session.scalars(select(AuditEntry)).all()) == 1


def test_members_and_admins_have_no_expert_profile(client, make_user, login):
    member = make_user()
    login(member)
    assert client.get("/profile/expert").status_code == 403
    assert client.post("/profile/expert", data=_profile_form()).status_code == 403
    with pytest.raises(PermissionDenied):
        experts.update_profile(member, "Bio", "None", [])
    with pytest.raises(PermissionDenied):
        experts.update_profile(make_user(Role.ADMIN), "Bio", "None", [])


def test_anonymous_visitors_are_sent_to_log_in_for_the_profile_form(client):
    response = client.get("/profile/expert")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_missing_declaration_comes_back_with_the_input_kept(client, make_user, login):
    login(make_user(Role.EXPERT))
    response = client.post(
        "/profile/expert", data=_profile_form(conflicts="   ", bio="My bio text")
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "None declared" in page and "My bio text" in page
    assert 'id="conflicts-error"' in page


def test_an_unknown_topic_is_refused_beside_the_field(client, make_user, login):
    expert = make_user(Role.EXPERT)
    login(expert)
    response = client.post("/profile/expert", data=_profile_form(topics=["999999"]))
    assert response.status_code == 422
    assert 'id="topics-error"' in response.get_data(as_text=True)
    with pytest.raises(RuleViolation):
        experts.update_profile(expert, "Bio", "None", [999999])


def test_the_declaration_is_shown_beside_the_experts_answer(client, make_user):
    expert = make_user(Role.EXPERT, area=ExpertArea.CLINICAL, name="Dr Paolo Conti")
    experts.update_profile(expert, "Surgeon.", "Paid speaker for one hip-implant maker (2025).", [])
    question = ask_question(make_user())
    answers.post_answer(question, expert, ANSWER)
    page = client.get(f"/questions/{question.id}").get_data(as_text=True)
    assert "Declared interests (" in page
    assert "Paid speaker for one hip-implant maker (2025)." in page
    assert f'href="/experts/{expert.id}"' in page


def test_an_expert_without_a_declaration_shows_no_interests_line(client, make_user):
    question = ask_question(make_user())
    answers.post_answer(question, make_user(Role.EXPERT), ANSWER)
    assert "Declared interests" not in client.get(f"/questions/{question.id}").get_data(
        as_text=True
    )


def test_the_directory_lists_active_experts_with_area_chair_topics_and_interests(client, make_user):
    chair = make_user(
        Role.EXPERT, area=ExpertArea.UNIVERSITY, chair=True, name="Prof. Marco Bellini"
    )
    experts.update_profile(
        chair,
        "Professor.",
        "Consultant to two orthopaedic device makers.",
        [topic_id("study-design-statistics")],
    )
    make_user(Role.EXPERT, area=ExpertArea.REGULATORY, name="Dr Chiara Marino")
    make_user(name="Anna Member")
    page = client.get("/experts").get_data(as_text=True)
    assert "Prof. Marco Bellini" in page and "Dr Chiara Marino" in page
    assert "Anna Member" not in page
    assert "Board chair" in page and "University" in page and "Regulatory" in page
    assert "Study design and statistics" in page
    assert "Consultant to two orthopaedic device makers." in page


def test_the_directory_loads_in_a_fixed_number_of_queries(client, make_user, count_queries):
    def queries() -> int:
        with count_queries() as statements:
            assert client.get("/experts").status_code == 200
        return len(statements)

    for _ in range(2):
        expert = make_user(Role.EXPERT)
        experts.update_profile(expert, "Bio", "None declared.", [topic_id("pmcf")])
    few = queries()
    for _ in range(8):
        expert = make_user(Role.EXPERT)
        experts.update_profile(expert, "Bio", "None declared.", [topic_id("pmcf")])
    assert queries() == few


def test_a_public_profile_shows_bio_interests_topics_and_recent_answers(client, make_user):
    expert = make_user(Role.EXPERT, area=ExpertArea.SME)
    experts.update_profile(
        expert,
        "Quality manager at an **SME**.",
        "Employed by a device maker.",
        [topic_id("software-ai")],
    )
    public = ask_question(make_user(), title="A public question about software as a device")
    answers.post_answer(public, expert, ANSWER)
    page = client.get(f"/experts/{expert.id}").get_data(as_text=True)
    assert "<strong>SME</strong>" in page  # the bio is rendered Markdown
    assert "Employed by a device maker." in page and "Declared interests (" in page
    assert "Software and AI" in page
    assert "A public question about software as a device" in page


def test_a_public_profile_hides_answers_to_confidential_questions_from_who_cannot_see_them(
    client, make_user, login
):
    expert = make_user(Role.EXPERT)
    asker = make_user()
    secret = ask_question(
        asker, title="Our unreleased implant: confidential", visibility=Visibility.CONFIDENTIAL
    )
    answers.post_answer(secret, expert, ANSWER)
    assert "Our unreleased implant" not in client.get(f"/experts/{expert.id}").get_data(
        as_text=True
    )
    login(make_user())
    assert "Our unreleased implant" not in client.get(f"/experts/{expert.id}").get_data(
        as_text=True
    )
    login(asker)
    assert "Our unreleased implant" in client.get(f"/experts/{expert.id}").get_data(as_text=True)


def test_profiles_exist_only_for_experts(client, make_user):
    assert client.get(f"/experts/{make_user().id}").status_code == 404
    assert client.get("/experts/999999").status_code == 404


def test_the_header_links_an_experts_profile_and_dashboard(client, make_user, login):
    login(make_user(Role.EXPERT))
    page = client.get("/").get_data(as_text=True)
    assert 'href="/profile/expert">My profile' in page and 'href="/dashboard">Dashboard' in page
    login(make_user())
    page = client.get("/").get_data(as_text=True)
    assert "My profile" not in page and 'href="/dashboard"' not in page


def test_the_demo_experts_have_dated_declarations_and_follow_topics(app):
    runner = app.test_cli_runner()
    runner.invoke(args=["seed-demo"])
    profiles = db.session.scalars(select(ExpertProfile)).all()
    assert len(profiles) == 5
    assert all(
        profile.conflicts and profile.conflicts_declared_at and profile.bio for profile in profiles
    )
    assert all(experts.followed_topic_ids(profile.user) for profile in profiles)
    declared = {profile.user_id: profile.conflicts_declared_at for profile in profiles}
    runner.invoke(args=["seed-demo"])  # idempotent: nothing re-declared
    assert {
        profile.user_id: profile.conflicts_declared_at
        for profile in db.session.scalars(select(ExpertProfile))
    } == declared


# --- declarations kept as given -------------------------------------------------


def _declarations_beside(page: str) -> list[str]:
    return [
        unescape(text)
        for text in re.findall(
            r'<p class="declared-interests"><span class="interests-label">[^<]*</span> ([^<]*)</p>',
            page,
        )
    ]


def test_each_change_of_the_declaration_is_a_dated_version(make_user):
    expert = make_user(Role.EXPERT)
    experts.update_profile(expert, "Bio", "Consultant to one device maker.", [])
    experts.update_profile(expert, "A longer bio", "Consultant to one device maker.", [])
    experts.update_profile(expert, "A longer bio", "Consultant to two device makers.", [])
    history = experts.declaration_history(expert)
    assert [(version.number, version.text) for version in history] == [
        (2, "Consultant to two device makers."),
        (1, "Consultant to one device maker."),
    ]
    assert history[0].declared_at == db.session.get(ExpertProfile, expert.id).conflicts_declared_at
    assert history[0].declared_at > history[1].declared_at


def test_earlier_answers_and_stances_keep_the_declaration_given_with_them(client, make_user, login):
    chair = make_user(Role.EXPERT, area=ExpertArea.UNIVERSITY, chair=True)
    expert = make_user(Role.EXPERT, area=ExpertArea.CLINICAL, name="Paolo Clinical")
    third = make_user(Role.EXPERT, area=ExpertArea.REGULATORY)
    experts.update_profile(expert, "Bio", "Paid speaker for Acme Implants.", [])
    question = ask_question(make_user(), title="A public question on implants")
    earlier = answers.post_answer(question, expert, ANSWER)
    board_answer = published_board_answer(
        ask_question(make_user(), title="A board question"),
        [chair, expert, third],
        "The board says.",
    )

    experts.update_profile(expert, "Bio", "No current interests.", [])
    later = answers.post_answer(question, expert, ANSWER + " And the ethics committee's.")
    answers.edit_answer(earlier, expert, ANSWER + " Edited after the new declaration.")

    page = client.get(f"/questions/{question.id}").get_data(as_text=True)
    assert page.index(f'id="answer-{earlier.id}"') < page.index(f'id="answer-{later.id}"')
    earlier_part = page[
        page.index(f'id="answer-{earlier.id}"') : page.index(f'id="answer-{later.id}"')
    ]
    later_part = page[page.index(f'id="answer-{later.id}"') :]
    assert _declarations_beside(earlier_part)[:1] == ["Paid speaker for Acme Implants."]
    assert _declarations_beside(later_part)[:1] == ["No current interests."]
    board_page = client.get(f"/questions/{board_answer.question_id}").get_data(as_text=True)
    stance = board_page[board_page.index("Paolo Clinical") :]
    assert _declarations_beside(stance)[:1] == ["Paid speaker for Acme Implants."]
    # The API says the same.
    token = api_tokens.create(make_user(), "tests").secret
    document = client.get(
        f"/api/v1/questions/{question.id}", headers={"Authorization": f"Bearer {token}"}
    ).get_json()
    assert {
        item["id"]: item["author"]["declared_interests"]["text"] for item in document["answers"]
    } == {earlier.id: "Paid speaker for Acme Implants.", later.id: "No current interests."}
    # The profile shows the current declaration and the earlier one, each dated.
    profile = client.get(f"/experts/{expert.id}").get_data(as_text=True)
    assert "No current interests." in profile and "Earlier declarations" in profile
    assert "Paid speaker for Acme Implants." in profile


def test_a_board_revision_shows_its_editors_declaration_at_the_time(client, make_user, login):
    chair = make_user(Role.EXPERT, area=ExpertArea.UNIVERSITY, chair=True)
    expert = make_user(Role.EXPERT, area=ExpertArea.CLINICAL)
    third = make_user(Role.EXPERT, area=ExpertArea.REGULATORY)
    experts.update_profile(expert, "Bio", "Paid speaker for Acme Implants.", [])
    board_answer = published_board_answer(
        ask_question(make_user(), title="A board question"),
        [chair, expert, third],
        "The board says.",
    )
    experts.update_profile(expert, "Bio", "No current interests.", [])
    login(make_user())
    history = client.get(f"/board/answers/{board_answer.id}/revisions").get_data(as_text=True)
    assert _declarations_beside(history) == ["Paid speaker for Acme Implants."]


def test_the_migration_gives_existing_rows_the_current_declaration_as_version_one(app, make_user):
    chair = make_user(Role.EXPERT, area=ExpertArea.UNIVERSITY, chair=True)
    expert = make_user(Role.EXPERT, area=ExpertArea.CLINICAL)
    third = make_user(Role.EXPERT, area=ExpertArea.REGULATORY)
    experts.update_profile(expert, "Bio", "Paid speaker for Acme Implants.", [])
    profile = db.session.get(ExpertProfile, expert.id)
    profile.conflicts_declared_at = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
    db.session.commit()
    answer = answers.post_answer(ask_question(make_user()), expert, ANSWER)
    board_answer = published_board_answer(
        ask_question(make_user(), title="A board question"),
        [chair, expert, third],
        "The board says.",
    )
    answer_id, board_answer_id, expert_id = answer.id, board_answer.id, expert.id
    db.session.remove()

    downgrade(revision=PREVIOUS_REVISION)
    try:
        with db.engine.connect() as connection:  # every row survived the downgrade
            assert connection.scalar(text("SELECT count(*) FROM answer")) == 1
            assert connection.scalar(text("SELECT count(*) FROM stance")) == 3
    finally:
        upgrade()

    versions = db.session.scalars(select(DeclarationOfInterest)).all()
    assert [
        (version.expert_id, version.number, version.text, version.declared_at)
        for version in versions
    ] == [(expert_id, 1, "Paid speaker for Acme Implants.", datetime(2025, 3, 1, 9, 0, tzinfo=UTC))]
    assert db.session.get(Answer, answer_id).declaration_id == versions[0].id
    stances = db.session.scalars(select(Stance).where(Stance.board_answer_id == board_answer_id))
    assert {stance.expert_id: stance.declaration_id for stance in stances}[expert_id] == versions[
        0
    ].id
    revision = db.session.scalar(
        select(BoardRevision).where(BoardRevision.board_answer_id == board_answer_id)
    )
    assert revision.declaration_id == versions[0].id  # the expert opened it
