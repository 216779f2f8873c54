"""The account pages: password change and reset, the data download, deleting the account,
and that admins can read no password or token anywhere."""

from __future__ import annotations

import hashlib
import json
import re
from html import unescape

import pytest
from sqlalchemy import Enum, String, Text, func, select, text

from forum.config import settings_from_environment
from forum.extensions import db
from forum.models import (
    ApiToken,
    AuditAction,
    AuditEntry,
    Comment,
    DeclarationOfInterest,
    EmailOptOut,
    ExpertArea,
    ExpertProfile,
    FlagReason,
    Notification,
    NotificationKind,
    Organisation,
    OrganisationKind,
    OutboxMessage,
    Question,
    Role,
    Stance,
    StanceKind,
    SurveyItemKind,
    SurveyResponse,
    User,
    Visibility,
    topic_follow,
)
from forum.services import (
    answers,
    clinics,
    experts,
    facilitations,
    invitations,
    moderation,
    questions,
    referral_reading,
    survey,
    survey_answers,
)
from forum.services.accounts import api_tokens, credentials
from forum.services.clinics import ClinicDraft
from forum.services.guide import importing, proposals, publishing, tree
from forum.services.mail import notifications
from forum.services.questions import QuestionDraft
from forum.services.survey import ItemDraft
from tests.access_matrix import SMALL_GUIDE
from tests.factories import ask_question, published_board_answer, topic_id
from tests.fixtures import files
from tests.fixtures.people import PASSWORD

NEW_PASSWORD = "a-brand-new-passphrase"
RESET_LINK = re.compile(r"http://forum\.example\.org/password/reset/(\S+)")


def audit_actions(user: User) -> list[str]:
    return list(
        db.session.scalars(
            select(AuditEntry.action).where(
                AuditEntry.subject_type == "User", AuditEntry.subject_id == user.id
            )
        )
    )


def outbox_to(email: str) -> list[OutboxMessage]:
    return list(
        db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.recipient == email).order_by(OutboxMessage.id)
        )
    )


def reset_token_for(client, app, user: User) -> str:
    """Ask for a reset link as the person would and read it from the queued e-mail."""
    app.config["PUBLIC_BASE_URL"] = "http://forum.example.org"
    client.post("/password/forgot", data={"email": user.email})
    bodies = [message.body for message in outbox_to(user.email)]
    links = [RESET_LINK.search(body) for body in bodies]
    return [link for link in links if link][-1].group(1)


# --- the overview -----------------------------------------------------------


def test_account_page_shows_who_you_are_and_links_to_each_setting(client, login, make_user):
    user = make_user(name="Lucia Ferraro")
    user.organisation = Organisation(name="Orobie Devices", kind=OrganisationKind.START_UP)
    db.session.commit()
    login(user)
    page = client.get("/account").get_data(as_text=True)
    for shown in ("Lucia Ferraro", user.email, "Orobie Devices", "Start-up", "Member"):
        assert shown in page
    for link in (
        "/account/password",
        "/account/export",
        "/account/delete",
        "/notifications/settings",
        "/account/tokens",
    ):
        assert f'href="{link}"' in page
    assert 'href="/account"' in client.get("/").get_data(as_text=True)  # the header's link


def test_account_pages_send_visitors_to_log_in(client):
    for path in ("/account", "/account/password", "/account/export", "/account/delete"):
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.location


def test_account_pages_are_not_kept_in_caches(client, login, make_user):
    login(make_user())
    assert client.get("/account").headers["Cache-Control"] == "private, no-store"
    assert client.get("/account/export").headers["Cache-Control"] == "private, no-store"


# --- changing the password --------------------------------------------------


