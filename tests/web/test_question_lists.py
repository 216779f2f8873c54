"""The question list's orders (newest, recently active, unanswered first) and its filters by
device class and stage, on the page and in the API: combined with the other filters and the
pages, bad values ignored, a fixed number of queries, and confidential questions kept out."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from forum.extensions import db
from forum.models import DevelopmentStage, DeviceClass, Role, Visibility
from forum.models.columns import utcnow
from forum.services import answers, moderation, questions
from forum.services.questions import QuestionDraft
from tests.factories import ask_question, published_board_answer, topic_id

ROW_TITLE = re.compile(r'class="question-title">\s*<a [^>]*>([^<]+)</a>')


def titles_on(client, query: str = "") -> list[str]:
    """The questions' titles in the list's order."""
    response = client.get("/questions" + query)
    assert response.status_code == 200, query
    return ROW_TITLE.findall(response.get_data(as_text=True))


def _asked(
    author,
    title: str,
    *,
    days_ago: int,
    device_class: DeviceClass = DeviceClass.CLASS_IIB,
    stage: DevelopmentStage = DevelopmentStage.PROTOTYPE,
    visibility: Visibility = Visibility.PUBLIC,
    topics: tuple[str, ...] = ("regulatory-pathway",),
):
    question = questions.ask(
        author,
        QuestionDraft(
            title=title,
            body="A body long enough for the form: our device and its first study.",
            topic_ids=[topic_id(slug) for slug in topics],
            device_class=device_class,
            stage=stage,
            visibility=visibility,
        ),
    )
    # Asked days apart, so "newest" has one answer whatever the clock's resolution.
    question.created_at = question.updated_at = question.last_activity_at = utcnow() - timedelta(
        days=days_ago
    )
    db.session.commit()
    return question


@pytest.fixture
def three(make_user):
    """An old question answered yesterday, a middle one unanswered, a new one answered."""
    asker, expert = make_user(), make_user(Role.EXPERT)
    old = _asked(
        asker,
        "Old question on a class III implant",
        days_ago=30,
        device_class=DeviceClass.CLASS_III,
        stage=DevelopmentStage.CONCEPT,
    )
    middle = _asked(
        asker,
        "Middle question on an IVD kit at preclinical stage",
        days_ago=20,
        device_class=DeviceClass.IVD,
        stage=DevelopmentStage.PRECLINICAL,
    )
    new = _asked(asker, "New question on a class IIb tool prototype", days_ago=10)
    answers.post_answer(new, expert, "The notified body decides; ask it early.")
    new.last_activity_at = utcnow() - timedelta(days=9)
    answers.post_answer(old, expert, "Ministry authorisation is needed for class III.")
    old.last_activity_at = utcnow() - timedelta(days=1)
    db.session.commit()
    return old, middle, new


def test_the_list_is_newest_first_by_default_and_with_sort_newest(client, three):
    old, middle, new = three
    expected = [new.title, middle.title, old.title]
    assert titles_on(client) == expected
    assert titles_on(client, "?sort=newest") == expected


def test_recently_active_puts_the_latest_answered_thread_first(client, three):
    old, middle, new = three
    assert titles_on(client, "?sort=active") == [old.title, new.title, middle.title]
    page = client.get("/questions?sort=active").get_data(as_text=True)
    assert 'class="last-activity"' in page  # the row says when the thread last moved
    assert 'class="last-activity"' not in client.get("/questions").get_data(as_text=True)


def test_unanswered_first_then_newest(client, three, make_user):
    old, middle, new = three
    newer_unanswered = _asked(make_user(), "Newest question nobody answered yet", days_ago=2)
    assert titles_on(client, "?sort=unanswered") == [
        newer_unanswered.title,
        middle.title,
        new.title,
        old.title,
    ]


def test_filters_by_device_class_and_by_stage(client, three):
    old, middle, new = three
    assert titles_on(client, "?device_class=III") == [old.title]
    assert titles_on(client, "?device_class=IVD") == [middle.title]
    assert titles_on(client, "?stage=prototype") == [new.title]
    assert titles_on(client, "?device_class=III&stage=concept") == [old.title]
    assert titles_on(client, "?device_class=III&stage=prototype") == []
    assert "No questions match these filters." in client.get("/questions?device_class=I").get_data(
        as_text=True
    )


def test_filters_combine_with_topic_status_unanswered_and_sort(client, make_user, three):
    old, middle, new = three
    ethics = _asked(
        make_user(),
        "Ethics committee question on a class III implant",
        days_ago=5,
        device_class=DeviceClass.CLASS_III,
        stage=DevelopmentStage.CONCEPT,
        topics=("ethics-committee",),
    )
    assert titles_on(client, "?device_class=III&sort=newest") == [ethics.title, old.title]
    assert titles_on(client, "?device_class=III&sort=active") == [old.title, ethics.title]
    assert titles_on(client, "?device_class=III&topic=ethics-committee") == [ethics.title]
    assert titles_on(client, "?device_class=III&status=answered") == [old.title]
    assert titles_on(client, "?device_class=III&unanswered=1&sort=active") == [ethics.title]
    assert titles_on(client, "?stage=concept&sort=unanswered") == [ethics.title, old.title]


def test_the_form_keeps_its_choices_in_the_url_and_shows_them_selected(client, three):
    page = client.get(
        "/questions?device_class=IVD&stage=preclinical&sort=unanswered&unanswered=1"
    ).get_data(as_text=True)
    assert re.search(r'<form class="filters" method="get"', page)
    for name, value in (("device_class", "IVD"), ("stage", "preclinical"), ("sort", "unanswered")):
        select = re.search(rf'<select [^>]*name="{name}">(.*?)</select>', page, re.S).group(1)
        assert re.findall(r'<option value="([^"]*)" selected', select) == [value], name
    assert re.search(r'id="filter-unanswered"[^>]*checked', page)


def test_the_filters_are_labelled_in_italian(client, three):
    page = client.get("/questions?device_class=IVD", headers={"Accept-Language": "it"}).get_data(
        as_text=True
    )
    assert "Ordina per" in page and "Più recenti" in page and "Prima quelle senza risposta" in page
    assert "Qualsiasi classe del dispositivo" in page and "Qualsiasi fase" in page


@pytest.mark.parametrize(
    "query",
    [
        "?sort=bogus",
        "?sort=",
        "?sort=NEWEST",
        "?device_class=IV",
        "?device_class=%27%22;--",
        "?stage=%F0%9F%98%80",
        "?stage=&device_class=",
        "?device_class[]=III",
    ],
)
def test_bad_sort_and_filter_values_show_the_default_list(client, three, query):
    old, middle, new = three
    assert titles_on(client, query) == [new.title, middle.title, old.title]
    page = client.get("/questions" + query).get_data(as_text=True)
    chosen = re.search(r'<select [^>]*name="sort">(.*?)</select>', page, re.S).group(1)
    assert re.findall(r'<option value="([^"]*)" selected', chosen) == ["newest"]


def test_a_bad_value_leaves_the_good_ones_applied(client, three):
    old, middle, new = three
    assert titles_on(client, "?device_class=bogus&stage=concept&sort=nonsense") == [old.title]


def test_paging_keeps_the_sort_and_the_filters(app, client, make_user):
    app.config["QUESTIONS_PER_PAGE"] = 2
    author = make_user()
    for number in range(5):
        _asked(
            author,
            f"Implant question number {number}",
            days_ago=10 - number,
            device_class=DeviceClass.CLASS_III,
        )
    _asked(
        author,
        "A class I question outside the filter",
        days_ago=1,
        device_class=DeviceClass.CLASS_I,
    )
    first = client.get("/questions?device_class=III&sort=newest").get_data(as_text=True)
    assert "<span>Page 1</span>" in first  # its total is known on the last page only
    next_link = re.search(r'<a rel="next" href="([^"]+)"', first).group(1).replace("&amp;", "&")
    assert "device_class=III" in next_link and "sort=newest" in next_link and "page=2" in next_link
    assert titles_on(client, next_link.removeprefix("/questions")) == [
        "Implant question number 2",
        "Implant question number 1",
    ]
    assert titles_on(client, "?device_class=III&page=3") == ["Implant question number 0"]
    last = client.get("/questions?device_class=III&page=3").get_data(as_text=True)
    assert "Page 3 of 3" in last and 'class="result-count">5 questions<' in last


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?sort=active",
        "?sort=unanswered",
        "?sort=active&device_class=IIb&stage=prototype&topic=regulatory-pathway",
    ],
)
def test_the_sorted_and_filtered_list_runs_a_fixed_number_of_queries(
    app, client, make_user, count_queries, query
):
    app.config["PAGE_CACHE_SECONDS"] = 0
    asker, expert = make_user(), make_user(Role.EXPERT)
    counts = []
    for batch in (1, 11):  # 1 question of each kind, then 12
        for number in range(batch):
            question = ask_question(asker, title=f"Class IIb question {batch}-{number}")
            answers.post_answer(question, expert, "Ask the notified body before the study.")
            ask_question(
                asker,
                title=f"Confidential class IIb question {batch}-{number}",
                visibility=Visibility.CONFIDENTIAL,
            )
        with count_queries() as statements:
            assert client.get("/questions" + query).status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1], counts


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?sort=active",
        "?sort=unanswered",
        "?device_class=IIb",
        "?stage=prototype",
        "?device_class=IIb&stage=prototype&sort=unanswered&unanswered=1",
    ],
)
def test_no_sort_or_filter_shows_or_counts_a_confidential_question(client, make_user, login, query):
    owner, stranger, expert = make_user(), make_user(), make_user(Role.EXPERT)
    secret = ask_question(
        owner, title="Secret pivotal study of our IIb device", visibility=Visibility.CONFIDENTIAL
    )
    public = ask_question(owner, title="Public question about our IIb device")
    secret.last_activity_at = utcnow() + timedelta(hours=1)  # first whatever the order
    db.session.commit()

    def seen() -> tuple[list[str], str]:
        page = client.get("/questions" + query).get_data(as_text=True)
        return ROW_TITLE.findall(page), re.search(r'class="result-count">([^<]+)<', page).group(1)

    for reader in (None, stranger):
        if reader:
            login(reader)
        assert seen() == ([public.title], "1 question"), reader
    for reader in (owner, expert):
        login(reader)
        listed, count = seen()
        assert secret.title in listed and count == "2 questions"


def test_the_api_sorts_and_filters_as_the_page_does(client, three):
    old, middle, new = three

    def api_titles(query: str) -> list[str]:
        response = client.get("/api/v1/questions" + query)
        assert response.status_code == 200, response.get_json()
        return [item["title"] for item in response.get_json()["items"]]

    assert api_titles("") == [new.title, middle.title, old.title]
    assert api_titles("?sort=active") == [old.title, new.title, middle.title]
    assert api_titles("?sort=unanswered") == [middle.title, new.title, old.title]
    assert api_titles("?device_class=III") == [old.title]
    assert api_titles("?stage=preclinical&sort=active") == [middle.title]
    item = client.get("/api/v1/questions?sort=active").get_json()["items"][0]
    assert item["last_activity_at"] > item["created_at"]


def test_the_api_names_a_bad_sort_or_filter_value(client, three):
    for query, name in (
        ("?sort=oldest", "sort"),
        ("?device_class=IV", "device_class"),
        ("?stage=market", "stage"),
    ):
        response = client.get("/api/v1/questions" + query)
        assert response.status_code == 400
        assert name in response.get_data(as_text=True)


def test_the_openapi_document_lists_the_new_parameters(client):
    document = client.get("/api/v1/openapi.json").get_json()
    parameters = {
        item["name"]: item["schema"]
        for item in document["paths"]["/questions"]["get"]["parameters"]
    }
    assert parameters["sort"]["enum"] == ["newest", "active", "unanswered"]
    assert parameters["sort"]["default"] == "newest"
    assert "IVD" in parameters["device_class"]["enum"]
    assert "preclinical" in parameters["stage"]["enum"]


def _stale(question) -> None:
    question.last_activity_at = utcnow() - timedelta(days=40)
    db.session.commit()


def _moved(question) -> bool:
    db.session.refresh(question)
    return question.last_activity_at > utcnow() - timedelta(minutes=1)


def test_last_activity_moves_with_an_answer_an_edit_and_a_board_answer(people):
    question = ask_question(people.asker)
    assert _moved(question)  # asked now

    _stale(question)
    answer = answers.post_answer(question, people.expert, "Twenty to thirty patients.")
    assert _moved(question)

    _stale(question)
    answers.edit_answer(answer, people.expert, "Twenty to thirty patients, as a rule.")
    assert _moved(question)

    _stale(question)
    questions.edit(
        question,
        people.asker,
        QuestionDraft(
            title=question.title + " (edited)",
            body=question.body,
            topic_ids=[topic.id for topic in question.topics],
            device_class=question.device_class,
            stage=question.stage,
            visibility=question.visibility,
        ),
    )
    assert _moved(question)

    _stale(question)
    published_board_answer(question, people.board, "The board's view: twenty to thirty.")
    assert _moved(question)


def test_a_comment_or_a_helpful_mark_does_not_count_as_activity(people):
    question = ask_question(people.asker)
    answer = answers.post_answer(question, people.expert, "Twenty to thirty patients.")
    _stale(question)
    answers.post_comment(question, people.asker, "Thank you, that helps.")
    answers.set_helpful(answer, people.asker, helpful=True)
    assert not _moved(question)


def test_an_edit_of_a_hidden_answer_does_not_move_its_thread(people):
    """A reader of the list sorted by activity must not learn that a text they cannot
    see was changed."""
    question = ask_question(people.asker)
    answer = answers.post_answer(question, people.expert, "Twenty to thirty patients.")
    moderation.act(people.admin, answer, moderation.Action.HIDE, "Wrong advice.")
    _stale(question)
    answers.edit_answer(answer, people.expert, "Twenty to thirty patients, as a rule.")
    assert not _moved(question)
