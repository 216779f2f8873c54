"""Members' Markdown is stored rendered beside the text: every write keeps the copy in step,
a copy from another renderer version is never used, and ``forum markdown rerender`` catches
stale rows up."""

from __future__ import annotations

from flask_migrate import downgrade, upgrade
from sqlalchemy import select, text, update

from forum.extensions import db
from forum.markdown_render import RENDERER_VERSION, render_markdown
from forum.models import (
    Answer,
    BoardAnswer,
    Comment,
    FaqEntry,
    FaqEntryTranslation,
    Question,
    Stance,
    Topic,
    Visibility,
)
from forum.models.rendered_markdown import markdown_models
from forum.services import answers, board, faq, faq_translations, moderation, questions
from forum.services.accounts import deletion
from forum.services.moderation import Action
from forum.services.questions import QuestionDraft
from tests.factories import ask_question, published_board_answer
from tests.fixtures.people import PASSWORD

BEFORE = "7c1e4b9a2f60"  # the migration's down_revision
HOSTILE = (
    "Read this <script>alert(1)</script> and [the form](javascript:alert(2)) "
    '<img src=x onerror="alert(3)">'
)


def stored(model, row_id: int) -> tuple[str | None, int]:
    """A row's stored copy of its first text and its version, read from the database."""
    db.session.expire_all()
    row = db.session.get(model, row_id)
    return getattr(row, model.markdown_texts[0].html), row.markdown_version


def test_every_text_the_hot_pages_show_is_declared():
    assert {model.__name__ for model in markdown_models()} == {
        "Answer",
        "BoardAnswer",
        "Comment",
        "FaqEntry",
        "FaqEntryTranslation",
        "Question",
        "Stance",
    }


def test_writing_a_text_stores_its_rendered_html(app, people):
    question = ask_question(people.asker, body="We plan **twenty** patients.")
    answer = answers.post_answer(question, people.expert, "- one\n- two")
    comment = answers.post_comment(question, people.asker, "See `Art. 62`.", answer=answer)

    assert stored(Question, question.id) == (
        "<p>We plan <strong>twenty</strong> patients.</p>",
        RENDERER_VERSION,
    )
    assert stored(Answer, answer.id) == (str(render_markdown("- one\n- two")), RENDERER_VERSION)
    assert stored(Comment, comment.id) == ("<p>See <code>Art. 62</code>.</p>", RENDERER_VERSION)


def test_editing_a_text_updates_its_stored_html(app, people):
    question = ask_question(people.asker, body="The first text.")
    answer = answers.post_answer(question, people.expert, "The first answer.")

    answers.edit_answer(answer, people.expert, "The *amended* answer.")
    draft = QuestionDraft(
        title=question.title,
        body="The _second_ text.",
        topic_ids=[topic.id for topic in question.topics],
        device_class=question.device_class,
        stage=question.stage,
        visibility=question.visibility,
    )
    questions.edit(question, people.asker, draft)

    assert stored(Answer, answer.id)[0] == "<p>The <em>amended</em> answer.</p>"
    assert stored(Question, question.id)[0] == "<p>The <em>second</em> text.</p>"


def test_a_hostile_body_is_cleaned_in_the_stored_copy(app, people):
    question = ask_question(people.asker, body=HOSTILE)

    html, _version = stored(Question, question.id)
    assert "Read this" in html
    for forbidden in ("<script", "javascript:", "onerror", "<img"):
        assert forbidden not in html.lower()


def test_a_copy_of_the_current_version_is_what_pages_read(app, people):
    question = ask_question(people.asker, body="As written.")
    db.session.execute(
        text("UPDATE question SET body_html = '<p>the stored copy</p>' WHERE id = :id"),
        {"id": question.id},
    )
    db.session.expire_all()

    assert str(db.session.get(Question, question.id).rendered("body")) == "<p>the stored copy</p>"


def test_a_stale_copy_is_not_used_and_reading_writes_nothing(app, people):
    question = ask_question(people.asker, body="The text **as written**.")
    db.session.execute(
        text(
            "UPDATE question SET body_html = '<p>old renderer</p>', markdown_version = :old"
            " WHERE id = :id"
        ),
        {"id": question.id, "old": RENDERER_VERSION - 1},
    )
    db.session.commit()
    db.session.expire_all()
    row = db.session.get(Question, question.id)

    assert str(row.rendered("body")) == "<p>The text <strong>as written</strong>.</p>"
    assert not db.session.dirty
    assert stored(Question, question.id) == ("<p>old renderer</p>", RENDERER_VERSION - 1)


def test_a_removed_text_shows_its_tombstone_not_its_copy(app, people):
    question = ask_question(people.asker, body="Details that must go.")
    answer = answers.post_answer(question, people.expert, "An answer to remove.")

    moderation.act(people.admin, answer, Action.REMOVE, "Off topic.")

    db.session.expire_all()
    row = db.session.get(Answer, answer.id)
    assert row.body_html == ""  # the erased text's copy went with it
    assert str(row.rendered("body")) == "<p>Answer removed by the moderators.</p>"