def test_changing_the_password_signs_out_other_sessions_but_keeps_this_one(app, make_user):
    user = make_user()
    here, elsewhere = app.test_client(), app.test_client()
    for browser in (here, elsewhere):
        browser.post("/login", data={"email": user.email, "password": PASSWORD})
        assert browser.get("/account").status_code == 200

    response = here.post(
        "/account/password",
        data={"current_password": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )

    assert response.status_code == 302 and response.location == "/account"
    assert here.get("/account").status_code == 200
    assert elsewhere.get("/account").status_code == 302  # signed out
    assert credentials.authenticate(user.email, NEW_PASSWORD) is not None
    assert credentials.authenticate(user.email, PASSWORD) is None
    assert audit_actions(user) == [AuditAction.PASSWORD_CHANGED.value]
    notice = outbox_to(user.email)
    assert len(notice) == 1 and "password was changed" in notice[0].subject


def test_changing_the_password_keeps_remember_me_working(app, make_user):
    user = make_user()
    browser = app.test_client()
    browser.post("/login", data={"email": user.email, "password": PASSWORD, "remember": "y"})
    browser.post(
        "/account/password",
        data={"current_password": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    remember = browser.get_cookie("remember_token")
    db.session.refresh(user)
    assert remember is not None and user.session_token in remember.value


def test_changing_the_password_needs_the_current_one_and_a_strong_new_one(client, login, make_user):
    user = make_user()
    login(user)
    old_hash = user.password_hash

    wrong = client.post(
        "/account/password",
        data={
            "current_password": "not-my-password",
            "password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
        },
    )
    weak = client.post(
        "/account/password",
        data={"current_password": PASSWORD, "password": "short", "confirm": "short"},
    )
    same = client.post(
        "/account/password",
        data={"current_password": PASSWORD, "password": PASSWORD, "confirm": PASSWORD},
    )

    assert wrong.status_code == weak.status_code == same.status_code == 422
    assert 'id="current_password-error"' in wrong.get_data(as_text=True)
    assert 'id="password-error"' in weak.get_data(as_text=True)
    assert "at least 12 characters" in weak.get_data(as_text=True)
    assert "different from the current one" in same.get_data(as_text=True)
    db.session.refresh(user)
    assert user.password_hash == old_hash
    assert audit_actions(user) == []


def test_a_new_password_may_not_hold_the_address_or_be_a_common_one(client, login, make_user):
    user = make_user()
    login(user)
    old_hash = user.password_hash
    local_part = user.email.partition("@")[0]
    for password, reason in (
        (f"{local_part.upper()}-my-pass", "its part before the @"),
        ("qwerty123456", "one of the most used passwords"),
    ):
        response = client.post(
            "/account/password",
            data={"current_password": PASSWORD, "password": password, "confirm": password},
        )
        assert response.status_code == 422
        assert 'id="password-error"' in response.get_data(as_text=True)
        assert reason in response.get_data(as_text=True)
    db.session.refresh(user)
    assert user.password_hash == old_hash


@pytest.mark.parametrize("mode", ["production", "development"])
def test_passwords_are_hashed_with_scrypt_outside_tests(app, mode, tmp_path):
    strong_key = "Zx8-q2LmT0vBn7_Yr4WcKp9sJd3HgF6e" * 2
    settings = settings_from_environment(
        {"FORUM_ENV": mode, "SECRET_KEY": strong_key}, str(tmp_path)
    )
    assert settings["PASSWORD_HASH_METHOD"] == "scrypt"
    with app.test_request_context():
        app.config["PASSWORD_HASH_METHOD"] = settings["PASSWORD_HASH_METHOD"]
        try:
            hashed = credentials.hash_password(PASSWORD)
        finally:
            app.config["PASSWORD_HASH_METHOD"] = "pbkdf2:sha256:1"
    assert hashed.startswith("scrypt:") and PASSWORD not in hashed


def test_only_the_test_mode_uses_the_cheap_hash(make_user, tmp_path):
    """The suite's users are hashed with one PBKDF2 round (speed); still a real hash."""
    settings = settings_from_environment({"FORUM_ENV": "test"}, str(tmp_path))
    assert settings["PASSWORD_HASH_METHOD"] == "pbkdf2:sha256:1"
    user = make_user()
    assert user.password_hash.startswith("pbkdf2:sha256:1$")
    assert PASSWORD not in user.password_hash


# --- resetting a forgotten password ----------------------------------------


def test_the_forgot_form_answers_the_same_whether_or_not_the_account_exists(client, make_user):
    user = make_user()
    known = client.post("/password/forgot", data={"email": user.email})
    unknown = client.post("/password/forgot", data={"email": "nobody@example.org"})

    def text(response):  # the page without the address typed in
        return (
            response.get_data(as_text=True)
            .replace(user.email, "")
            .replace("nobody@example.org", "")
        )

    assert known.status_code == unknown.status_code == 200
    assert text(known) == text(unknown)
    assert len(outbox_to(user.email)) == 1
    # Issue 20, finding 11: the same work either way (one message queued and committed),
    # so the time taken does not tell either; the unknown address gets no link.
    no_account = outbox_to("nobody@example.org")
    assert len(no_account) == 1 and "/password/reset/" not in no_account[0].body
    assert "no account uses it" in no_account[0].body


def test_a_reset_asked_for_a_deactivated_account_sends_no_link(client, make_user):
    user = make_user()
    user.active = False
    db.session.commit()
    assert client.post("/password/forgot", data={"email": user.email}).status_code == 200
    [message] = outbox_to(user.email)
    assert "/password/reset/" not in message.body and "deactivated" in message.body


def test_asking_for_a_reset_does_the_same_work_whether_or_not_the_account_exists(
    client, make_user, count_queries
):
    """Issue 20, finding 11: the statements run are the same kinds, so the time is alike."""
    user = make_user()

    def statements(email: str) -> list[str]:
        with count_queries() as log:
            client.post("/password/forgot", data={"email": email})
        return [statement.split()[0] for statement in log]

    assert statements(user.email) == statements("nobody@example.org")


def test_the_login_page_links_to_the_forgot_form(client):
    assert 'href="/password/forgot"' in client.get("/login").get_data(as_text=True)


def test_a_reset_link_sets_a_new_password_once_and_signs_out_everywhere(app, client, make_user):
    user = make_user()
    signed_in = app.test_client()
    signed_in.post("/login", data={"email": user.email, "password": PASSWORD})
    token = reset_token_for(client, app, user)
    message = outbox_to(user.email)[-1]
    assert "Reset your password" in message.subject
    assert f"http://forum.example.org/password/reset/{token}" in message.body

    form = client.get(f"/password/reset/{token}")
    assert form.status_code == 200 and 'name="password"' in form.get_data(as_text=True)
    done = client.post(
        f"/password/reset/{token}", data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )

    assert done.status_code == 302 and done.location == "/login"
    assert credentials.authenticate(user.email, NEW_PASSWORD) is not None
    assert signed_in.get("/account").status_code == 302
    assert audit_actions(user) == [AuditAction.PASSWORD_RESET.value]
    again = client.post(
        f"/password/reset/{token}",
        data={"password": "yet-another-pass", "confirm": "yet-another-pass"},
    )
    assert again.status_code == 400
    assert "This link has been used" in again.get_data(as_text=True)
    assert credentials.authenticate(user.email, NEW_PASSWORD) is not None


# --- a new password revokes the API tokens (issue 20, finding 4) -------------------------------


def _api_status(client, secret: str) -> int:
    return client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).status_code


def test_changing_the_password_revokes_every_api_token_and_says_so(client, login, make_user):
    user = make_user()
    other = make_user()
    mine = [api_tokens.create(user, name).secret for name in ("report script", "backup job")]
    theirs = api_tokens.create(other, "their script").secret
    login(user)

    response = client.post(
        "/account/password",
        data={"current_password": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
        follow_redirects=True,
    )

    assert [_api_status(client, secret) for secret in mine] == [401, 401]
    assert _api_status(client, theirs) == 200
    page = response.get_data(as_text=True)
    assert "Your 2 API tokens (“backup job”, “report script”) were revoked" in page
    notice = outbox_to(user.email)[-1]
    assert "password was changed" in notice.subject
    assert "“backup job”, “report script”" in notice.body and "were revoked" in notice.body
    assert "Revoked" in client.get("/account/tokens").get_data(as_text=True)


def test_a_reset_revokes_the_api_tokens_and_tells_the_person_in_their_language(
    app, client, make_user
):
    user = make_user()
    user.locale = "it"
    db.session.commit()
    secret = api_tokens.create(user, "report script").secret
    token = reset_token_for(client, app, user)

    done = client.post(
        f"/password/reset/{token}",
        data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
        follow_redirects=True,
    )

    assert _api_status(client, secret) == 401
    assert "Your API token “report script” was revoked" in done.get_data(as_text=True)
    notice = outbox_to(user.email)[-1]
    assert notice.subject == "[Forum CTCC] La tua password è stata reimpostata"
    assert "“report script”" in notice.body and "revocato" in notice.body
    assert AuditAction.API_TOKEN_REVOKED.value in db.session.scalars(select(AuditEntry.action))


def test_a_new_password_without_api_tokens_says_nothing_about_them(client, login, make_user):
    user = make_user()
    login(user)
    page = client.post(
        "/account/password",
        data={"current_password": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "API token" not in page.replace("API tokens for scripts", "")
    assert "API token" not in outbox_to(user.email)[-1].body


def test_a_reset_link_refuses_a_weak_password_beside_the_field(app, client, make_user):
    user = make_user()
    token = reset_token_for(client, app, user)
    for weak in ("short", "password12345", user.email.partition("@")[0] + "-reset-me"):
        response = client.post(f"/password/reset/{token}", data={"password": weak, "confirm": weak})
        assert response.status_code == 422
        assert 'id="password-error"' in response.get_data(as_text=True)
    assert credentials.authenticate(user.email, PASSWORD) is not None


def test_an_expired_reset_link_says_so(app, client, make_user):
    user = make_user()
    token = reset_token_for(client, app, user)
    app.config["PASSWORD_RESET_MAX_AGE"] = -1  # the link is older than links may be
    response = client.post(
        f"/password/reset/{token}", data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )
    assert response.status_code == 400
    assert "This link has expired" in response.get_data(as_text=True)
    assert credentials.authenticate(user.email, PASSWORD) is not None


def test_a_tampered_reset_link_says_so(app, client, make_user):
    user = make_user()
    token = reset_token_for(client, app, user)
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    for bad in (tampered, "not-a-token", token.split(".")[0]):
        response = client.get(f"/password/reset/{bad}")
        assert response.status_code == 400
        assert "This link is not valid" in response.get_data(as_text=True)


def test_a_reset_link_signed_for_something_else_does_not_work(app, client, make_user):
    from itsdangerous import URLSafeTimedSerializer

    user = make_user()
    other_salt = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="something-else")
    forged = other_salt.dumps({"user": user.id, "password": "0" * 16})
    response = client.get(f"/password/reset/{forged}")
    assert response.status_code == 400
    assert "This link is not valid" in response.get_data(as_text=True)


# --- the data download ------------------------------------------------------


def test_the_download_holds_every_kind_of_data_and_no_secret(app, client, login, people):
    person = people.expert
    person.organisation = Organisation(name="Politecnico Test", kind=OrganisationKind.UNIVERSITY)
    db.session.commit()
    experts.update_profile(
        person, "Biostatistician.", "Consults for Acme Devices.", [topic_id("regulatory-pathway")]
    )
    own = ask_question(
        person, title="Our confidential sensor question", visibility=Visibility.CONFIDENTIAL
    )
    asked = ask_question(people.asker)
    answer = answers.post_answer(asked, person, "Start from MDR Annex XV.")
    files.attach(answer, person, files.MINIMAL_PDF, "synopsis.pdf")
    answers.post_comment(asked, person, "Which class, exactly?")
    other_answer = answers.post_answer(asked, people.clinical, "A clinical view.")
    answers.set_helpful(other_answer, person, True)
    published_board_answer(asked, [people.chair, person, people.clinical], "The board says.")
    answers.post_answer(own, people.clinical, "An answer to the confidential one.")  # notifies
    another = ask_question(people.other, title="Another one")
    invitations.invite(another, person, people.admin, "Please look at this.")
    moderation.flag(person, another, FlagReason.OFF_TOPIC, "Not about a device.")
    notifications.set_email_opt_outs(person, [NotificationKind.NEW_COMMENT])
    poll = survey.create_survey(people.admin, "How useful is the forum?")
    item = survey.add_item(poll, people.admin, ItemDraft(SurveyItemKind.TEXT, "What would help?"))
    survey.open_survey(poll, people.admin)
    survey_answers.submit_response(
        poll, {item.id: "More on PMCF."}, user=person, quote_consent=True
    )
    importing.import_guide(SMALL_GUIDE, None)
    section = tree.load_current_guide().sections[0].section
    proposals.propose(person, section, title=section.title, body="Pick the route first.")
    draft = publishing.release("1.0", "First version", people.admin)
    publishing.record_stance(draft, person, StanceKind.ENDORSE)
    clinic = clinics.create_clinic(people.admin, ClinicDraft(name="Clinica Test", city="Milano"))
    facilitations.refer(own, clinic, people.clinical, "Their wound-care ward runs device studies.")
    facilitations.refer(asked, clinic, person, "Their ward hosts device studies too.")
    secret = "ctcc_secret-token-value"
    db.session.add(
        ApiToken(
            user_id=person.id,
            name="My script",
            prefix="ctcc_sec",
            token_hash=hashlib.sha256(secret.encode()).hexdigest(),
        )
    )
    db.session.commit()
    login(person)

    response = client.get("/account/export")

    assert response.status_code == 200 and response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.get_data(as_text=True))
    assert data["profile"]["email"] == person.email
    assert data["organisation"] == {
        "name": "Politecnico Test",
        "kind": "university",
        "country": "IT",
        "province": None,
        "region": None,
        "website": None,
    }
    assert data["expert_profile"]["declaration_of_interests"] == "Consults for Acme Devices."
    assert [
        (version["number"], version["text"]) for version in data["declarations_of_interests"]
    ] == [(1, "Consults for Acme Devices.")]
    assert [
        (referral["question_id"], referral["clinic"], referral["status"])
        for referral in data["referrals"]
    ] == [(own.id, "Clinica Test", "proposed")]
    assert data["referrals"][0]["steps"][0]["note"] == "Their wound-care ward runs device studies."
    assert data["referrals"][0]["organisation"] == "Politecnico Test"
    assert [q["title"] for q in data["questions"]] == ["Our confidential sensor question"]
    assert data["questions"][0]["visibility"] == "confidential"
    assert data["answers"][0]["id"] == answer.id
    assert data["comments"][0]["body"] == "Which class, exactly?"
    assert data["helpful_marks"] == [
        {"answer_id": other_answer.id, "created_at": data["helpful_marks"][0]["created_at"]}
    ]
    assert {stance["kind"] for stance in data["stances"]} == {"endorse"}
    assert data["board_revisions"] and data["revisions"]
    assert data["notifications"] and data["invitations"][0]["received"] is True
    assert data["email_opt_outs"] == ["new-comment"]
    assert [(flag["question_id"], flag["reason"], flag["note"]) for flag in data["flags"]] == [
        (another.id, "off-topic", "Not about a device.")
    ]
    assert data["guide_proposals"][0]["body"] == "Pick the route first."
    assert data["guide_release_stances"][0]["kind"] == "endorse"
    assert data["followed_topics"]
    assert data["survey_responses"][0]["answers"] == [
        {"item": "What would help?", "value": "More on PMCF."}
    ]
    assert data["api_tokens"] == [
        {
            "name": "My script",
            "prefix": "ctcc_sec",
            "created_at": data["api_tokens"][0]["created_at"],
            "last_used_at": None,
            "expires_at": None,
            "read_only": False,
            "revoked_at": None,
        }
    ]
    assert any(entry["action"] == "expert-profile-updated" for entry in data["audit_entries"])
    for kind, value in data.items():
        assert value not in (None, [], {}), f"{kind} is empty"
    body = response.get_data(as_text=True)
    db.session.refresh(person)
    for hidden in (
        person.password_hash,
        person.password_hash.split("$")[-1],
        person.session_token,
        hashlib.sha256(secret.encode()).hexdigest(),
    ):
        assert hidden not in body


def test_the_download_holds_the_referrals_an_expert_made_on_questions_still_visible(
    client, login, people
):
    expert = people.clinical
    clinic = clinics.create_clinic(people.admin, ClinicDraft(name="Clinica Test", city="Milano"))
    public = ask_question(people.asker, title="A public question")
    secret = ask_question(
        people.asker, title="A confidential question", visibility=Visibility.CONFIDENTIAL
    )
    made = facilitations.refer(public, clinic, expert, "Their ward runs device studies.")
    facilitations.refer(secret, clinic, expert, "For the confidential one.")
    login(expert)
    data = client.get("/account/export").get_json()
    assert [
        (item["id"], item["clinic"], item["proposed_by_you"]) for item in data["referrals_made"]
    ][0] == (made.id, "Clinica Test", True)
    assert len(data["referrals_made"]) == 2
    assert data["referrals_made"][0]["steps_you_recorded"][0]["note"] == (
        "Their ward runs device studies."
    )
    # No longer on the board: the confidential question's referral is not theirs to read.
    expert.role, expert.area = Role.MEMBER, None
    db.session.commit()
    login(expert)
    data = client.get("/account/export").get_json()
    assert [item["question_id"] for item in data["referrals_made"]] == [public.id]
    assert "confidential" not in json.dumps(data["referrals_made"])


def test_the_download_holds_nothing_of_other_people(client, login, people):
    ask_question(people.other, title="Someone else's question")
    login(people.asker)
    data = client.get("/account/export").get_json()
    assert data["questions"] == []
    assert people.other.email not in json.dumps(data)


# --- deleting the account ---------------------------------------------------


def test_deleting_the_account_anonymises_the_person_and_keeps_their_posts(
    app, client, login, people
):
    person = people.expert
    person.organisation = Organisation(name="Solo Start-up", kind=OrganisationKind.START_UP)
    db.session.commit()
    experts.update_profile(person, "My bio.", "My interests.", [topic_id("regulatory-pathway")])
    question = ask_question(person, title="A question others rely on")
    answers.post_answer(question, people.clinical, "An answer.")
    answers.post_comment(question, person, "A clarification.")
    answers.post_answer(ask_question(people.asker), person, "My answer.")
    published_board_answer(
        ask_question(people.asker, title="A board question"),
        [people.chair, person, people.clinical],
        "The board says.",
    )
    notifications.set_email_opt_outs(person, [NotificationKind.NEW_ANSWER])
    db.session.add(
        ApiToken(user_id=person.id, name="Script", prefix="ctcc_abc", token_hash="f" * 64)
    )
    db.session.commit()
    old_email, person_id = person.email, person.id
    other_session = app.test_client()
    other_session.post("/login", data={"email": old_email, "password": PASSWORD})
    login(person)

    refused = client.post("/account/delete", data={"password": "wrong-password", "understood": "y"})
    unticked = client.post("/account/delete", data={"password": PASSWORD})
    assert refused.status_code == unticked.status_code == 422
    assert 'id="password-error"' in refused.get_data(as_text=True)
    assert 'id="understood-error"' in unticked.get_data(as_text=True)
    assert db.session.get(User, person_id).deleted_at is None

    done = client.post("/account/delete", data={"password": PASSWORD, "understood": "y"})

    assert done.status_code == 302 and done.location == "/"
    gone = db.session.get(User, person_id)
    # Stored under a neutral name the admins can tell apart; shown as a former member.
    assert gone.stored_display_name == f"Deleted account {person_id}"
    assert gone.display_name == "Former member"
    assert gone.email == f"deleted-{person_id}@invalid"
    assert gone.organisation_id is None and gone.active is False
    assert gone.deleted_at is not None
    assert db.session.get(ExpertProfile, person_id) is None
    for model in (ApiToken, Notification, EmailOptOut):
        assert (
            db.session.scalar(
                select(func.count()).select_from(model).where(model.user_id == person_id)
            )
            == 0
        )
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(topic_follow)
            .where(topic_follow.c.user_id == person_id)
        )
        == 0
    )
    assert outbox_to(old_email) == []
    # What others rely on stays, under the neutral name.
    assert db.session.get(Question, question.id).author_id == person_id
    assert (
        db.session.scalar(
            select(func.count()).select_from(Stance).where(Stance.expert_id == person_id)
        )
        == 1
    )
    page = client.get(f"/questions/{question.id}").get_data(as_text=True)
    assert "Former member" in page and "An answer." in page
    assert f'href="/experts/{person_id}"' not in page  # no link to a profile that is gone
    assert client.get(f"/experts/{person_id}").status_code == 404
    assert old_email not in page and "My interests." not in page
    # Signed out here and everywhere, and no way back in.
    assert client.get("/account").status_code == 302
    assert other_session.get("/account").status_code == 302
    assert client.post("/login", data={"email": old_email, "password": PASSWORD}).status_code == 422
    assert credentials.authenticate(gone.email, PASSWORD) is None
    assert AuditAction.ACCOUNT_DELETED.value in audit_actions(gone)
    # Organisations are not people: the row stays for the others in it and the figures.
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(Organisation)
            .where(Organisation.name == "Solo Start-up")
        )
        == 1
    )


