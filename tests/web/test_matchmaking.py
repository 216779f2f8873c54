"""Matchmaking (issue 29): an organisation's suggested partners in the other region with
their reasons, the admins' rounds (suggested pairs accepted or set aside), introductions
and their steps, the review's figures, and the demo's round."""

from __future__ import annotations

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from forum.demo.network_rounds import DEMO_CALL, seed_network_rounds
from forum.extensions import db
from forum.models import (
    AuditAction,
    AuditEntry,
    DismissedPair,
    FundingProgramme,
    Introduction,
    IntroductionState,
    IntroductionStep,
    MatchmakingRound,
    Role,
    Specialisation,
)
from forum.services import matchmaking, network_introductions, network_rounds
from forum.services.errors import PermissionDenied, RuleViolation
from forum.services.network_introductions import StepDraft
from forum.web.matchmaking import admin_routes
from tests.factories import make_network_profile as profile_of


def _theme_ids(*slugs: str) -> list[int]:
    return list(db.session.scalars(select(Specialisation.id).where(Specialisation.slug.in_(slugs))))


@pytest.fixture
def directory(app):
    """Lombardy, Limburg and elsewhere, with the terms that make them match or not."""
    return {
        "brianza": profile_of(
            "Brianza Imaging S.r.l.",
            "lombardy",
            specialisations=("imaging", "diagnostics"),
            offers=("prototyping",),
            needs=("clinical-validation",),
        ),
        "bergamo": profile_of(
            "Bergamo Imaging S.r.l.", "lombardy", specialisations=("imaging", "diagnostics")
        ),
        "maastricht": profile_of(
            "Maastricht Clinical Centre",
            "limburg",
            specialisations=("imaging", "diagnostics"),
            offers=("clinical-validation",),
            needs=("prototyping",),
        ),
        "heerlen": profile_of(
            "Heerlen Diagnostics B.V.", "limburg", specialisations=("diagnostics",)
        ),
        "sittard": profile_of("Sittard Rehab", "limburg", specialisations=("rehabilitation",)),
        "venlo": profile_of(
            "Venlo Quiet Imaging", "limburg", specialisations=("imaging",), listed=False
        ),
        "zurich": profile_of("Zurich Imaging AG", "other", specialisations=("imaging",)),
        "geneva": profile_of("Geneva Imaging SA", "other", specialisations=("imaging",)),
    }


def _names(pairs) -> list[str]:
    return [pair.second.organisation.name for pair in pairs]


# --- candidates and their reasons ----------------------------------------------------------------


def test_candidates_are_of_the_other_region_only_and_never_the_organisation_itself(directory):
    candidates = matchmaking.candidates_for(directory["brianza"])
    assert _names(candidates) == ["Maastricht Clinical Centre", "Heerlen Diagnostics B.V."]
    for pair in candidates:
        assert pair.first is directory["brianza"]
        assert pair.second.region.value == "limburg"
    limburg = _names(matchmaking.candidates_for(directory["maastricht"]))
    assert limburg == ["Brianza Imaging S.r.l.", "Bergamo Imaging S.r.l."]
    assert "Maastricht Clinical Centre" not in limburg


def test_an_organisation_from_elsewhere_gets_both_regions_but_never_elsewhere(directory):
    names = _names(matchmaking.candidates_for(directory["zurich"]))
    assert set(names) == {
        "Bergamo Imaging S.r.l.",
        "Brianza Imaging S.r.l.",
        "Maastricht Clinical Centre",
    }
    assert "Geneva Imaging SA" not in names and "Zurich Imaging AG" not in names


def test_the_reasons_name_the_shared_fields_and_the_offers_meeting_needs_each_way(directory):
    best = matchmaking.candidates_for(directory["brianza"])[0]
    reasons = best.reasons
    assert [term.slug for term in reasons.shared_specialisations] == ["imaging", "diagnostics"]
    assert [term.slug for term in reasons.first_meets_second] == ["prototyping"]
    assert [term.slug for term in reasons.second_meets_first] == ["clinical-validation"]
    # Two shared fields at 1, two offers meeting needs at 2.
    assert best.score == 2 * matchmaking.SHARED_SPECIALISATION_WEIGHT + 2 * (
        matchmaking.OFFER_MEETS_NEED_WEIGHT
    )
    with force_locale("en"):
        assert matchmaking.reasons_in_words(best) == [
            "Both work in Medical imaging and Diagnostics.",
            "Brianza Imaging S.r.l. offers Prototyping and engineering, which Maastricht "
            "Clinical Centre seeks.",
            "Maastricht Clinical Centre offers Clinical validation site, which Brianza Imaging "
            "S.r.l. seeks.",
        ]
    # The terms in the reader's language, the list joined as that language does.
    assert "Diagnostica per immagini e Diagnostica" in matchmaking.reasons_in_words(best, "it")[0]


