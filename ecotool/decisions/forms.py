"""The decision form."""
from __future__ import annotations

from datetime import date

from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, SelectMultipleField, StringField, SubmitField, TextAreaField, widgets
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from ecotool.decisions.models import STATUSES


def _optional_int(value):
    return int(value) if value not in (None, "", "None") else None


class DecisionForm(FlaskForm):
    """What changes, why, for whom, from when."""

    service_id = SelectField("Service", coerce=int, validators=[InputRequired()])
    title = StringField("What changes", validators=[DataRequired(), Length(max=200)],
                        description="e.g. Offer text first, call in the evening")
    rationale = TextAreaField("Why", validators=[DataRequired(), Length(max=4000)],
                              description="The barrier you saw and how often.")
    domain_ids = SelectMultipleField(
        "Barrier domains", coerce=int, validators=[DataRequired(message="Choose at least one barrier domain.")],
        widget=widgets.ListWidget(prefix_label=False), option_widget=widgets.CheckboxInput(),
    )
    response_type = SelectField("Response type", validators=[DataRequired()])
    target_group = SelectField("Aimed at", validators=[DataRequired()])
    pathway_id = SelectField("Pathway affected", coerce=_optional_int, validators=[Optional()])
    start_date = DateField("Start date", default=date.today, validators=[InputRequired()])
    review_date = DateField("Review date", validators=[Optional()])
    status = SelectField("Status", choices=[(s, s[0].upper() + s[1:]) for s in STATUSES], default="proposed")
    submit = SubmitField("Record decision")

    def validate_review_date(self, field: DateField) -> None:
        """A review comes after the start."""
        if field.data and self.start_date.data and field.data < self.start_date.data:
            raise ValidationError("The review date cannot be before the start date.")
