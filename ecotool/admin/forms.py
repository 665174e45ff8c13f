"""Forms for setting up services and people, and the factories that fill their choices."""
from __future__ import annotations

from flask_wtf import FlaskForm
from sqlalchemy.orm import Session
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField, DateField, EmailField, HiddenField, IntegerField, RadioField, SelectField, StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional, Regexp

from ecotool.auth.models import Person
from ecotool.auth.queries import all_people, supervisors
from ecotool.capture.queries import supporters
from ecotool.forms import CheckboxGroup, Versioned, optional_int
from ecotool.services.models import PREFIX_PATTERN, SLUG_PATTERN
from ecotool.services.queries import all_services
from ecotool.vocab import QUINTILES, DisclosureRule, ImportKind, Role


class ServiceForm(FlaskForm):
    """A new service."""

    slug = StringField("Short name (slug)", validators=[DataRequired(), Length(max=60),
                       Regexp(SLUG_PATTERN, message="Lowercase letters, digits and hyphens only.")],
                       description="Used in commands and links, e.g. north-shore")
    name = StringField("Name", validators=[DataRequired(), Length(max=200)])
    case_prefix = StringField("Case prefix", validators=[Optional(), Regexp(PREFIX_PATTERN,
                              message="2 to 4 capital letters.")], description="Starts every case reference, e.g. NS")
    submit = SubmitField("Create service")


def _whole(label: str, top: int, description: str) -> IntegerField:
    return IntegerField(label, description=description, validators=[
        InputRequired("Enter a whole number."), NumberRange(min=1, max=top, message=f"A whole number from 1 to {top}.")])


class ServiceSettingsForm(Versioned):
    """A service's name and the rules its figures follow."""

    name = StringField("Name", validators=[DataRequired(), Length(max=200)])
    engaged_threshold = _whole("Contacts that make a woman engaged", 20,
                               "Contacts that got through within her first 42 days. It changes every figure, past "
                               "periods too.")
    failed_attempt_threshold = _whole("Failed attempts in a row that raise a supervision prompt", 20,
                                      "Counted per case, since the last contact that got through.")
    disclosure_rule = RadioField("Small numbers in briefs", choices=DisclosureRule.choices(),
                                 validators=[InputRequired("Choose a rule.")])
    disclosure_threshold = _whole("Hide counts of women up to", 20,
                                  "Only under the threshold rule (the NHS Digital rule hides 1 to 7 and rounds to 5).")
    min_cell_count = _whole("Fewest women per group for an effect verdict", 1000,
                            "Below this a decision's effect reads 'too few cases to judge'.")
    retention_months = _whole("Months a closed case is kept", 600,
                              "Then it is erased for good, its words first, when the retention run next goes.")
    submit = SubmitField("Save settings")


class TargetRuleForm(Versioned):
    """A new target rule, for cases referred from a day on."""

    quintile_max = SelectField("Target women living in IMD quintile 1 up to",
                               choices=[("none", "None by quintile")] + [(str(q), str(q)) for q in QUINTILES])
    under_20 = BooleanField("and mothers aged under 20")
    from_day = DateField("For cases referred from", validators=[InputRequired("Give the first day.")],
                         description="Today or earlier. Earlier cases keep the rule in force when they were referred.")
    submit = SubmitField("Change the target rule")


class PathwayForm(FlaskForm):
    """A new pathway of a service."""

    name = StringField("New pathway", validators=[DataRequired(), Length(max=120)],
                       description="A way women reach the service, e.g. Text at 2-3 weeks")
    submit = SubmitField("Add pathway")


def _births(quintile: int) -> IntegerField:
    """The births field of one quintile."""
    return IntegerField(f"Births in quintile {quintile}", validators=[
        InputRequired("Enter the births in this quintile (0 if none)."),
        NumberRange(min=0, max=1_000_000, message="A whole number from 0 to 1,000,000.")])


class PopulationForm(FlaskForm):
    """Births per deprivation quintile in a service's area over a period."""

    period_start = DateField("From", validators=[InputRequired("Enter the first day.")])
    period_end = DateField("To", validators=[InputRequired("Enter the last day.")])
    q1, q2, q3, q4, q5 = (_births(q) for q in range(1, 6))
    submit = SubmitField("Save births")

    def births(self) -> list[int]:
        """The births in quintiles 1 to 5, as entered."""
        return [self.q1.data, self.q2.data, self.q3.data, self.q4.data, self.q5.data]


class PersonForm(FlaskForm):
    """A new person with a login."""

    email = EmailField("E-mail", validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)])
    display_name = StringField("Name shown to colleagues", validators=[DataRequired(), Length(max=120)])
    role = SelectField("Role", choices=Role.choices(), validators=[DataRequired()])
    service = SelectField("Service", validators=[Optional()])
    supervisor_id = SelectField("Supervisor", coerce=optional_int, validators=[Optional()])
    submit = SubmitField("Create person")