def test_organisations_sharing_nothing_are_left_out_and_ties_are_ranked_by_name(directory):
    assert "Sittard Rehab" not in _names(matchmaking.candidates_for(directory["brianza"]))
    # Bergamo and Brianza share one field each with Heerlen: a tie.
    tied = matchmaking.candidates_for(directory["heerlen"])
    assert [pair.score for pair in tied] == [1, 1]
    assert _names(tied) == ["Bergamo Imaging S.r.l.", "Brianza Imaging S.r.l."]
    assert _names(matchmaking.candidates_for(directory["brianza"], limit=1)) == [
        "Maastricht Clinical Centre"
    ]


def test_unlisted_organisations_are_candidates_only_in_the_admins_view(directory):
    assert "Venlo Quiet Imaging" not in _names(matchmaking.candidates_for(directory["brianza"]))
    with_unlisted = matchmaking.candidates_for(directory["brianza"], include_unlisted=True)
    assert "Venlo Quiet Imaging" in _names(with_unlisted)


# --- the partners page -----------------------------------------------------------------------------


def _member_of(make_user, profile, role=Role.MEMBER):
    user = make_user(role)
    user.organisation = profile.organisation
    db.session.commit()
    return user


def test_the_partners_page_shows_each_candidate_with_its_reasons(
    client, make_user, login, directory
):
    login(_member_of(make_user, directory["brianza"]))
    response = client.get(f"/network/organisations/{directory['brianza'].id}/partners")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Maastricht Clinical Centre" in page and "Heerlen Diagnostics B.V." in page
    assert page.index("Maastricht Clinical Centre") < page.index("Heerlen Diagnostics B.V.")
    assert "Both work in Medical imaging and Diagnostics." in page
    assert "Bergamo Imaging" not in page and "Sittard Rehab" not in page
    assert "Venlo Quiet Imaging" not in page  # unlisted: not even its name


def test_admins_see_unlisted_candidates_marked_as_such(client, people, login, directory):
    login(people.admin)
    page = client.get(f"/network/organisations/{directory['brianza'].id}/partners").get_data(
        as_text=True
    )
    assert "Venlo Quiet Imaging" in page and "Unlisted: shown to admins only" in page


def test_who_may_open_an_organisations_partners(client, make_user, login, people, directory):
    listed = f"/network/organisations/{directory['brianza'].id}/partners"
    unlisted = f"/network/organisations/{directory['venlo'].id}/partners"
    assert client.get(listed).status_code == 302  # visitors log in first
    login(make_user())  # signed in, but no organisation in the network
    assert client.get(listed).status_code == 403
    assert client.get(unlisted).status_code == 404  # does not tell it exists
    login(_member_of(make_user, directory["maastricht"]))  # a member of the network
    assert client.get(listed).status_code == 200
    assert client.get(unlisted).status_code == 404
    login(people.expert)
    assert client.get(listed).status_code == 200
    assert client.get(unlisted).status_code == 404
    login(_member_of(make_user, directory["venlo"]))  # its own people
    response = client.get(unlisted)
    assert response.status_code == 200
    assert "Brianza Imaging S.r.l." in response.get_data(as_text=True)
    login(people.admin)
    assert client.get(unlisted).status_code == 200
    assert client.get("/network/organisations/987654/partners").status_code == 404


def test_the_partners_page_runs_a_fixed_number_of_queries(
    client, people, login, directory, count_queries
):
    login(people.admin)
    counts = []
    for batch in range(2):
        for number in range(2 + 10 * batch):
            profile_of(
                f"Limburg Imaging {batch}-{number}",
                "limburg",
                specialisations=("imaging",),
                needs=("prototyping",),
            )
        with count_queries() as statements:
            response = client.get(f"/network/organisations/{directory['brianza'].id}/partners")
        assert response.status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1]


# --- rounds ------------------------------------------------------------------------------------------


def _open(admin, *slugs, title="Imaging and diagnostics, spring") -> MatchmakingRound:
    return network_rounds.open_round(admin, title, _theme_ids(*slugs))


def _pair_names(pairs) -> list[tuple[str, str]]:
    return [(pair.first.organisation.name, pair.second.organisation.name) for pair in pairs]


