"""Form pieces shared by every area: coercion, date limits, period checks, checkbox groups, the privacy guard."""
from __future__ import annotations


import secrets

from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectMultipleField, widgets
from wtforms.validators import Length, Optional, Regexp, StopValidation, ValidationError

from ecotool import privacy
from ecotool.clock import EARLIEST, local_today


def optional_int(value):
    """Coerce a select value to int, with the empty choice as None."""
    return int(value) if value not in (None, "", "None") else None


class Chosen:
    """Require at least one choice (or `least`), without the HTML `required` flag that every checkbox would carry."""

    field_flags: dict = {}

    def __init__(self, message: str, least: int = 1):
        self.message = message
        self.least = least

    def __call__(self, form, field) -> None:
        if not field.data or len(field.data) < self.least:
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


class SentOnce(FlaskForm):
    """A form that creates something: it carries a one-time token, so a copy of the same submission
    (a double tap, back and resend) is answered with what the first made (see `web.form_page`)."""

    once = HiddenField(default=lambda: secrets.token_hex(16), validators=[Optional(), Regexp(r"^[0-9a-f]{32}$")])


NOT_NAMES_LABEL = "These are not people's names: save as written"


class Guarded:
    """The privacy guard as a WTForms validator: refuses identifying details, and warns about names
    until the form's `confirm_names` box is ticked. Names in `form.staff_names` are warned about too;
    names in `form.colleagues` never are. Text over the field's Length limit is not read at all."""

    def __call__(self, form, field) -> None:
        text = field.data or ""
        limits = [v.max for v in field.validators if isinstance(v, Length) and v.max >= 0]
        if len(text) > min(limits, default=privacy.MAX_TEXT):
            # Length has said so already where there is one; stop before the guard reads a long text.
            raise StopValidation("" if limits else privacy.too_long(privacy.MAX_TEXT))
        found = privacy.problems(text)
        if found:
            raise ValidationError(privacy.explain(text, found))
        names = privacy.possible_names(text, tuple(getattr(form, "staff_names", ())),
                                       tuple(getattr(form, "colleagues", ())))
        confirm = getattr(form, "confirm_names", None)
        if names and not (confirm is not None and confirm.data):
            field.name_warning = names
            raise ValidationError(privacy.name_warning(names))
