"""Every history and comparison page shows its differences the one readable way: the words
inserted and deleted marked with <ins> and <del>, no unified-diff "@@" line, the user's text
escaped, times to the minute, in English and Italian, in a fixed number of queries."""

from __future__ import annotations

import re

import pytest

from forum.models import CentrePage, Role
from forum.services import answers, board, centre_pages, faq
from forum.services.centre_pages import PageDraft
from forum.services.guide import editing, importing, proposals, translated
from tests.factories import approved_release, ask_question, question_form
from tests.fixtures.diffs import deletions, insertions
from tests.web.test_faq_curation import entry_for
from tests.web.test_guide import SMALL, _section

ITALIAN = {"Accept-Language": "it-IT,it;q=0.9"}

# Markdown and markup in a user's text: shown as typed, never rendered nor run.
BEFORE = "Plain line.\n\nSend **the form** and <b>the</b> draft."
AFTER = "Plain line.\n\nSend **the signed form** and <script>alert(1)</script> draft."


def assert_readable(page: str) -> None:
    """The text edited from BEFORE to AFTER, shown word by word and escaped."""
    assert "@@" not in page
    assert " signed" in insertions(page)
    assert "script>alert(1)</script" in insertions(page)
    assert "b>the</b" in deletions(page)
    assert "<script>alert" not in page and "alert(1)&lt;/script" in page
    assert "Send **the" in page  # the Markdown as typed, not rendered


@pytest.fixture
def guide():
    importing.import_guide(SMALL, None)


def test_a_question_history_marks_the_changed_words(client, login, people):
    question = ask_question(people.asker, body=BEFORE)
    login(people.asker)
    edited = client.post(f"/questions/{question.id}/edit", data=question_form(body=AFTER))
    assert edited.status_code == 302
    history = client.get(f"/questions/{question.id}/revisions").get_data(as_text=True)
    assert_readable(history)
    assert "Do we need Ministry authorisation for a class IIb study?" in insertions(history)
    assert history.count('class="diff-legend') == 1  # one key for the page, not per revision


def test_an_answer_history_marks_the_changed_words(client, login, people):
    answer = answers.post_answer(ask_question(people.asker), people.expert, BEFORE)
    login(people.expert)
    client.post(f"/questions/answers/{answer.id}/edit", data={"body": AFTER, "note": "signed"})
    assert_readable(client.get(f"/questions/answers/{answer.id}/revisions").get_data(as_text=True))


def test_a_board_answer_comparison_marks_the_changed_words(client, login, people):
    board_answer = board.open_board_answer(ask_question(people.asker), people.expert, BEFORE)
    board.revise(board_answer, people.clinical, AFTER, base_number=1)
    login(people.chair)
    url = f"/board/answers/{board_answer.id}/revisions?from=1&to=2"
    assert_readable(client.get(url).get_data(as_text=True))


def test_a_guide_section_history_and_a_proposal_mark_the_changed_words(
    client, login, people, guide
):
    section = _section("Italy")
    editing.edit_section(section, people.admin, title="Italy", body=BEFORE, base_number=1)
    editing.edit_section(section, people.admin, title="Italy", body=AFTER, base_number=2)
    history = client.get(f"/guide/sections/{section.id}/history").get_data(as_text=True)
    assert_readable(history)
    proposal = proposals.propose(people.expert, section, title="Italy", body=BEFORE)
    login(people.admin)
    shown = client.get(f"/guide/proposals/{proposal.id}").get_data(as_text=True)
    # The proposal against the current text: the edit undone.
    assert "@@" not in shown and " signed" in deletions(shown) and "b>the</b" in insertions(shown)


def test_a_release_comparison_marks_the_changed_words_and_the_changelog_has_no_hunks(
    client, people, guide
):
    section = _section("Italy")
    editing.edit_section(section, people.admin, title="Italy", body=BEFORE, base_number=1)
    approved_release("1.0", "First release", people.admin)
    editing.edit_section(section, people.admin, title="Italy", body=AFTER, base_number=2)
    approved_release("1.1", "Signed forms", people.admin)
    assert_readable(client.get("/guide/compare?from=1.0&to=1.1").get_data(as_text=True))
    assert "@@" not in client.get("/guide/changelog").get_data(as_text=True)


def test_a_faq_history_marks_the_changed_words(client, login, people):
    entry = entry_for(people)
    faq.edit_entry(entry, people.admin, entry.question_text, BEFORE, entry.topic)
    faq.edit_entry(entry, people.admin, entry.question_text, AFTER, entry.topic)
    login(people.admin)
    assert_readable(client.get(f"/faq/entries/{entry.id}/history").get_data(as_text=True))