def test_a_rounds_pairs_are_cross_regional_within_its_themes_best_first(people, directory):
    opened = _open(people.admin, "imaging")
    pairs = network_rounds.suggested_pairs(opened)
    for pair in pairs:
        assert pair.first.id < pair.second.id
        assert matchmaking.is_cross_regional(pair.first, pair.second)
        assert {pair.first.region.value, pair.second.region.value} != {"other"}
        assert pair.first.region != pair.second.region
    names = _pair_names(pairs)
    assert names[0] == ("Brianza Imaging S.r.l.", "Maastricht Clinical Centre")
    flat = {name for pair in names for name in pair}
    assert "Venlo Quiet Imaging" not in flat  # unlisted
    assert "Sittard Rehab" not in flat and "Heerlen Diagnostics B.V." not in flat  # other themes
    assert ("Zurich Imaging AG", "Geneva Imaging SA") not in names
    scores = [pair.score for pair in pairs]
    assert scores == sorted(scores, reverse=True)


def test_the_round_page_shows_the_best_suggestions_and_says_how_many_there_are(
    client, people, login, directory, monkeypatch
):
    monkeypatch.setattr(admin_routes, "SUGGESTIONS_SHOWN", 2)
    opened = _open(people.admin, "imaging")
    total = len(network_rounds.suggested_pairs(opened))
    assert total > 2
    login(people.admin)
    page = client.get(f"/admin/network/rounds/{opened.id}").get_data(as_text=True)
    assert page.count('class="work-item suggested-pair"') == 2
    assert f"{total} pairs suggested" in page and "(the best 2 shown here;" in page


