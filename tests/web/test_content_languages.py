"""Content in English and Italian (issue 24): the language users write in, the Italian of
short labels, of surveys and of the centre's pages, and the outdated state of a
translation whose English changed after it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.models import (
    Answer,
    CentrePage,
    Comment,
    ContentLanguage,
    LabelTranslation,
    Question,
    Role,
    SurveyItemKind,
    Topic,
)
from forum.services import (
    answers,
    centre_pages,
    clinics,
    label_translations,
    survey_answers,
    survey_translation,
)
from forum.services import survey as surveys
from forum.services.centre_pages import PageDraft
from forum.services.clinics import ClinicDraft
from forum.services.errors import PermissionDenied
from forum.services.search import finder
from forum.services.search.finder import SearchFilters
from forum.services.survey import ItemDraft
from forum.services.survey_translation import ItemTranslation, SurveyTranslation
from tests.factories import ask_question, question_form
from tests.fixtures.diffs import insertions

ITALIAN = {"Accept-Language": "it"}
ENGLISH = {"Accept-Language": "en"}


@pytest.fixture
def admin(make_user):
    return make_user(Role.ADMIN)


# --- the language users write in ------------------------------------------------------


def test_the_ask_form_offers_the_interface_language_and_stores_the_one_chosen(
    client, login, make_user
):
    member = make_user()
    login(member)
    page = client.get("/questions/ask", headers=ITALIAN).get_data(as_text=True)
    assert '<option selected value="it">Italiano</option>' in page
    response = client.post(
        "/questions/ask",
        data=question_form(
            title="Serve il parere del comitato etico prima della domanda?", language="it"
        ),
        headers=ITALIAN,
    )
    assert response.status_code == 302
    question = db.session.scalar(select(Question).order_by(Question.id.desc()))
    assert question.language == ContentLanguage.IT
    # Read in English, the Italian question is marked as Italian.
    page = client.get(f"/questions/{question.id}", headers=ENGLISH).get_data(as_text=True)
    assert '<h1 id="question-title" lang="it">Serve il parere' in page


def test_an_unknown_language_is_refused_beside_its_field_and_the_text_is_kept(
    client, login, make_user
):
    login(make_user())
    response = client.post(
        "/questions/ask",
        data=question_form(title="A question in a language we do not offer", language="fr"),
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "A question in a language we do not offer" in page
    assert 'id="language-error"' in page
    assert db.session.scalar(select(Question.id)) is None


def test_answers_and_comments_record_their_language_and_pages_mark_it(client, login, make_user):
    member, expert = make_user(), make_user(Role.EXPERT)
    question = ask_question(member)
    login(expert)
    client.post(
        f"/questions/{question.id}/answers",
        data={
            "body": "Serve la notifica al Ministero della Salute: MDR Art. 70.",
            "language": "it",
        },
    )
    client.post(
        f"/questions/{question.id}/comments",
        data={"body": "Un chiarimento sul centro di Pavia.", "language": "it"},
    )
    answer = db.session.scalar(select(Answer))
    comment = db.session.scalar(select(Comment))
    assert answer.language == comment.language == ContentLanguage.IT
    page = client.get(f"/questions/{question.id}", headers=ENGLISH).get_data(as_text=True)
    assert '<div class="post-body" lang="it"><p>Serve la notifica' in page
    assert '<div class="comment-body" lang="it"><p>Un chiarimento' in page
    # The English question, on an English page, carries no attribute.
    assert '<h1 id="question-title">Which pathway' in page


def test_the_api_takes_and_gives_the_language(client, make_user):
    from forum.services.accounts import api_tokens

    member = make_user()
    headers = {"Authorization": f"Bearer {api_tokens.create(member, 'script').secret}"}
    body = {
        "title": "Serve il parere del comitato etico territoriale?",
        "body": "Stiamo preparando un'indagine clinica su un dispositivo di classe IIa.",
        "topics": ["ethics-committee"],
        "device_class": "IIa",
        "stage": "prototype",
        "language": "it",
    }
    response = client.post("/api/v1/questions", json=body, headers=headers, csrf=False)
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["language"] == "it"
    body["language"] = "de"
    refused = client.post("/api/v1/questions", json=body, headers=headers, csrf=False)
    assert refused.status_code == 422
    del body["language"]  # the account's language, English when none is chosen
    assert (
        client.post("/api/v1/questions", json=body, headers=headers, csrf=False).get_json()[
            "language"
        ]
        == "en"
    )


def test_search_finds_across_languages_and_marks_each_hit(app, make_user):
    member, expert = make_user(), make_user(Role.EXPERT)
    question = ask_question(
        member,
        title="Serve il parere del comitato etico territoriale?",
        body="Una indagine clinica multicentrica in Lombardia.",
    )
    question.language = ContentLanguage.IT
    db.session.commit()
    answers.post_answer(
        question,
        expert,
        "The ethics committee opinion comes first here.",
        language=ContentLanguage.EN,
    )
    # A thread is one result: each part is looked for on its own.
    hits = {
        kind: finder.search(
            expert, "comitato etico ethics committee", SearchFilters(kinds=frozenset({kind}))
        ).hits[0]
        for kind in ("question", "answer")
    }
    assert hits["question"].title_lang == hits["question"].snippet_lang == "it"
    assert hits["answer"].title_lang == "it" and hits["answer"].snippet_lang == "en"


# --- short labels ----------------------------------------------------------------------


def test_admins_translate_labels_side_by_side_and_readers_get_them(client, login, admin):
    clinics.create_clinic(
        admin,
        ClinicDraft(
            name="Ospedale di prova",
            city="Lodi",
            specialties="Cardiology; Geriatrics",
            populations="Older adults",
        ),
    )
    rows = {row.english: row for row in label_translations.translation_rows()}
    topic = db.session.scalar(select(Topic).where(Topic.slug == "pmcf"))
    assert rows[topic.name].italian == "Follow-up clinico post-commercializzazione (PMCF)"
    login(admin)
    response = client.post(
        "/admin/translations",
        data={rows["Cardiology"].key: "Cardiologia", rows["Older adults"].key: "Anziani"},
    )
    assert response.status_code == 302
    page = client.get("/clinics", headers=ITALIAN).get_data(as_text=True)
    assert "<span>Cardiologia</span>" in page and "<span>Anziani</span>" in page
    assert '<span lang="en">Geriatrics</span>' in page  # not translated: English, marked
    # The Italian names are searchable too.
    assert "Ospedale di prova" in client.get("/clinics?q=anziani", headers=ITALIAN).get_data(
        as_text=True
    )
    # Emptied, a name is removed: the English again.
    client.post("/admin/translations", data={rows["Cardiology"].key: ""})
    assert (
        db.session.scalar(
            select(LabelTranslation.italian).where(LabelTranslation.source == "Cardiology")
        )
        is None
    )


def test_a_label_too_long_is_refused_beside_it_and_nothing_is_saved(client, login, admin):
    topic = db.session.scalar(select(Topic).where(Topic.slug == "pmcf"))
    login(admin)
    response = client.post("/admin/translations", data={f"topic-{topic.id}": "x" * 121})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'id="topic-{topic.id}-error"' in page and "x" * 121 in page
    db.session.expire_all()
    assert topic.name_it == "Follow-up clinico post-commercializzazione (PMCF)"


def test_only_admins_translate_labels(make_user):
    with pytest.raises(PermissionDenied):
        label_translations.save_translations(make_user(Role.EXPERT), {})


# --- surveys ---------------------------------------------------------------------------


def _survey(admin):
    survey = surveys.create_survey(admin, "How useful is the forum?", "Two minutes.")
    likert = surveys.add_item(
        survey, admin, ItemDraft(SurveyItemKind.LIKERT, "The answers were useful.")
    )
    single = surveys.add_item(
        survey,
        admin,
        ItemDraft(SurveyItemKind.SINGLE, "How did you hear?", ("A colleague", "Other")),
    )
    survey_translation.translate(
        survey,
        admin,
        SurveyTranslation(
            "Quanto ti è utile il forum?",
            "Due minuti.",
            {
                likert.id: ItemTranslation("Le risposte sono state utili."),
                single.id: ItemTranslation("Come lo hai saputo?", ("Da un collega", "Altro")),
            },
        ),
    )
    return survey, likert, single


def test_an_italian_reader_answers_the_survey_in_italian_and_the_english_option_is_stored(
    client, login, admin, make_user
):
    survey, likert, single = _survey(admin)
    surveys.open_survey(survey, admin)
    member = make_user()
    login(member)
    page = client.get("/survey", headers=ITALIAN).get_data(as_text=True)
    assert "<h1>Quanto ti è utile il forum?</h1>" in page
    assert "Come lo hai saputo?" in page and "Da un collega" in page
    assert 'value="A colleague"' in page
    client.post(
        "/survey",
        data={f"item_{likert.id}": "4", f"item_{single.id}": "A colleague"},
        headers=ITALIAN,
    )
    assert survey_answers.has_answered(survey, member)


def test_a_survey_edited_in_english_shows_its_italian_as_outdated_until_translated_again(
    client, login, admin, make_user
):
    survey, likert, single = _survey(admin)
    assert likert.italian_outdated_since is None
    surveys.edit_item(
        likert, admin, ItemDraft(SurveyItemKind.LIKERT, "The answers were useful and on time.")
    )
    assert likert.italian_outdated_since is not None
    assert single.italian_outdated_since is None
    login(admin)
    page = client.get(f"/admin/surveys/{survey.id}/italian").get_data(as_text=True)
    assert page.count("translation-outdated") == 1
    surveys.open_survey(survey, admin)
    login(make_user())
    reader = client.get("/survey", headers=ITALIAN).get_data(as_text=True)
    assert "Il testo inglese di questo questionario è cambiato il" in reader
    # The Italian saved again clears the mark (a translation may follow an opened survey).
    survey_translation.translate(
        survey,
        admin,
        SurveyTranslation(
            survey.title_it,
            survey.description_it,
            {
                likert.id: ItemTranslation("Le risposte sono state utili e puntuali."),
                single.id: ItemTranslation(single.prompt_it, tuple(single.option_list_it)),
            },
        ),
    )
    assert likert.italian_outdated_since is None


def test_italian_options_must_match_the_english_ones(client, login, admin):
    survey, _likert, single = _survey(admin)
    login(admin)
    response = client.post(
        f"/admin/surveys/{survey.id}/italian",
        data={"title_it": "Titolo", f"options_it-{single.id}": "Solo una"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'id="options_it-{single.id}-error"' in page and "Solo una" in page
    db.session.expire_all()
    assert survey.title_it == "Quanto ti è utile il forum?"


def test_an_untranslated_survey_is_shown_in_english_marked_so(client, login, admin, make_user):
    survey = surveys.create_survey(admin, "A survey in English only", "")
    surveys.add_item(survey, admin, ItemDraft(SurveyItemKind.LIKERT, "The forum helps me."))
    surveys.open_survey(survey, admin)
    login(make_user())
    page = client.get("/survey", headers=ITALIAN).get_data(as_text=True)
    assert '<h1 lang="en">A survey in English only</h1>' in page
    assert '<span lang="en">The forum helps me.</span>' in page
    assert "non è ancora tradotto nella tua lingua" in page


# --- the centre's pages ----------------------------------------------------------------


def _contact(admin, base, **texts):
    draft = {
        "title_en": "Contact",
        "body_en": "Write to us.",
        "title_it": "Contatti",
        "body_it": "Scrivici.",
        **texts,
    }
    return centre_pages.save(CentrePage.CONTACT, admin, PageDraft(**draft), base_number=base)


def test_a_centre_page_edited_in_english_shows_its_italian_outdated_with_the_diff(
    client, login, admin
):
    _contact(admin, 0)
    second = _contact(admin, 1, body_en="Write to us.\n\nOffice hours: working days.")
    assert second.italian_outdated_since is not None
    italian = client.get("/contact", headers=ITALIAN).get_data(as_text=True)
    assert "Il testo inglese di questa pagina è cambiato il" in italian
    login(admin)
    edit = client.get("/admin/pages/contact").get_data(as_text=True)
    assert insertions(edit) == ["Office hours: working days."]
    # A further English edit keeps the first date; an Italian edit clears it.
    third = _contact(admin, 2, body_en="Write to us.\n\nOffice hours: weekdays.")
    assert third.italian_outdated_since == second.italian_outdated_since
    fourth = _contact(
        admin,
        3,
        body_en="Write to us.\n\nOffice hours: weekdays.",
        body_it="Scrivici.\n\nOrari: giorni feriali.",
    )
    assert fourth.italian_outdated_since is None
    assert centre_pages.english_changes_since_translation(CentrePage.CONTACT) is None


def test_an_italian_checked_as_current_clears_the_mark_without_changing(admin):
    _contact(admin, 0)
    _contact(admin, 1, body_en="Write to us today.")
    checked = centre_pages.save(
        CentrePage.CONTACT,
        admin,
        PageDraft(
            "Contact",
            "Write to us today.",
            "Contatti",
            "Scrivici.",
            note="checked",
            italian_checked=True,
        ),
        base_number=2,
    )
    assert checked.italian_outdated_since is None


def test_a_page_without_italian_is_missing_not_outdated(client, admin):
    centre_pages.save(CentrePage.ABOUT, admin, PageDraft("About", "The centre."), base_number=0)
    second = centre_pages.save(
        CentrePage.ABOUT, admin, PageDraft("About", "The centre, again."), base_number=1
    )
    assert second.italian_outdated_since is None
    page = client.get("/about", headers=ITALIAN).get_data(as_text=True)
    assert "non è ancora tradotta nella tua lingua" in page


def test_italian_clinic_pages_load_in_a_fixed_number_of_queries(client, admin, count_queries):
    def queries() -> int:
        with count_queries() as statements:
            assert client.get("/clinics", headers=ITALIAN).status_code == 200
        return len(statements)

    clinics.create_clinic(
        admin, ClinicDraft(name="Clinica 0", city="Lodi", specialties="Cardiology")
    )
    label_translations.save_translations(
        admin,
        {
            row.key: "Cardiologia"
            for row in label_translations.translation_rows()
            if row.english == "Cardiology"
        },
    )
    few = queries()
    for number in range(1, 8):
        clinics.create_clinic(
            admin,
            ClinicDraft(
                name=f"Clinica {number}", city=f"Città {number}", specialties=f"Specialty {number}"
            ),
        )
    assert queries() == few


# --- the migration ---------------------------------------------------------------------

BEFORE_CONTENT_LANGUAGES = "c5e8a2d7f3b1"


def test_the_migration_marks_earlier_texts_english_names_the_topics_and_goes_back(app, make_user):
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import text

    member = make_user()
    question = ask_question(member)
    question_id = question.id
    db.session.remove()  # no transaction may hold a lock the downgrade's DDL waits for
    downgrade(revision=BEFORE_CONTENT_LANGUAGES)
    try:
        columns = (
            {row[1] for row in db.session.execute(text("PRAGMA table_info(question)"))}
            if db.engine.dialect.name == "sqlite"
            else set(
                db.session.scalars(
                    text(
                        "SELECT column_name FROM information_schema.columns "
                        "WHERE table_name = 'question'"
                    )
                )
            )
        )
        assert "language" not in columns
        db.session.remove()
        upgrade()
        # Everything written before the migration was written in English.
        assert db.session.get(Question, question_id).language == ContentLanguage.EN
        topic = db.session.scalar(select(Topic).where(Topic.slug == "regulatory-pathway"))
        assert topic.name_it == "Percorso regolatorio"
    finally:
        db.session.remove()
        upgrade()


def test_an_italian_text_is_indexed_by_its_italian_stems_only_and_still_found(people):
    """One term per Italian word: two (an English and an Italian stem), each rare in a
    mostly English forum, scored an Italian thread twice on SQLite's BM25 (since
    replaced) and put it
    above the English answers to English queries. A query's word still brings both."""
    from forum.models import (
        ContentLanguage,
        DevelopmentStage,
        DeviceClass,
        SearchDocument,
        SearchText,
        Topic,
        Visibility,
    )
    from forum.services import questions
    from forum.services.questions import QuestionDraft
    from forum.services.search import finder
    from forum.services.search.terms import index_terms

    question = questions.ask(
        people.asker,
        QuestionDraft(
            title="Comitato etico territoriale competente",
            body="Quale comitato valuta la nostra indagine multicentrica?",
            topic_ids=[db.session.scalar(select(Topic.id).order_by(Topic.id))],
            device_class=DeviceClass.CLASS_IIA,
            stage=DevelopmentStage.PROTOTYPE,
            visibility=Visibility.PUBLIC,
            language=ContentLanguage.IT,
        ),
    )
    terms = db.session.scalar(
        select(SearchText.body_terms)
        .join(SearchDocument)
        .where(SearchDocument.question_id == question.id)
    ).split()
    assert (
        terms
        == index_terms("Quale comitato valuta la nostra indagine multicentrica?", "it").split()
    )
    assert "comitato" not in terms and "comit" in terms
    assert question.id in [hit.object_id for hit in finder.search(None, "comitati etici").hits]
