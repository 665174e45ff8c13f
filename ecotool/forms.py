"""Form pieces shared by every area: coercion, date limits, period checks, checkbox groups."""
from __future__ import annotations

from datetime import date

from wtforms import SelectMultipleField, widgets
from wtforms.validators import ValidationError

from ecotool.clock import local_today

EARLIEST = date(2000, 1, 1)


def optional_int(value):
    """Coerce a select value to int, with the empty choice as None."""
    return int(value) if value not in (None, "", "None") else None


class Chosen:
    """Require at least one choice, without the HTML `required` flag that every checkbox would carry."""

    field_flags: dict = {}

    def __init__(self, message: str):
        self.message = message

    def __call__(self, form, field) -> None:
        if not field.data:
            raise ValidationError(self.message)


class CheckboxGroup(SelectMultipleField):
    """A multiple choice shown as a group of checkboxes."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class Plausible:
    """A date between 1 January 2000 and today (or `days_ahead` days after today)."""

    def __init__(self, days_ahead: int = 0):
        self.days_ahead = days_ahead

    def __call__(self, form, field) -> None:
        if field.data is None:
            return
        if field.data < EARLIEST:
            raise ValidationError(f"Use a date from {EARLIEST.strftime('%d %b %Y')} on.")
        if (field.data - local_today()).days > self.days_ahead:
            raise ValidationError("That date is in the future." if not self.days_ahead
                                  else "That date is too far in the future.")


class NotBefore:
    """The field's date is on or after the date in another field (a period runs forwards)."""

    def __init__(self, other: str, message: str = "The end must be on or after the start."):
        self.other = other
        self.message = message

    def __call__(self, form, field) -> None:
        start = form[self.other].data
        if start and field.data and field.data < start:
            raise ValidationError(self.message)
