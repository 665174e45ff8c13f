"""The one error type operations raise for input they refuse."""
from __future__ import annotations


class OperationError(ValueError):
    """A refused operation; `field` names the form field at fault, if any."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
