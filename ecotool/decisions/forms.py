"""The decision form."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ecotool.capture.forms import NOT_NAMES_LABEL
from ecotool.capture.privacy import Guarded
from ecotool.clock import local_today

from ecotool.decisions.models import STATUSES
from ecotool.forms import CheckboxGroup, Chosen, NotBefore, Plausible, optional_int


class DecisionForm(FlaskForm):
    """What changes, why, for whom, from when."""

    service_id = SelectField("Service", coerce=int, validators=[InputRequired()])
    title = StringField("What changes", validators=[DataRequired(), Length(max=200), Guarded()],
                        description="e.g. Offer text first, call in the evening")
    rationale = TextAreaField("Why", validators=[DataRequired(), Length(max=4000), Guarded()],
                              description="The barrier you saw and how often.")
    domain_ids = CheckboxGroup("Barrier domains", coerce=int, validators=[Chosen("Choose at least one barrier domain.")])
    response_type = SelectField("Response type", validators=[DataRequired()])
    target_group = SelectField("Aimed at", validators=[DataRequired()])
    pathway_id = SelectField("Pathway affected", coerce=optional_int, validators=[Optional()])
    start_date = DateField("Start date", default=local_today, validators=[InputRequired(), Plausible(days_ahead=366)])
    review_date = DateField("Review date", validators=[Optional(), Plausible(days_ahead=3 * 366),
                                                       NotBefore("start_date", "The review date cannot be before the start date.")])
    status = SelectField("Status", choices=[(s, s[0].upper() + s[1:]) for s in STATUSES], default="proposed")
    confirm_names = BooleanField(NOT_NAMES_LABEL)
    submit = SubmitField("Record decision")