SECRET = "zqxvsecret"  # one word every text below carries, found nowhere else


def _rows_holding(marker: str) -> dict[str, int]:
    """Every text column of every table, read directly: how many rows hold ``marker``."""
    found = {}
    with db.engine.connect() as connection:
        for table in db.metadata.sorted_tables:
            for column in table.columns:
                if isinstance(column.type, (String, Text)) and not isinstance(column.type, Enum):
                    count = connection.scalar(
                        select(func.count()).select_from(table).where(column.contains(marker))
                    )
                    if count:
                        found[f"{table.name}.{column.name}"] = count
        if connection.dialect.name == "sqlite":  # the full-text index keeps its own terms
            count = connection.scalar(
                text("SELECT count(*) FROM search_fts WHERE search_fts MATCH :term"),
                {"term": f'"{marker}"'},
            )
            if count:
                found["search_fts"] = count
    return found


def test_deleting_the_account_erases_its_confidential_questions_from_the_database(
    client, login, people
):
    asker, expert = people.asker, people.expert
    experts.update_profile(expert, "", "Consults for Acme Devices.", [topic_id("pmcf")])
    secret = ask_question(
        asker,
        title=f"Our {SECRET} implant trial",
        body=f"Our {SECRET} implant fails in 3% of patients.",
        visibility=Visibility.CONFIDENTIAL,
        topics=("pmcf",),
    )
    questions.edit(
        secret,
        asker,
        QuestionDraft(
            title=f"Our {SECRET} implant trial (revised)",
            body=f"Our {SECRET} implant fails in 2% of patients.",
            topic_ids=[topic_id("pmcf")],
            device_class=secret.device_class,
            stage=secret.stage,
            visibility=Visibility.CONFIDENTIAL,
        ),
    )
    public = ask_question(asker, title="A public question that stays")
    answer = answers.post_answer(secret, expert, "Report it as a serious incident.")
    answers.post_comment(secret, asker, f"The {SECRET} batch was recalled.", answer=answer)
    answers.post_comment(secret, asker, f"More on the {SECRET} implant.")
    answers.post_comment(secret, expert, "Which notified body?")
    clinic = clinics.create_clinic(people.admin, ClinicDraft(name="Clinica Test", city="Milano"))
    referral = facilitations.refer(secret, clinic, expert, f"They know the {SECRET} implant.")
    invitations.invite(secret, people.clinical, people.admin, f"Please look at the {SECRET} case.")
    assert set(_rows_holding(SECRET)) >= {
        "question.title",
        "question.body",
        "revision.title",
        "revision.body",
        "comment.body",
        "search_text.body",
        "facilitation_step.note",
        "invitation.message",
    }
    asker_id = asker.id
    login(asker)

    assert (
        client.post("/account/delete", data={"password": PASSWORD, "understood": "y"}).status_code
        == 302
    )

    assert _rows_holding(SECRET) == {}
    removed = db.session.get(Question, secret.id)
    assert removed.removed_at is not None and removed.revisions == []
    # The thread stays for the experts, and every count stays true.
    assert removed.answer_count == 1 and len(removed.answers) == 1
    assert (
        db.session.scalar(
            select(func.count()).select_from(Comment).where(Comment.question_id == secret.id)
        )
        == 3
    )
    assert db.session.get(Question, public.id).title == "A public question that stays"
    assert referral_reading.referrals_for_question(people.admin, removed) == [referral]
    # Experts and admins see tombstones, never a crash; the question cannot be edited.
    for reader in (expert, people.admin):
        login(reader)
        page = client.get(f"/questions/{secret.id}")
        assert page.status_code == 200
        html = unescape(page.get_data(as_text=True))
        assert "Question removed at the author's request" in html
        assert "Comment removed at the author's request." in html
        assert "Report it as a serious incident." in html and "Which notified body?" in html
        assert "Former member" in html and f"Deleted account {asker_id}" not in html
        for url in (
            f"/questions/{secret.id}/revisions",
            "/questions",
            "/dashboard",
            "/search?q=serious+incident",
            "/facilitations",
            f"/facilitations/{referral.id}",
        ):
            response = client.get(url)
            assert response.status_code in (200, 404), url
            assert SECRET not in response.get_data(as_text=True), url
    assert client.get(f"/questions/{secret.id}/edit").status_code == 403
    search = unescape(client.get("/search?q=serious+incident").get_data(as_text=True))
    assert "Question removed at the author's request" in search
    token = api_tokens.create(people.admin, "tests").secret
    api = client.get(f"/api/v1/questions/{secret.id}", headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 200 and SECRET not in api.get_data(as_text=True)
    assert api.get_json()["title"] == "Question removed at the author's request"


def test_deleting_the_account_leaves_the_persons_name_and_address_nowhere(client, login, people):
    person = make_named_expert(people, "Zqxvname Rossi")
    experts.update_profile(person, "", "Consults for Acme Devices.", [topic_id("pmcf")])
    public = ask_question(people.asker, title="Which standard covers usability?", topics=("pmcf",))
    invitations.invite(public, person, people.admin, "Please have a look.")
    answers.post_answer(public, person, "IEC 62366-1 covers usability engineering.")
    answers.post_comment(public, person, "See also the MDCG guidance.")
    api_tokens.create(person, "Zqxvname's laptop")
    secret = ask_question(
        people.asker,
        title="A confidential one",
        topics=("pmcf",),
        visibility=Visibility.CONFIDENTIAL,
    )
    answers.post_answer(secret, person, "Ask the notified body first.")
    email = person.email
    found_before = set(_rows_holding("Zqxvname")) | set(_rows_holding(email))
    # Others' e-mails, the audit log and the person's own rows named them.
    assert {
        "outbox_message.body",
        "audit_entry.detail",
        "user.display_name",
        "user.email",
    } <= found_before
    login(person)

    assert (
        client.post("/account/delete", data={"password": PASSWORD, "understood": "y"}).status_code
        == 302
    )

    assert _rows_holding("Zqxvname") == {} and _rows_holding(email) == {}
    # What others rely on stays, told of a former member.
    login(people.asker)
    page = unescape(client.get(f"/questions/{public.id}").get_data(as_text=True))
    assert "IEC 62366-1 covers usability engineering." in page and "Former member" in page
    mails = db.session.scalars(
        select(OutboxMessage.body).where(OutboxMessage.recipient == people.asker.email)
    ).all()
    assert any("a former member answered your question" in body for body in mails)


def make_named_expert(people, name: str):
    expert = people.clinical
    expert.display_name = name
    db.session.commit()
    return expert


def test_deleting_an_experts_account_removes_their_declarations(client, login, people):
    expert = people.expert
    experts.update_profile(expert, "", "Consults for Acme Devices.", [topic_id("pmcf")])
    answer = answers.post_answer(ask_question(people.asker), expert, "An answer that stays.")
    assert answer.declaration is not None
    login(expert)

    client.post("/account/delete", data={"password": PASSWORD, "understood": "y"})

    assert db.session.scalar(select(func.count()).select_from(DeclarationOfInterest)) == 0
    db.session.expire_all()
    assert answer.declaration_id is None and answer.body == "An answer that stays."


def test_survey_answers_of_a_deleted_account_stay_in_the_figures_without_a_name(
    client, login, people
):
    poll = survey.create_survey(people.admin, "Usefulness")
    item = survey.add_item(poll, people.admin, ItemDraft(SurveyItemKind.NPS, "Recommend us?"))
    survey.open_survey(poll, people.admin)
    survey_answers.submit_response(poll, {item.id: "9"}, user=people.asker)
    login(people.asker)
    client.post("/account/delete", data={"password": PASSWORD, "understood": "y"})
    responses = db.session.scalars(select(SurveyResponse)).all()
    assert len(responses) == 1 and responses[0].user_id is None


def test_a_deleted_account_cannot_reset_its_password(app, client, login, make_user):
    user = make_user()
    old_email = user.email
    token = reset_token_for(client, app, user)
    login(user)
    client.post("/account/delete", data={"password": PASSWORD, "understood": "y"})

    response = client.get(f"/password/reset/{token}")
    assert response.status_code == 400
    client.post("/password/forgot", data={"email": old_email})
    client.post("/password/forgot", data={"email": f"deleted-{user.id}@invalid"})
    assert [m for m in outbox_to(old_email) if "/password/reset/" in m.body] == []
    assert outbox_to(f"deleted-{user.id}@invalid") == []


def test_two_deleted_accounts_get_distinct_placeholders(client, login, make_user):
    first, second = make_user(), make_user()
    for user in (first, second):
        login(user)
        client.post("/account/delete", data={"password": PASSWORD, "understood": "y"})
    emails = set(db.session.scalars(select(User.email).where(User.deleted_at.is_not(None))))
    assert emails == {f"deleted-{first.id}@invalid", f"deleted-{second.id}@invalid"}


# --- admins read no password or token ---------------------------------------


def test_no_admin_page_shows_a_password_hash_or_a_token(app, client, login, people):
    experts.update_profile(people.expert, "Bio.", "None.", [topic_id("regulatory-pathway")])
    question = ask_question(people.asker)
    answers.post_answer(question, people.expert, "An answer.")
    token_hash = hashlib.sha256(b"ctcc_the-secret").hexdigest()
    db.session.add(
        ApiToken(user_id=people.asker.id, name="Script", prefix="ctcc_the", token_hash=token_hash)
    )
    poll = survey.create_survey(people.admin, "Usefulness")
    survey.add_item(poll, people.admin, ItemDraft(SurveyItemKind.NPS, "Recommend us?"))
    db.session.commit()
    links = survey.create_invitation_links(poll, 1, "meeting", people.admin)
    spent_token = reset_token_for(client, app, people.asker)
    login(people.asker)
    client.post(
        "/account/password",
        data={"current_password": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    reset_token = reset_token_for(client, app, people.other)  # a live one
    reset_message = outbox_to(people.other.email)[-1]
    login(people.admin)

    pages = [
        "/admin/outbox",
        f"/admin/outbox/{reset_message.id}",
        "/admin/audit",
        "/admin/surveys",
        f"/admin/surveys/{poll.id}",
        f"/admin/surveys/{poll.id}/links",
        "/faq/admin",
        "/review",
        "/experts",
        f"/experts/{people.expert.id}",
        "/dashboard",
        f"/questions/{question.id}",
        "/account",
    ]
    pages += [
        f"/admin/outbox/{message_id}" for message_id in db.session.scalars(select(OutboxMessage.id))
    ]
    users = db.session.scalars(select(User)).all()
    secrets = [token_hash, reset_token, spent_token, links[0].rsplit("/", 1)[-1]]
    secrets += [hashlib.sha256(links[0].rsplit("/", 1)[-1].encode()).hexdigest()]
    for user in users:
        secrets += [user.password_hash, user.password_hash.split("$")[-1], user.session_token]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        text = response.get_data(as_text=True)
        for secret in secrets:
            assert secret not in text, f"{page} shows a secret"
    shown = client.get(f"/admin/outbox/{reset_message.id}").get_data(as_text=True)
    assert "/password/reset/[hidden]" in shown
    # The e-mail itself still carries the working link.
    assert reset_token in db.session.get(OutboxMessage, reset_message.id).body


def test_hiding_reset_tokens_leaves_other_text_alone():
    from forum.services.accounts.password_reset import hide_reset_tokens

    text = (
        "Open https://x.org/password/reset/abc.DEF-1_2.xyz now,\n"
        "or https://x.org/password/reset/second.token then https://x.org/questions/1"
    )
    assert hide_reset_tokens(text) == (
        "Open https://x.org/password/reset/[hidden] now,\n"
        "or https://x.org/password/reset/[hidden] then https://x.org/questions/1"
    )


def test_roles_shown_on_the_account_page_are_translated_labels(client, login, make_user):
    expert = make_user(Role.EXPERT, ExpertArea.CLINICAL, chair=True)
    login(expert)
    page = client.get("/account").get_data(as_text=True)
    assert "Expert" in page and "board chair" in page
    assert 'href="/profile/expert"' in page
