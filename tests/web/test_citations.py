"""Citations: recognising clauses, keeping the index in step with the texts, clause pages
that show only what the reader may see, and rebuilding the index."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, func, select

from forum.extensions import db
from forum.models import Citation, GuideSection, Topic, Visibility
from forum.services import answers, board, citations, faq, official_texts
from tests.factories import People, ask_question, published_board_answer

PUBLIC_ANSWER = "Notify the Ministry under MDR Art. 70(1); see also MDCG 2021-6."
SECRET_ANSWER = "For your CardioPatch study: MDR Art. 74(1) applies, and GDPR Art. 9 for the data."


def topic(slug: str = "pmcf") -> Topic:
    return db.session.scalar(select(Topic).where(Topic.slug == slug))


def cited(subject_type: str, subject_id: int) -> set[str]:
    return set(
        db.session.scalars(
            select(Citation.clause).where(
                Citation.subject_type == subject_type, Citation.subject_id == subject_id
            )
        )
    )


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.get_data(as_text=True)


def secret_answer(people: People):
    question = ask_question(
        people.asker, title="Our confidential CardioPatch study", visibility=Visibility.CONFIDENTIAL
    )
    return answers.post_answer(question, people.expert, SECRET_ANSWER)


def public_answer(
    people: People, body: str = PUBLIC_ANSWER, title: str = "A public pathway question"
):
    question = ask_question(people.asker, title=title)
    return answers.post_answer(question, people.expert, body)


# --- recognising clauses --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("MDR Art. 70", {"mdr-art-70": "MDR Art. 70"}),
        ("under MDR Art. 70(1) and MDR Article 70", {"mdr-art-70": "MDR Art. 70"}),
        ("MDR Art.62(4)(b)", {"mdr-art-62": "MDR Art. 62"}),
        ("IVDR Art. 58(1)", {"ivdr-art-58": "IVDR Art. 58"}),
        ("MDR Annex XV, Chapter II", {"mdr-annex-xv": "MDR Annex XV"}),
        ("ISO 14155 Annex A", {"iso-14155-annex-a": "ISO 14155 Annex A"}),
        ("EN ISO 14971:2019", {"iso-14971": "ISO 14971"}),
        (
            "MDCG 2021-6 and MDCG 2020-13",
            {"mdcg-2021-6": "MDCG 2021-6", "mdcg-2020-13": "MDCG 2020-13"},
        ),
        ("D.Lgs. 137/2022 Art. 16", {"d-lgs-137-2022-art-16": "D.Lgs. 137/2022 Art. 16"}),
        ("D. Lgs. 137/2022 Art.16", {"d-lgs-137-2022-art-16": "D.Lgs. 137/2022 Art. 16"}),
        ("GDPR Art. 9(2)(j)", {"gdpr-art-9": "GDPR Art. 9"}),
        ("a cycle of MDR\n   Art. 70: hard-wrapped", {"mdr-art-70": "MDR Art. 70"}),
        (
            "see MDCG\n2021-6 and D.Lgs.\n137/2022\nArt. 16",
            {"mdcg-2021-6": "MDCG 2021-6", "d-lgs-137-2022-art-16": "D.Lgs. 137/2022 Art. 16"},
        ),
        ("ISO 14155\n\nAnnex A is a new paragraph", {"iso-14155": "ISO 14155"}),
        ("the mdr, article 70 of it, and ISO", {}),
    ],
)
def test_clauses_are_recognised_in_the_forms_the_centre_writes(text, expected):
    assert citations.extract_clauses(text) == expected


def test_the_clause_list_is_grouped_by_family_in_numeric_order():
    clauses = [
        "GDPR Art. 9",
        "MDR Annex XV",
        "MDR Art. 70",
        "MDR Art. 9",
        "ISO 14155 Annex J",
        "ISO 14155 Annex I",
        "D.Lgs. 137/2022 Art. 16",
        "MDCG 2021-6",
        "MDCG 2020-10/1",
        "IVDR Art. 58",
        "MDR Annex IX",
        "ISO 14155",
    ]
    ordered = sorted(clauses, key=citations.clause_sort_key)
    assert ordered == [
        "MDR Art. 9",
        "MDR Art. 70",
        "MDR Annex IX",
        "MDR Annex XV",
        "IVDR Art. 58",
        "ISO 14155",
        "ISO 14155 Annex I",
        "ISO 14155 Annex J",
        "MDCG 2020-10/1",
        "MDCG 2021-6",
        "D.Lgs. 137/2022 Art. 16",
        "GDPR Art. 9",
    ]
    assert [citations.clause_family(c) for c in ("D.Lgs. 137/2022 Art. 16", "ISO 14155")] == [
        "italian-law",
        "iso",
    ]


# --- the index follows the texts ----------------------------------------------------------------


def test_posting_and_editing_an_answer_keeps_its_citations_in_step(people):
    answer = public_answer(people)
    assert cited("answer", answer.id) == {"MDR Art. 70", "MDCG 2021-6"}
    answers.edit_answer(answer, people.expert, "Only ISO 14155 Annex A matters here.")
    assert cited("answer", answer.id) == {"ISO 14155 Annex A"}
    row = db.session.scalar(select(Citation).where(Citation.subject_id == answer.id))
    assert row.question_id == answer.question_id


def test_a_board_answer_cites_once_published_and_stops_when_withdrawn(people):
    question = ask_question(people.asker)
    in_review = board.open_board_answer(question, people.expert, "Draft citing MDR Art. 70.")
    board.submit_for_review(in_review, people.expert)
    assert cited("board-answer", in_review.id) == set()
    board.withdraw(in_review, people.chair, "Started again.")

    published = published_board_answer(question, people.board, "Published: MDR Art. 77 applies.")
    assert cited("board-answer", published.id) == {"MDR Art. 77"}
    # An amendment in review does not change what the published text cites.
    board.revise(published, people.expert, "Amended: ISO 14155 Annex D instead.", base_number=1)
    assert cited("board-answer", published.id) == {"MDR Art. 77"}
    board.withdraw(published, people.chair, "Superseded by the new decree.")
    assert cited("board-answer", published.id) == set()


def test_faq_entries_cite_while_published(people):
    answer = public_answer(people)
    entry = faq.promote_answer(
        people.admin,
        answer,
        question_text="When is MDR Art. 70 used?",
        answer_text="For investigations of non-CE devices.",
        topic=topic(),
    )
    assert cited("faq-entry", entry.id) == {"MDR Art. 70"}
    faq.edit_entry(
        entry,
        people.admin,
        "When is a notification needed?",
        "See IVDR Art. 58 for performance studies.",
        topic(),
    )
    assert cited("faq-entry", entry.id) == {"IVDR Art. 58"}
    faq.unpublish(entry, people.admin)
    assert cited("faq-entry", entry.id) == set()
    faq.republish(entry, people.admin)
    assert cited("faq-entry", entry.id) == {"IVDR Art. 58"}


# --- reading: what the viewer may see --------------------------------------------------------------


def test_a_confidential_answer_is_on_its_clause_page_only_for_those_who_see_the_question(
    client, login, people
):
    answer = secret_answer(people)
    public_answer(people, body="Investigations of class III devices: MDR Art. 74 too.")
    url = "/citations/mdr-art-74"
    for viewer in (None, people.other):
        client.post("/logout")
        if viewer is not None:
            login(viewer)
        shown = page(client, url)
        assert "A public pathway question" in shown
        assert "CardioPatch" not in shown and f"/questions/{answer.question_id}" not in shown
        assert "Cited in 1 text you can read." in shown
        # A clause only the confidential answer cites does not exist for them.
        assert client.get("/citations/gdpr-art-9").status_code == 404
    for viewer in (people.asker, people.expert, people.admin):
        login(viewer)
        shown = page(client, url)
        assert "Our confidential CardioPatch study" in shown
        assert f"/questions/{answer.question_id}/" in shown and f"#answer-{answer.id}" in shown
        assert "Cited in 2 texts you can read." in shown
        assert page(client, "/citations/gdpr-art-9")


def test_the_clause_list_counts_only_what_the_viewer_may_see(client, login, people):
    secret_answer(people)
    public_answer(people)
    public_answer(people, body="Also MDR Art. 74 here.", title="Another public question")
    visitor = {item.slug: item.count for item in citations.clause_index(people.other)}
    assert visitor == {"mdr-art-70": 1, "mdcg-2021-6": 1, "mdr-art-74": 1}
    expert = {item.slug: item.count for item in citations.clause_index(people.expert)}
    assert expert == {"mdr-art-70": 1, "mdcg-2021-6": 1, "mdr-art-74": 2, "gdpr-art-9": 1}
    listing = page(client, "/citations")
    assert "GDPR" not in listing.split("<main")[1].split("</main>")[0]
    assert 'href="/citations/mdr-art-74"' in listing and "cited once" in listing
    assert listing.index("MDR Art. 70") < listing.index("MDCG 2021-6")
    login(people.asker)
    listing = page(client, "/citations")
    assert 'href="/citations/gdpr-art-9"' in listing and "cited 2 times" in listing


def test_clause_pages_gather_answers_board_answers_faq_and_guide(client, login, people):
    question = ask_question(people.asker, title="The ethics opinion and the Ministry")
    published_board_answer(
        question, people.board, "The board: MDR Art. 70 and D.Lgs. 137/2022 Art. 16."
    )
    answer = public_answer(people)
    entry = faq.promote_answer(
        people.admin,
        answer,
        question_text="Who validates under MDR Art. 70?",
        answer_text="The Ministry of Health.",
        topic=topic(),
    )
    draft_question = ask_question(people.asker, title="A question whose board answer is a draft")
    board.open_board_answer(draft_question, people.expert, "Draft: MDR Art. 70 as well.")
    db.session.add(
        GuideSection(
            level=2,
            position=1,
            title="Notifying the Ministry",
            anchor="notifying-the-ministry",
            body="Under MDR Art. 70 ...",
        )
    )
    db.session.commit()
    citations.reindex_all()

    shown = page(client, "/citations/mdr-art-70")
    assert "<h1>MDR Art. 70</h1>" in shown
    assert "In the FAQ" in shown and f'href="/faq?entry={entry.id}#faq-{entry.id}"' in shown
    assert "In the guide" in shown and 'href="/guide#notifying-the-ministry"' in shown
    assert "In the board's answers" in shown and "#board-answer" in shown
    assert "In the experts' answers" in shown and f"#answer-{answer.id}" in shown
    assert "A question whose board answer is a draft" not in shown
    assert "Cited in 4 texts you can read." in shown
    assert client.get("/citations/mdr-art-999").status_code == 404
    assert client.get("/citations/" + "x" * 500).status_code == 404


def test_an_faq_entry_shows_the_clauses_it_cites(client, people):
    answer = public_answer(people)
    faq.promote_answer(
        people.admin,
        answer,
        question_text="Which rules apply?",
        answer_text="MDR Art. 70(1), then ISO 14155 Annex A.",
        topic=topic(),
    )
    shown = page(client, "/faq")
    assert "Cites:" in shown
    assert '<a href="/citations/mdr-art-70">MDR Art. 70</a>' in shown
    assert '<a href="/citations/iso-14155-annex-a">ISO 14155 Annex A</a>' in shown
    assert page(client, "/citations/iso-14155-annex-a")


def test_the_footer_links_the_clause_list(client):
    assert 'href="/citations"' in page(client, "/")


# --- rebuilding ---------------------------------------------------------------------------------------


def test_the_reindex_command_rebuilds_the_index_from_what_readers_see(app, people):
    answer = public_answer(people)
    question = ask_question(people.asker, title="A board question")
    board_answer = published_board_answer(question, people.board, "Board: MDR Art. 77.")
    entry = faq.promote_answer(
        people.admin, answer, question_text="MDR Art. 70?", answer_text="Yes.", topic=topic()
    )
    # An answer is promoted once: the unpublished entry is drawn from the board's answer.
    hidden = faq.promote_board_answer(
        people.admin,
        board_answer,
        question_text="GDPR Art. 9?",
        answer_text="Hidden.",
        topic=topic(),
    )
    faq.unpublish(hidden, people.admin)
    section = GuideSection(
        level=2,
        position=1,
        title="Safety reporting under MDR Art. 80",
        anchor="safety-reporting",
        body="Report without delay.",
    )
    db.session.add(section)
    db.session.commit()
    expected = {
        ("answer", answer.id): {"MDR Art. 70", "MDCG 2021-6"},
        ("board-answer", board_answer.id): {"MDR Art. 77"},
        ("faq-entry", entry.id): {"MDR Art. 70"},
        ("guide-section", section.id): {"MDR Art. 80"},
    }
    db.session.execute(delete(Citation))
    db.session.add(
        Citation(
            clause="MDR Art. 1",
            clause_slug="mdr-art-1",
            subject_type="answer",
            subject_id=answer.id,
            question_id=answer.question_id,
        )
    )
    db.session.commit()

    result = app.test_cli_runner().invoke(args=["citations", "reindex"])
    assert result.exit_code == 0, result.output
    assert (
        "Citations rebuilt: 5 from 1 answers, 1 published board answers, 1 published FAQ "
        "entries and 1 guide sections." in result.output
    )
    for (subject_type, subject_id), clauses in expected.items():
        assert cited(subject_type, subject_id) == clauses
    assert cited("faq-entry", hidden.id) == set()
    assert db.session.scalar(select(func.count()).where(Citation.clause_slug == "mdr-art-1")) == 0


# --- queries ---------------------------------------------------------------------------------------------


def test_a_clause_page_and_the_list_run_a_fixed_number_of_queries(
    client, login, people, count_queries
):
    login(people.other)
    counts = {"/citations/mdr-art-70": [], "/citations": []}
    for number in range(2):
        # Each round adds answers (public and confidential), a board answer, an FAQ entry
        # and a guide section citing the clause; the second round adds more of each.
        for extra in range(1 + number * 4):
            answer = public_answer(people, title=f"Public question {number}-{extra}")
            secret_answer(people)
            question = ask_question(people.asker, title=f"Board question {number}-{extra}")
            published_board_answer(question, people.board, "Board: MDR Art. 70.")
            faq.promote_answer(
                people.admin,
                answer,
                question_text=f"FAQ {number}-{extra}: MDR Art. 70?",
                answer_text="Yes.",
                topic=topic(),
            )
            db.session.add(
                GuideSection(
                    level=2,
                    position=extra,
                    title=f"Section {number}-{extra}",
                    anchor=f"section-{number}-{extra}",
                    body="MDR Art. 70.",
                )
            )
            db.session.commit()
        citations.reindex_all()
        for url, seen in counts.items():
            with count_queries() as statements:
                assert client.get(url).status_code == 200
            seen.append(len(statements))
    for url, (few, many) in counts.items():
        assert few == many, url


# --- the official text beside each clause ------------------------------------------------------


@pytest.mark.parametrize(
    ("clause", "url"),
    [
        ("MDR Art. 70", "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:32017R0745"),
        ("MDR Annex XV", "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:32017R0745"),
        ("IVDR Art. 58", "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:32017R0746"),
        ("GDPR Art. 9", "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:32016R0679"),
        ("CTR Art. 2", "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:32014R0536"),
        ("MDCG 2020-10/1", official_texts.MDCG_PAGE),
        (
            "D.Lgs. 137/2022 Art. 16",
            "https://www.gazzettaufficiale.it/eli/id/2022/09/13/22G00145/sg",
        ),
        (
            "D.Lgs. 196/2003 Art. 110",
            "https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:"
            "decreto.legislativo:2003-06-30;196",
        ),
    ],
)
def test_each_cited_document_maps_to_its_official_text(clause, url):
    assert official_texts.official_text(clause).url == url


@pytest.mark.parametrize("clause", ["ISO 14155 Annex A", "D.Lgs. 81/2008 Art. 2"])
def test_no_link_is_guessed_for_a_document_without_a_known_free_official_text(clause):
    assert official_texts.official_text(clause) is None


def test_a_clause_page_links_the_official_text_in_the_readers_language(client, people):
    public_answer(people, body="Under MDR Art. 70(1), and D.Lgs. 137/2022 Art. 16 for Italy.")
    english = page(client, "/citations/mdr-art-70")
    assert (
        'href="https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:32017R0745"' in english
    ) and "The official text on EUR-Lex" in english
    italian = client.get(
        "/citations/mdr-art-70", headers={"Accept-Language": "it-IT,it;q=0.9"}
    ).get_data(as_text=True)
    assert 'href="https://eur-lex.europa.eu/legal-content/IT/TXT/?uri=CELEX:32017R0745"' in italian
    decree = page(client, "/citations/d-lgs-137-2022-art-16")
    assert 'href="https://www.gazzettaufficiale.it/eli/id/2022/09/13/22G00145/sg"' in decree