def test_opening_a_round_needs_a_title_and_a_theme(client, people, login, directory):
    login(people.admin)
    response = client.post("/admin/network/rounds/new", data={"title": "Spring round"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Choose at least one theme." in page and 'value="Spring round"' in page
    response = client.post(
        "/admin/network/rounds/new", data={"title": "", "themes": _theme_ids("imaging")}
    )
    assert response.status_code == 422
    assert db.session.scalar(select(func.count(MatchmakingRound.id))) == 0
    response = client.post(
        "/admin/network/rounds/new",
        data={"title": "Spring round", "themes": _theme_ids("imaging", "diagnostics")},
    )
    assert response.status_code == 302
    opened = db.session.scalar(select(MatchmakingRound))
    assert [theme.slug for theme in opened.themes] == ["imaging", "diagnostics"]
    response = client.post(
        "/admin/network/rounds/new",
        data={"title": "spring ROUND", "themes": _theme_ids("imaging")},
    )
    assert response.status_code == 422
    assert "Another round already has this title." in response.get_data(as_text=True)


def test_only_admins_run_rounds(people, directory):
    with pytest.raises(PermissionDenied):
        _open(people.expert, "imaging")


def test_accepting_a_pair_proposes_an_introduction_once_even_when_clicked_twice(
    client, people, login, directory
):
    opened = _open(people.admin, "imaging")
    login(people.admin)
    page = client.get(f"/admin/network/rounds/{opened.id}").get_data(as_text=True)
    assert "Both work in Medical imaging and Diagnostics." in page
    first, second = directory["maastricht"].id, directory["brianza"].id  # either order
    for _click in range(2):
        response = client.post(
            f"/admin/network/rounds/{opened.id}/accept",
            data={"first_id": first, "second_id": second},
        )
        assert response.status_code == 303
    introductions = db.session.scalars(select(Introduction)).all()
    assert len(introductions) == 1
    introduction = introductions[0]
    assert (introduction.first_profile_id, introduction.second_profile_id) == (second, first)
    assert introduction.state == IntroductionState.PROPOSED
    assert [step.state for step in introduction.steps] == [IntroductionState.PROPOSED]
    page = client.get(f"/admin/network/rounds/{opened.id}").get_data(as_text=True)
    assert "These two organisations are already introduced in this round." in page
    # Accepted pairs leave the suggestions.
    pairs = _pair_names(network_rounds.suggested_pairs(opened))
    assert ("Brianza Imaging S.r.l.", "Maastricht Clinical Centre") not in pairs
    with pytest.raises(RuleViolation):
        network_rounds.accept_pair(opened, people.admin, first, second)
    assert (
        db.session.scalar(
            select(func.count(AuditEntry.id)).where(
                AuditEntry.action == AuditAction.MATCHMAKING_PAIR_ACCEPTED.value
            )
        )
        == 1
    )


def test_a_pair_of_one_region_or_unknown_profiles_is_refused(client, people, login, directory):
    opened = _open(people.admin, "imaging")
    with pytest.raises(RuleViolation):
        network_rounds.accept_pair(
            opened, people.admin, directory["brianza"].id, directory["bergamo"].id
        )
    with pytest.raises(RuleViolation):
        network_rounds.accept_pair(
            opened, people.admin, directory["zurich"].id, directory["geneva"].id
        )
    login(people.admin)
    response = client.post(
        f"/admin/network/rounds/{opened.id}/accept", data={"first_id": "x", "second_id": "2"}
    )
    assert response.status_code == 303
    assert db.session.scalar(select(func.count(Introduction.id))) == 0


def test_a_pair_set_aside_is_not_suggested_again_in_that_round(client, people, login, directory):
    opened = _open(people.admin, "imaging")
    other_round = _open(people.admin, "imaging", title="Imaging, autumn")
    login(people.admin)
    for _click in range(2):
        response = client.post(
            f"/admin/network/rounds/{opened.id}/set-aside",
            data={"first_id": directory["brianza"].id, "second_id": directory["maastricht"].id},
        )
        assert response.status_code == 303
    assert db.session.scalar(select(func.count()).select_from(DismissedPair)) == 1
    pair = ("Brianza Imaging S.r.l.", "Maastricht Clinical Centre")
    assert pair not in _pair_names(network_rounds.suggested_pairs(opened))
    assert pair in _pair_names(network_rounds.suggested_pairs(other_round))
    # Accepted later after all: no longer set aside.
    network_rounds.accept_pair(
        opened, people.admin, directory["brianza"].id, directory["maastricht"].id
    )
    assert db.session.scalar(select(func.count()).select_from(DismissedPair)) == 0


def test_a_closed_round_takes_no_pair_until_reopened(people, directory):
    opened = _open(people.admin, "imaging")
    network_rounds.close_round(opened, people.admin)
    with pytest.raises(RuleViolation):
        network_rounds.accept_pair(
            opened, people.admin, directory["brianza"].id, directory["maastricht"].id
        )
    with pytest.raises(RuleViolation):
        network_rounds.close_round(opened, people.admin)
    network_rounds.reopen_round(opened, people.admin)
    network_rounds.accept_pair(
        opened, people.admin, directory["brianza"].id, directory["maastricht"].id
    )
    actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == [
        AuditAction.MATCHMAKING_ROUND_OPENED.value,
        AuditAction.MATCHMAKING_ROUND_CLOSED.value,
        AuditAction.MATCHMAKING_ROUND_REOPENED.value,
        AuditAction.MATCHMAKING_PAIR_ACCEPTED.value,
    ]


# --- an introduction's steps ------------------------------------------------------------------------


@pytest.fixture
def introduction(people, directory) -> Introduction:
    opened = _open(people.admin, "imaging")
    return network_rounds.accept_pair(
        opened, people.admin, directory["brianza"].id, directory["maastricht"].id
    )


def test_a_joint_proposal_needs_its_programme_and_call(client, people, login, introduction):
    login(people.admin)
    url = f"/admin/network/introductions/{introduction.id}"
    response = client.post(
        url,
        data={"state": "proposal-submitted", "note": "Sent on Friday.", "project_title": "Eyes"},
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Choose the programme the joint proposal was submitted to." in page
    assert "Sent on Friday." in page  # what was typed is kept
    response = client.post(url, data={"state": "proposal-submitted", "programme": "horizon-europe"})
    assert response.status_code == 422
    assert "Give the call&#39;s reference" in response.get_data(as_text=True)
    response = client.post(url, data={"state": "no-such-state"})
    assert response.status_code == 422
    db.session.expire_all()
    assert introduction.state == IntroductionState.PROPOSED
    assert len(introduction.steps) == 1
    response = client.post(
        url,
        data={
            "state": "proposal-submitted",
            "programme": "horizon-europe",
            "call_reference": "HORIZON-HLTH-2027-TEST-01",
            "project_title": "Earlier diagnosis",
        },
    )
    assert response.status_code == 303
    db.session.expire_all()
    assert introduction.state == IntroductionState.PROPOSAL_SUBMITTED
    assert introduction.programme == FundingProgramme.HORIZON_EUROPE
    assert introduction.call_reference == "HORIZON-HLTH-2027-TEST-01"
    assert introduction.project_title == "Earlier diagnosis"


def test_steps_go_forward_back_and_end_at_declined(people, introduction):
    admin = people.admin
    for state in (IntroductionState.AGREED, IntroductionState.MET):
        network_introductions.record_step(introduction, admin, StepDraft(state, "ok"))
    network_introductions.record_step(
        introduction,
        admin,
        StepDraft(IntroductionState.PROJECT_IDEA, project_title="  Shared   cohort  "),
    )
    assert introduction.project_title == "Shared cohort"
    network_introductions.record_step(
        introduction, admin, StepDraft(IntroductionState.AGREED, "Back.")
    )
    with pytest.raises(RuleViolation) as same_state:
        network_introductions.record_step(introduction, admin, StepDraft(IntroductionState.AGREED))
    assert same_state.value.field == "note"
    network_introductions.record_step(
        introduction, admin, StepDraft(IntroductionState.DECLINED, "No.")
    )
    with pytest.raises(RuleViolation) as after_declined:
        network_introductions.record_step(
            introduction, admin, StepDraft(IntroductionState.MET, "Met?")
        )
    assert after_declined.value.field == "state"
    states = [step.state.value for step in introduction.steps]
    assert states == ["proposed", "agreed", "met", "project-idea", "agreed", "declined"]
    details = db.session.scalars(
        select(AuditEntry.detail)
        .where(AuditEntry.action == AuditAction.INTRODUCTION_STEP_RECORDED.value)
        .order_by(AuditEntry.id)
    ).all()
    assert details[3] == "project-idea -> agreed (back)"
    assert len(details) == 5


def test_the_introduction_page_shows_its_steps_as_escaped_paragraphs(
    client, people, login, introduction
):
    network_introductions.record_step(
        introduction,
        people.admin,
        StepDraft(IntroductionState.AGREED, "Both agreed.\n\n<script>alert(1)</script>"),
    )
    login(people.admin)
    page = client.get(f"/admin/network/introductions/{introduction.id}").get_data(as_text=True)
    assert "<p>Both agreed.</p>" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert" not in page


# --- query counts of the admins' pages ---------------------------------------------------------------


def test_the_round_pages_run_a_fixed_number_of_queries(
    client, people, login, directory, count_queries
):
    login(people.admin)
    opened = _open(people.admin, "imaging", "diagnostics")
    counts: dict[str, list[int]] = {"list": [], "round": [], "introduction": []}
    for batch in range(2):
        for number in range(1 + 4 * batch):
            limburg = profile_of(
                f"Limburg Imaging {batch}-{number}", "limburg", specialisations=("imaging",)
            )
            introduction = network_rounds.accept_pair(
                opened, people.admin, directory["brianza"].id, limburg.id
            )
            network_introductions.record_step(
                introduction, people.admin, StepDraft(IntroductionState.AGREED, "Yes.")
            )
            _open(people.admin, "imaging", title=f"Another round {batch}-{number}")
        for key, url in (
            ("list", "/admin/network/rounds"),
            ("round", f"/admin/network/rounds/{opened.id}"),
            ("introduction", f"/admin/network/introductions/{introduction.id}"),
        ):
            with count_queries() as statements:
                response = client.get(url)
            assert response.status_code == 200, url
            counts[key].append(len(statements))
    for key, found in counts.items():
        assert found[0] == found[1], key


def test_the_rounds_list_counts_introductions_by_state(client, people, login, introduction):
    network_introductions.record_step(
        introduction, people.admin, StepDraft(IntroductionState.MET, ".")
    )
    [listing] = network_rounds.list_rounds()
    assert listing.by_state == {IntroductionState.MET: 1} and listing.introductions == 1
    login(people.admin)
    page = client.get("/admin/network/rounds").get_data(as_text=True)
    assert "Imaging and diagnostics, spring" in page


# --- the demo's round ---------------------------------------------------------------------------------


def test_the_demo_round_takes_introductions_to_a_project_idea_and_a_proposal(people, directory):
    opened = seed_network_rounds(people.admin)
    assert opened is not None and len(opened.themes) == 2
    assert {theme.slug for theme in opened.themes} == {"imaging", "diagnostics"}
    states = sorted(introduction.state.value for introduction in opened.introductions)
    assert states == ["project-idea", "proposal-submitted", "proposed"]
    submitted = next(
        introduction
        for introduction in opened.introductions
        if introduction.state == IntroductionState.PROPOSAL_SUBMITTED
    )
    assert submitted.programme == FundingProgramme.HORIZON_EUROPE
    assert submitted.call_reference == DEMO_CALL and "DEMO" in DEMO_CALL
    assert seed_network_rounds(people.admin).id == opened.id  # run again: nothing added
    assert (
        db.session.scalar(select(func.count(IntroductionStep.id))) == 3 + 3 + 4
    )  # three proposed, then three and four steps


def test_the_demo_round_needs_four_listed_profiles(people, app):
    profile_of("Solo Lombardy", "lombardy", specialisations=("imaging",))
    profile_of("Solo Limburg", "limburg", specialisations=("imaging",))
    assert seed_network_rounds(people.admin) is None
    assert db.session.scalar(select(func.count(MatchmakingRound.id))) == 0
