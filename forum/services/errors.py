"""Exceptions the services raise for rules a caller broke.

Views turn them into a message beside the form field (or a 403/409 page);
the CLI prints them. ``field`` names the input at fault, when there is one.
"""

from __future__ import annotations


class ServiceError(Exception):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class RuleViolation(ServiceError):
    """The action is understood but the rules do not allow it."""


class PermissionDenied(ServiceError):
    """The actor may not do this to this object."""