class ImportForm(FlaskForm):
    """Upload a CSV of existing cases or contact attempts."""

    service = SelectField("Service", validators=[DataRequired()])
    kind = RadioField("What the file holds", choices=ImportKind.choices(), default=ImportKind.CASES,
                      validators=[DataRequired()])
    file = FileField("CSV file", validators=[FileRequired("Choose a CSV file."),
                                             FileAllowed(["csv"], "Upload a .csv file.")],
                     description="Columns as listed below; first row is the header. Nothing is imported if any row is wrong.")
    submit = SubmitField("Import")


def person_form(session: Session) -> PersonForm:
    """A new-person form offering every service and every supervisor."""
    form = PersonForm()
    form.service.choices = [("", "None (administrators only)")] + [(s.slug, s.name) for s in all_services(session)]
    form.supervisor_id.choices = [("", "None")] + [(p.id, p.display_name) for p in supervisors(session)]
    return form


class PersonEditForm(FlaskForm):
    """A person's name, services and supervisor (her e-mail and role stay as created)."""

    display_name = StringField("Name shown to colleagues", validators=[DataRequired(), Length(max=120)])
    service_ids = CheckboxGroup("Services", coerce=int, validators=[Optional()])
    supervisor_id = SelectField("Supervisor", coerce=optional_int, validators=[Optional()],
                                description="Peer supporters only: a supervisor of one of her services.")
    submit = SubmitField("Save changes")


def person_edit_form(session: Session, person: Person, fresh: bool = False) -> PersonEditForm:
    """The edit form of a person, offering every service and the active supervisors (`fresh`: as saved, whatever
    another form on the page posted)."""
    form = PersonEditForm(formdata=None, obj=person) if fresh else PersonEditForm(obj=person)
    if fresh or not form.is_submitted():
        form.service_ids.data = person.service_ids
    form.service_ids.choices = [(s.id, s.name) for s in all_services(session)]
    form.supervisor_id.choices = [("", "None")] + [(p.id, p.display_name) for p in supervisors(session) if p.active]
    if person.role != Role.PEER_SUPPORTER:
        del form.supervisor_id
    return form


class HandOverForm(FlaskForm):
    """Hand all of a leaving supporter's open cases to one colleague."""

    colleague_id = SelectField("Hand her open cases to", coerce=optional_int,
                               validators=[InputRequired("Choose a colleague.")])
    submit = SubmitField("Hand over every open case")


def hand_over_form(session: Session, person: Person) -> HandOverForm:
    """The hand-over form, offering the active peer supporters of her services."""
    form = HandOverForm()
    form.colleague_id.choices = [("", "Choose…")] + [
        (p.id, p.display_name) for p in supporters(session, *person.service_ids) if p.id != person.id]
    return form


class FrameworkUploadForm(FlaskForm):
    """A framework file to check against the version in use."""

    file = FileField("Framework file (YAML)", validators=[
        FileRequired("Choose a framework file."), FileAllowed(["yaml", "yml"], "Upload a .yaml file.")],
        description="Checked first and compared with the version in use; nothing changes until you confirm.")
    submit = SubmitField("Check the file")


class FrameworkConfirmForm(FlaskForm):
    """The checked file, carried to the confirmation (checked again when confirmed)."""

    content = HiddenField(validators=[DataRequired(), Length(max=400_000)])
    name = HiddenField(validators=[DataRequired(), Length(max=200)])
    sha256 = HiddenField(validators=[DataRequired(), Regexp(r"^[0-9a-f]{64}$")])
    submit = SubmitField("Put this version in use")


class EraseForm(FlaskForm):
    """Find a case to erase by its reference; then confirm."""

    reference = StringField("Case reference", validators=[DataRequired(), Length(max=20),
                                                          Regexp(r"^[A-Za-z0-9-]+$", message="Letters, digits and hyphens.")],
                            description="As the case page shows it, e.g. NS-4K7Q")
    confirm = HiddenField()
    submit = SubmitField("Find the case")


def import_form(session: Session) -> ImportForm:
    """An import form offering every service."""
    form = ImportForm()
    form.service.choices = [(s.slug, s.name) for s in all_services(session)]
    return form


SYSTEM = "system"


class AuditFilterForm(FlaskForm):
    """Filters of the audit log, read from the query string."""

    class Meta:
        csrf = False

    action = SelectField("Action", validators=[Optional()])
    actor = SelectField("Who", validators=[Optional()])
    object_type = StringField("Record type", validators=[Optional(), Length(max=60), Regexp(r"^[A-Za-z]*$")],
                              description="e.g. Case, Observation, Person, Brief")
    object_id = IntegerField("Record id", validators=[Optional(), NumberRange(1, 2**31 - 1)])
    start = DateField("From", validators=[Optional()])
    end = DateField("To", validators=[Optional()])
    page = IntegerField(validators=[Optional(), NumberRange(1, 100_000)])
    submit = SubmitField("Show")


def audit_filter_form(session: Session, args, actions: list[str]) -> AuditFilterForm:
    """The audit log's filters, offering the actions it holds and everyone (and the system) as who."""
    form = AuditFilterForm(args)
    form.action.choices = [("", "Any action")] + [(a, a) for a in actions]
    form.actor.choices = ([("", "Anyone"), (SYSTEM, "The system (command line, refused sign-ins)")]
                          + [(str(p.id), f"{p.display_name} ({p.email})") for p in all_people(session)])
    form.validate()
    return form
