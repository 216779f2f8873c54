"""The API's JSON shapes: what the pages show, as plain data.

Each function takes what a service returned and the acting user, and gives
what the matching page would show that user, no more: a clinic's contact only
for experts and admins, an FAQ entry's source only to readers who may see its
question. Markdown fields come as their source and as the sanitised HTML the
pages show: the stored copy of a member's text (``rendered(...)``, forum/models/
rendered_markdown.py), else rendered by ``markdown_render``. The shapes are the payload models'
(``payloads.py`` and the subjects' ``*_payloads.py``), from which the OpenAPI document's
schemas are made; tests check every response against them.
"""

from __future__ import annotations

from datetime import date, datetime

from flask import url_for

from forum.markdown_render import render_markdown
from forum.models import (
    Answer,
    ApiToken,
    BoardAnswer,
    Clinic,
    Comment,
    DeclarationOfInterest,
    FaqEntry,
    GuideRelease,
    Question,
    StanceKind,
    Topic,
    User,
)
from forum.permissions import (
    can_answer,
    can_comment,
    can_edit_question,
    can_moderate,
    can_see_clinic_contact,
    can_see_question,
    can_see_released_contacts,
    can_see_text,
    shown_texts,
)
from forum.services import clinics, faq
from forum.services.guide.markdown import GuideDocument, Section
from forum.services.guide.translated import ShownGuide
from forum.services.guide.tree import CurrentGuide, SectionNode
from forum.services.questions import QuestionPage
from forum.services.translations import Shown
from forum.slugs import slugify