def test_a_centre_page_history_marks_the_changed_words_in_each_language(client, login, people):
    for number, body in enumerate((BEFORE, AFTER)):
        centre_pages.save(
            CentrePage.ABOUT,
            people.admin,
            PageDraft(title_en="About", body_en=body, title_it="Chi siamo", body_it=body),
            base_number=number,
        )
    history = client.get("/about/history").get_data(as_text=True)
    assert_readable(history)
    assert 'class="diff" lang="it"' in history and 'class="diff" lang="en"' in history
    login(people.admin)
    edit = client.get("/admin/pages/about").get_data(as_text=True)
    assert "@@" not in edit


def test_a_translation_history_and_its_editor_mark_the_changed_words(client, login, people, guide):
    section = _section("Italy")
    for base, body in enumerate((BEFORE, AFTER)):
        translated.edit_translation(
            section,
            people.admin,
            "it",
            title="Italia",
            body=body,
            source_number=section.current_number,
            base_number=base,
        )
    history = client.get(
        f"/guide/sections/{section.id}/translations/it/history", headers=ITALIAN
    ).get_data(as_text=True)
    assert_readable(history)
    editing.edit_section(section, people.admin, title="Italy", body=AFTER, base_number=1)
    login(people.admin)
    editor = client.get(f"/guide/sections/{section.id}/translations/it", headers=ITALIAN)
    assert editor.status_code == 200 and "@@" not in editor.get_data(as_text=True)
    # What changed in the English since: the section's text, escaped too.
    changes = editor.get_data(as_text=True)
    assert AFTER.splitlines()[-1] in insertions(changes) and "<script>alert" not in changes


def test_in_italian_the_marks_are_named_in_italian_and_times_have_no_seconds(client, login, people):
    question = ask_question(people.asker, body=BEFORE)
    login(people.asker)
    client.post(f"/questions/{question.id}/edit", data=question_form(body=AFTER))
    history = client.get(f"/questions/{question.id}/revisions", headers=ITALIAN).get_data(
        as_text=True
    )
    assert "Legenda:" in history
    assert '<ins><span class="visually-hidden">aggiunto: </span> signed</ins>' in history
    assert '<del><span class="visually-hidden">rimosso: </span>b&gt;the&lt;/b</del>' in history
    times = re.findall(r"<time datetime=\"[^\"]+\">([^<]+)</time>", history)
    assert len(times) == 2
    assert all(re.fullmatch(r"\d{1,2} \w+ \d{4}, \d{2}:\d{2}", time) for time in times), times


def test_an_english_history_gives_times_to_the_minute(client, login, people):
    question = ask_question(people.asker, body=BEFORE)
    login(people.asker)
    client.post(f"/questions/{question.id}/edit", data=question_form(body=AFTER))
    history = client.get(f"/questions/{question.id}/revisions").get_data(as_text=True)
    times = re.findall(r"<time datetime=\"[^\"]+\">([^<]+)</time>", history)
    assert times and all(
        re.fullmatch(r"\w{3} \d{1,2}, \d{4}, \d{1,2}:\d{2}\s[AP]M", time) for time in times
    ), times


def test_a_long_text_folds_its_unchanged_lines(client, login, people):
    body = "\n".join(f"Paragraph {n} of the protocol synopsis." for n in range(1, 31))
    question = ask_question(people.asker, body=body)
    login(people.asker)
    client.post(
        f"/questions/{question.id}/edit",
        data=question_form(
            title=question.title, body=body.replace("Paragraph 20 of", "Paragraph 20, amended, of")
        ),
    )
    history = client.get(f"/questions/{question.id}/revisions").get_data(as_text=True)
    assert insertions(history)[0] == ", amended,"
    # Title, blank line and paragraphs 1-16 before the change; 24-30 after it.
    assert "… 18 unchanged lines …" in history and "… 7 unchanged lines …" in history
    assert "Paragraph 17 of" in history and "Paragraph 23 of" in history


def test_the_question_and_answer_histories_cost_the_same_queries_however_many_revisions(
    client, login, people, make_user, count_queries
):
    def edited(times: int) -> tuple[int, int]:
        question = ask_question(people.asker, body=BEFORE)
        answer = answers.post_answer(question, people.expert, BEFORE)
        for number in range(times):
            login(people.asker)
            client.post(
                f"/questions/{question.id}/edit",
                data=question_form(body=f"{AFTER} Edit {number}."),
            )
            login(people.expert)
            client.post(
                f"/questions/answers/{answer.id}/edit",
                data={"body": f"{AFTER} Edit {number}.", "note": ""},
            )
        return question.id, answer.id

    def counted(url: str) -> int:
        with count_queries() as statements:
            assert client.get(url).status_code == 200
        return len(statements)

    few, many = edited(1), edited(6)
    login(make_user(Role.EXPERT))
    for template in ("/questions/{}/revisions", "/questions/answers/{}/revisions"):
        index = 0 if template.startswith("/questions/{}") else 1
        counted(template.format(few[index]))  # warm-up: the first render loads the session
        assert counted(template.format(few[index])) == counted(template.format(many[index]))
