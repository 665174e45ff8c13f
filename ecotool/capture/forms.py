"""Forms for cases, contact attempts and observations."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, DateTimeLocalField, RadioField, SelectField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from ecotool.clock import local_now, local_today
from ecotool.forms import Plausible, optional_int
from ecotool.capture.models import AGE_BANDS, CHANNELS, KINDS, OUTCOMES, SOURCES, YES_NO_UNKNOWN

QUINTILE_CHOICES = [("", "Choose…"), ("1", "1 (most deprived)"), ("2", "2"), ("3", "3"), ("4", "4"),
                    ("5", "5 (least deprived)"), ("unknown", "Unknown")]


def _pairs(values: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(v, v[0].upper() + v[1:]) for v in values]


class CaseForm(FlaskForm):
    """A new case: no name, postcode or date of birth, ever."""

    imd_quintile = SelectField("IMD quintile", choices=QUINTILE_CHOICES, validators=[DataRequired()],
                               description="Deprivation quintile of her area; 1 is the most deprived.")
    age_band = SelectField("Age band", choices=[("", "Choose…")] + _pairs(AGE_BANDS), validators=[DataRequired()])
    first_time = RadioField("First-time mother", choices=_pairs(YES_NO_UNKNOWN), default="unknown",
                            validators=[InputRequired()])
    language_support = RadioField("Needs language support", choices=_pairs(YES_NO_UNKNOWN), default="unknown",
                                  validators=[InputRequired()])
    pathway_id = SelectField("Access pathway", coerce=optional_int, validators=[InputRequired()])
    referral_date = DateField("Referral date", default=local_today, validators=[InputRequired(), Plausible()],
                              description="The day the referral came in.")
    journey_stage = SelectField("Journey stage", validators=[DataRequired()])
    submit = SubmitField("Create case")

    def quintile(self) -> int | None:
        """The chosen quintile as a number, or None for unknown."""
        return None if self.imd_quintile.data == "unknown" else int(self.imd_quintile.data)


class ContactAttemptForm(FlaskForm):
    """Channel, outcome, when."""

    channel = RadioField("Channel", choices=_pairs(CHANNELS), validators=[InputRequired()])
    outcome = RadioField("Outcome", choices=_pairs(OUTCOMES), validators=[InputRequired()])
    at = DateTimeLocalField("When", format="%Y-%m-%dT%H:%M", default=local_now,
                            validators=[InputRequired()], description="Now, unless you are logging an earlier attempt.")
    submit = SubmitField("Log attempt")

    def validate_at(self, field: DateTimeLocalField) -> None:
        """An attempt cannot be logged in the future."""
        if field.data and field.data > local_now().replace(second=59):
            raise ValidationError("The time cannot be in the future.")


class ObservationForm(FlaskForm):
    """A piece of context tagged with a framework domain."""

    domain_id = SelectField("Level and domain", coerce=optional_int, validators=[InputRequired()],
                            description="Where does this influence sit?")
    journey_stage = SelectField("Journey stage", validators=[DataRequired()])
    kind = RadioField("Kind", choices=_pairs(KINDS), default="barrier", validators=[InputRequired()])
    source = RadioField("Source", choices=_pairs(SOURCES), default="call", validators=[InputRequired()])
    text = TextAreaField("What you noticed", validators=[DataRequired(), Length(max=2000)],
                         description="No names, addresses, postcodes, phone numbers or dates of birth.")
    shareable = BooleanField("May be quoted in commissioner reports", default=False)
    submit = SubmitField("Save observation")