def moment(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def html(text: str | None) -> str:
    return str(render_markdown(text))


def topic(item: Topic) -> dict:
    # The Italian name is empty until an admin writes it.
    return {"id": item.id, "slug": item.slug, "name": item.name, "name_it": item.name_it}


def person(user: User) -> dict:
    """Who wrote something, as a list names them."""
    return {"id": user.id, "display_name": user.display_name}


def byline(
    user: User, *, as_given: bool = False, declaration: DeclarationOfInterest | None = None
) -> dict:
    """Who wrote something, as a question page names them (with an expert's area and interests).

    For what an expert gave (an answer, a stance), ``as_given`` with the declaration
    version recorded then, as the page shows it; otherwise their current declaration.
    """
    interests = None
    if as_given:
        if declaration is not None and declaration.text:
            interests = {"text": declaration.text, "declared_at": moment(declaration.declared_at)}
    else:
        profile = user.expert_profile if user.is_expert else None
        if profile is not None and profile.conflicts:
            interests = {
                "text": profile.conflicts,
                "declared_at": moment(profile.conflicts_declared_at),
            }
    return {
        "id": user.id,
        "display_name": user.display_name,
        "is_expert": user.is_expert,
        "expert_area": user.area.value if user.is_expert and user.area else None,
        "is_chair": bool(user.is_expert and user.is_chair),
        "organisation": user.organisation.name if user.organisation else None,
        "declared_interests": interests,
    }


def me(user: User, token: ApiToken) -> dict:
    """The caller's account, and what the token they called with may do."""
    return {
        "id": user.id,
        "display_name": user.display_name,
        "email": user.email,
        "role": user.role.value,
        "expert_area": user.area.value if user.area else None,
        "is_chair": bool(user.is_chair),
        "organisation": user.organisation.name if user.organisation else None,
        "locale": user.locale,
        "created_at": moment(user.created_at),
        "token": {
            "name": token.name,
            "read_only": token.read_only,
            "expires_at": moment(token.expires_at),
        },
    }


# --- questions ------------------------------------------------------------------------


def _question_links(question: Question) -> dict:
    return {
        "self": url_for("api.get_question", question_id=question.id),
        "html": url_for("questions.show", question_id=question.id, slug=slugify(question.title)),
    }


def question_summary(question: Question) -> dict:
    return {
        "id": question.id,
        "title": question.title,
        "language": question.language.value,
        "status": question.status.value,
        "visibility": question.visibility.value,
        "device_class": question.device_class.value,
        "stage": question.stage.value,
        "topics": [topic(item) for item in question.topics],
        "author": person(question.author),
        "answer_count": question.answer_count,
        "created_at": moment(question.created_at),
        "updated_at": moment(question.updated_at),
        "last_activity_at": moment(question.last_activity_at),
        "links": _question_links(question),
    }


def comment(item: Comment) -> dict:
    return {
        "id": item.id,
        "answer_id": item.answer_id,
        "body": item.body,
        "body_html": str(item.rendered("body")),
        "language": item.language.value,
        "author": byline(item.author),
        "created_at": moment(item.created_at),
    }


def attached(files) -> list[dict]:
    return [
        {
            "id": item.id,
            "name": item.name,
            "content_type": item.content_type,
            "size": item.size,
            "url": url_for("attachments.download", attachment_id=item.id, name=item.name),
        }
        for item in files
    ]


def answer(
    item: Answer,
    viewer,
    *,
    accepted: bool,
    helpful_ids: set[int] | frozenset = frozenset(),
    files=(),
) -> dict:
    return {
        "id": item.id,
        "question_id": item.question_id,
        "body": item.body,
        "body_html": str(item.rendered("body")),
        "language": item.language.value,
        "author": byline(item.author, as_given=True, declaration=item.declaration),
        "helpful_count": item.helpful_count,
        "marked_helpful_by_you": item.id in helpful_ids,
        "accepted": accepted,
        "created_at": moment(item.created_at),
        "updated_at": moment(item.updated_at),
        "comments": [comment(entry) for entry in shown_texts(viewer, item.comments)],
        "attachments": attached(files),
    }


def _stance(stance, viewer) -> dict:
    # A reason the moderators hid is left out for all but its author and the admins, as
    # on the page; the stance itself stays (it is the board's record).
    shown = can_see_text(viewer, stance)
    override = None
    if stance.overridden_at is not None:
        override = {
            "by": stance.overridden_by.display_name if stance.overridden_by else None,
            "at": moment(stance.overridden_at),
            "reason": stance.override_reason or "",
        }
    return {
        "expert": byline(stance.expert, as_given=True, declaration=stance.declaration),
        "area": stance.area.value,
        "reason": stance.reason if shown else "",
        "reason_html": str(stance.rendered("reason")) if shown else "",
        "reason_hidden": not shown,
        "created_at": moment(stance.created_at),
        "override": override,
        "moderation": _moderation(stance, viewer),
    }


def published_board_answer(question: Question, viewer) -> dict | None:
    """The board's published answer as readers see it (never a draft), or None."""
    found: BoardAnswer | None = next(
        (
            item
            for item in question.board_answers
            if item.is_published and item.published_number is not None
        ),
        None,
    )
    if found is None:
        return None
    stances = found.stances_on(found.published_number)
    return {
        "id": found.id,
        "revision": found.published_number,
        "body": found.published_body or "",
        "body_html": str(found.rendered("published_body")),
        "language": found.language.value,
        "published_at": moment(found.published_at),
        "published_by": found.published_by.display_name if found.published_by else None,
        "endorsements": [
            _stance(item, viewer) for item in stances if item.kind == StanceKind.ENDORSE
        ],
        "dissents": [_stance(item, viewer) for item in stances if item.kind == StanceKind.DISSENT],
        "abstentions": sum(1 for item in stances if item.kind == StanceKind.ABSTAIN),
    }


def question_page(page: QuestionPage, viewer) -> dict:
    question = page.question
    document = question_summary(question)
    document["author"] = byline(question.author)
    document.update(
        {
            "body": question.body,
            "body_html": str(question.rendered("body")),
            "accepted_answer_id": question.accepted_answer_id,
            "comments": [comment(item) for item in shown_texts(viewer, question.comments)],
            "attachments": attached(page.files.get(("question", question.id), ())),
            "answers": [
                answer(
                    item,
                    viewer,
                    accepted=item.id == question.accepted_answer_id,
                    helpful_ids=page.helpful_answer_ids,
                    files=page.files.get(("answer", item.id), ()),
                )
                for item in shown_texts(viewer, question.answers)
            ],
            "board_answer": published_board_answer(question, viewer),
            "you_may": {
                "answer": can_answer(viewer, question),
                "comment": can_comment(viewer, question),
                "edit": can_edit_question(viewer, question),
            },
            "locked": {"reason": question.lock_reason or ""} if question.is_locked else None,
            "moderation": _moderation(question, viewer),
        }
    )
    return document


def _moderation(text, viewer) -> dict | None:
    """The moderators' state and reason on a question or a stance's reason, for the
    author and the admins only."""
    if text.moderation_state is None or not (
        can_moderate(viewer) or (viewer.is_authenticated and viewer.id == text.author_id)
    ):
        return None
    return {"state": text.moderation_state.value, "reason": text.moderation_reason}


# --- the FAQ ----------------------------------------------------------------------------


def faq_entry(entry: FaqEntry, viewer, shown: Shown) -> dict:
    """An entry as ``shown`` in a language (``faq_translations.shown_entries``)."""
    source = faq.source_of(entry)
    # As on /faq: the source discussion is named only to readers who may open it.
    source_question_id = (
        source.question.id
        if source is not None and can_see_question(viewer, source.question)
        else None
    )
    return {
        "id": entry.id,
        "topic": topic(entry.topic),
        "position": entry.position,
        "question": shown.title,
        "answer": shown.body,
        "answer_html": str(shown.body_html),
        **_language_of(shown),
        "last_reviewed_on": day(entry.last_reviewed_on),
        "source_question_id": source_question_id,
        "links": {
            "self": url_for("api.get_faq_entry", entry_id=entry.id),
            "html": url_for("faq.index", entry=entry.id, _anchor=f"faq-{entry.id}"),
        },
    }


# --- the guide ----------------------------------------------------------------------------


def _section_node(node: SectionNode) -> dict:
    return {
        "id": node.section.id,
        "level": node.level,
        "title": node.title,
        "anchor": node.anchor,
        "body": node.body,
        "body_html": html(node.body),
        **_language_of(node.shown),
        "last_reviewed_on": day(node.section.last_reviewed_on),
        "children": [_section_node(child) for child in node.children],
    }


def release_summary(release: GuideRelease) -> dict:
    return {
        "version": release.version,
        "released_at": moment(release.released_at),
        "notes": release.notes,
        "links": {
            "self": url_for("api.get_guide_release", version=release.version),
            "markdown": url_for("api.get_guide_release_markdown", version=release.version),
            "html": url_for("guide.release", version=release.version),
        },
    }


def current_guide(current: CurrentGuide, shown: ShownGuide) -> dict:
    """The current guide as ``shown`` in a language (``translated.shown_guide``):
    each text says its language and, in a translated language, its translation's state."""
    return {
        "title": shown.title,
        "introduction": shown.introduction,
        "introduction_html": html(shown.introduction),
        **_language_of(shown.root.shown),
        "sections": [_section_node(node) for node in shown.sections],
        "latest_release": (
            release_summary(current.latest_release) if current.latest_release is not None else None
        ),
    }


def _language_of(shown: Shown) -> dict:
    return {"lang": shown.lang, "translation_state": shown.state.value if shown.state else None}


def _frozen_section(section: Section) -> dict:
    return {
        "level": section.level,
        "title": section.title,
        "anchor": section.anchor,
        "body": section.body,
        "body_html": html(section.body),
        "children": [_frozen_section(child) for child in section.children],
    }


def release(found: GuideRelease, document: GuideDocument) -> dict:
    summary = release_summary(found)
    summary.update(
        {
            "title": document.title,
            "introduction": document.introduction,
            "introduction_html": html(document.introduction),
            "sections": [_frozen_section(section) for section in document.sections],
            "markdown": found.markdown,
        }
    )
    return summary


# --- clinics ---------------------------------------------------------------------------------


def clinic(item: Clinic, viewer) -> dict:
    contact = None
    # As on the clinic pages: the contact for experts and admins only.
    if can_see_clinic_contact(viewer):
        contact = {
            "name": item.contact_name,
            "email": item.contact_email,
            "phone": item.contact_phone,
        }
    return {
        "id": item.id,
        "name": item.name,
        "city": item.city,
        "specialties": clinics.split_list(item.specialties),
        "populations": clinics.split_list(item.populations),
        "hosts_device_studies": item.hosts_device_studies,
        "description": item.description,
        "description_html": html(item.description),
        "active": item.active,
        "contact": contact,
        "links": {
            "self": url_for("api.get_clinic", clinic_id=item.id),
            "html": url_for("clinics.show", clinic_id=item.id),
        },
    }


def referral(item, viewer) -> dict:
    """A referral as its page shows it to ``viewer`` (the member who asked, an expert or an
    admin): each side's contact only once both agreed (``can_see_released_contacts``)."""
    contacts = None
    if can_see_released_contacts(viewer, item):
        author = item.question.author
        contacts = {
            "clinic": {
                "name": item.clinic.contact_name,
                "email": item.clinic.contact_email,
                "phone": item.clinic.contact_phone,
            },
            "member": {
                "name": author.display_name,
                "email": author.email,
                "organisation": author.organisation.name if author.organisation else None,
            },
        }
    return {
        "id": item.id,
        "question_id": item.question_id,
        "clinic": {"id": item.clinic.id, "name": item.clinic.name, "city": item.clinic.city},
        "status": item.status.value,
        "member_answer": item.member_decision.value if item.member_decision else None,
        "clinic_answer": item.clinic_decision.value if item.clinic_decision else None,
        "contacts": contacts,
        "trial_started_on": item.trial_started_on.isoformat() if item.trial_started_on else None,
        "trial_start_confirmed_by": (
            item.trial_confirmation.value if item.trial_confirmation else None
        ),
        "steps": [
            {
                "status": step.status.value,
                "occurred_on": step.occurred_on.isoformat(),
                "note": step.note,
            }
            for step in item.steps
        ],
        "links": {
            "self": url_for("api.get_referral", facilitation_id=item.id),
            "html": url_for("clinics.referral", facilitation_id=item.id),
        },
    }
