"""The tables. Importing this package registers every model with the metadata."""
from forum.models.accounts import ExpertArea, Organisation, OrganisationKind, Role, User
from forum.models.faq import FaqEntry
from forum.models.questions import (
    Answer,
    Comment,
    DevelopmentStage,
    DeviceClass,
    HelpfulMark,
    Question,
    QuestionStatus,
    Revision,
    Topic,
    Visibility,
    question_topic,
)

__all__ = [
    "Answer",
    "Comment",
    "DevelopmentStage",
    "DeviceClass",
    "ExpertArea",
    "FaqEntry",
    "HelpfulMark",
    "Organisation",
    "OrganisationKind",
    "Question",
    "QuestionStatus",
    "Revision",
    "Role",
    "Topic",
    "User",
    "Visibility",
    "question_topic",
]
