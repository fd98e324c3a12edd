"""Errors raised by services; pages and the API turn them into answers."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError

__all__ = ["ConflictError", "NotAllowed", "PermissionDenied", "ValidationError"]


class ConflictError(Exception):
    """The object changed since the user loaded it (stale version)."""

    def __init__(self, message: str, *, current_version: int | None = None):
        super().__init__(message)
        self.message = message
        self.current_version = current_version


class NotAllowed(PermissionDenied):
    """The actor may see the object but lacks the role for this change."""

    def __init__(self, message: str, **details: object):
        super().__init__(message)
        self.message = message
        self.details = details
