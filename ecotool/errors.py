"""The one error type operations raise for input they refuse."""
from __future__ import annotations


class OperationError(ValueError):
    """A refused operation; `field` names the form field at fault, if any."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class StaleEdit(OperationError):
    """A save from a page read before someone else changed the same record; `record` is it as saved now."""

    def __init__(self, record: object):
        super().__init__("Someone else saved a change to this while you were editing. Nothing of yours was saved "
                         "yet: what you typed is still here, and what they saved is shown. Check both, then save "
                         "again.")
        self.record = record