def test_a_bulk_erasure_erases_the_copy_too(app, people, make_user):
    asker = make_user(name="Leaving Member")
    question = ask_question(
        asker, body="Our confidential protocol.", visibility=Visibility.CONFIDENTIAL
    )
    comment = answers.post_comment(question, asker, "Our confidential dosage.")

    deletion.delete_account(asker, PASSWORD)

    assert stored(Question, question.id) == ("", RENDERER_VERSION)
    assert stored(Comment, comment.id) == ("", RENDERER_VERSION)


def test_a_bulk_update_without_the_value_marks_the_row_stale(app, people):
    question = ask_question(people.asker, body="Lower me.")

    db.session.execute(
        update(Question)
        .where(Question.id == question.id)
        .values(stored_body=Question.stored_body + " And more.")
    )
    db.session.commit()

    assert stored(Question, question.id) == (None, 0)
    assert "Lower me. And more." in str(db.session.get(Question, question.id).rendered("body"))


def test_board_texts_and_stance_reasons_are_stored(app, people):
    question = ask_question(people.asker)
    board_answer = published_board_answer(question, people.board, "The board's **view**.")
    board.revise(
        board_answer, people.chair, "The board's amended view.", board_answer.current_number
    )

    db.session.expire_all()
    row = db.session.get(BoardAnswer, board_answer.id)
    assert row.body_html == "<p>The board's amended view.</p>"
    assert row.published_body_html == "<p>The board's <strong>view</strong>.</p>"
    assert row.markdown_version == RENDERER_VERSION
    stance = db.session.scalars(select(Stance)).first()
    assert stance.reason_html == str(render_markdown(stance.reason))


def test_faq_entries_and_their_translations_are_stored(app, people):
    question = ask_question(people.asker)
    answer = answers.post_answer(question, people.expert, "Notify the Ministry.")
    topic = db.session.scalar(select(Topic).where(Topic.slug == "pmcf"))
    entry = faq.promote_answer(
        people.admin,
        answer,
        question_text="Whom do we notify?",
        answer_text="The *Ministry*.",
        topic=topic,
    )
    first = dict(title="Chi notifichiamo?", source_number=1, note="")
    faq_translations.edit_translation(
        entry, people.admin, "it", body="Il *Ministero*.", base_number=0, **first
    )
    faq_translations.edit_translation(
        entry, people.admin, "it", body="Il **Ministero**.", base_number=1, **first
    )

    assert stored(FaqEntry, entry.id)[0] == "<p>The <em>Ministry</em>.</p>"
    translation = db.session.scalar(select(FaqEntryTranslation))
    assert stored(FaqEntryTranslation, translation.id) == (
        "<p>Il <strong>Ministero</strong>.</p>",
        RENDERER_VERSION,
    )


def test_the_rerender_command_fixes_stale_rows_and_a_second_run_finds_none(app, people):
    question = ask_question(people.asker, body="Question *text*.")
    answer = answers.post_answer(question, people.expert, "Answer *text*.")
    board_answer = published_board_answer(question, people.board, "Board *text*.")
    for table in ("question", "answer", "board_answer"):
        db.session.execute(
            text(f"UPDATE {table} SET markdown_version = 0, body_html = '<p>stale</p>'")  # noqa: S608
        )
    db.session.commit()
    ids = question.id, answer.id, board_answer.id

    first = app.test_cli_runner().invoke(args=["markdown", "rerender", "--batch-size", "1"])
    second = app.test_cli_runner().invoke(args=["markdown", "rerender"])

    assert first.exit_code == 0, first.output
    assert "Question: 1 re-rendered" in first.output
    assert "Answer: 1 re-rendered" in first.output
    assert "BoardAnswer: 1 re-rendered" in first.output
    assert "Markdown re-rendered: 3 rows." in first.output
    assert "Markdown re-rendered: 0 rows." in second.output
    assert stored(Question, ids[0]) == ("<p>Question <em>text</em>.</p>", RENDERER_VERSION)
    assert stored(Answer, ids[1]) == ("<p>Answer <em>text</em>.</p>", RENDERER_VERSION)
    assert stored(BoardAnswer, ids[2]) == (
        "<p>Board <em>text</em>.</p>",
        RENDERER_VERSION,
    )


def test_the_migration_renders_the_rows_already_written(app, people):
    question = ask_question(people.asker, body="Written *before* the migration.")
    answer = answers.post_answer(question, people.expert, "An answer <script>x</script>too.")
    db.session.commit()
    ids = question.id, answer.id
    db.session.remove()

    downgrade(revision=BEFORE)
    upgrade()

    assert stored(Question, ids[0]) == (
        "<p>Written <em>before</em> the migration.</p>",
        RENDERER_VERSION,
    )
    html, version = stored(Answer, ids[1])
    assert "<script" not in html and "too." in html and version == RENDERER_VERSION
