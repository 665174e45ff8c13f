"""Form pieces shared by every area: coercion, date limits, period checks, checkbox groups, the privacy guard."""
from __future__ import annotations


import secrets
from datetime import date

from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectMultipleField, SubmitField, widgets
from wtforms.validators import Length, Optional, Regexp, StopValidation, ValidationError

from ecotool import privacy
from ecotool.clock import EARLIEST, format_day, local_today


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
            raise ValidationError(f"Use a date from {format_day(EARLIEST)} on.")
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


class ConfirmForm(FlaskForm):
    """A button that changes something (its words set by the page): reopen a case, delete an observation,
    deactivate a person, close a pathway."""

    submit = SubmitField("Confirm")


class Versioned(FlaskForm):
    """A form that changes a record two people may edit at once: it carries the version the page was read at,
    so a save after someone else's is refused with both shown (see `web.form_page`)."""

    version = HiddenField(validators=[Optional(), Regexp(r"^[0-9]{1,9}$")])
    # A field whose saved value is not the record's attribute of the same name: how to read it from the record.
    saved_as: dict = {}

    def seen_version(self) -> int | None:
        """The version of the record this page was read at (None from a client that sent none)."""
        return int(self.version.data) if self.version.data not in (None, "") else None

    def read_at(self, version: int) -> None:
        """Show the page as read at this version (a fresh page, or after a refused stale save)."""
        self.version.data, self.version.raw_data = str(version), [str(version)]

    def meanwhile(self, record) -> list[tuple[str, str]]:
        """What is saved now that differs from what was typed, as (label, saved value): by default every
        field named as one of the record's attributes."""
        changed = []
        for field in self:
            read = self.saved_as.get(field.short_name)
            if field.type in ("HiddenField", "CSRFTokenField", "SubmitField") or not (
                    read or hasattr(record, field.short_name)):
                continue
            saved, typed = read(record) if read else getattr(record, field.short_name), field.data
            if isinstance(saved, str) and isinstance(typed, str):
                saved, typed = saved.strip(), typed.strip()
            if isinstance(saved, list) and isinstance(typed, list):
                saved, typed = sorted(saved), sorted(typed)
            if saved != typed and not (saved in (None, "") and typed in (None, "")):
                changed.append((field.label.text, shown_value(field, saved)))
        return changed


def shown_value(field, value) -> str:
    """A saved value as the form would name it: a choice's label, yes or no, a day as the app writes it."""
    if value is None or value == "":
        return "(empty)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(shown_value(field, item) for item in value) or "(none)"
    for choice in getattr(field, "choices", None) or []:
        if isinstance(choice, (tuple, list)) and str(choice[0]) == str(value):
            return str(choice[1])
    if isinstance(value, date):
        return format_day(value)
    return str(value)


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
