"""Forms of event setup and scheduling (organisers only); field validators only."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

from planner.text.dates import parse_day
from planner.text.fields import DecimalNumberField, LocalDateField, LocalTimeField, WholeNumberField
from planner.text.i18n import _l
from planner.urls import InDatabaseRange


def choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms choices."""
    return [SelectChoice(value, label) for value, label in pairs]


LANGUAGE_CHOICES = [("fa", _l("Persian")), ("ru", _l("Russian")), ("en", _l("English")), ("tk", _l("Turkmen")),
                    ("az", _l("Azerbaijani")), ("ar", _l("Arabic")), ("zh", _l("Chinese")), ("tr", _l("Turkish"))]
WHO_CAN_MEET_CHOICES = [("cross-region", _l("Only firms of different regions")), ("any", _l("Any two firms"))]
REQUEST_MODE_CHOICES = [("mutual-accept", _l("The invited firm accepts")),
                        ("auto-accept", _l("Requests are accepted at once")),
                        ("organiser-approval", _l("The organiser approves"))]
METHOD_CHOICES = [("cp-sat", _l("Optimal (CP-SAT)")), ("greedy", _l("Quick first fit"))]


class DayField(StringField):
    """A day typed as ISO Gregorian (2026-12-28) or Jalali (1405/10/07), in any digits.
    A plain text input, so a Jalali picker can be put on it later; `data` is a date or None."""

    def process_formdata(self, valuelist):
        text = (valuelist[0] if valuelist else "").strip()
        self.raw_data = [text]
        if not text:
            self.data = None
            return
        try:
            self.data = parse_day(text)
        except ValueError as error:
            self.data = None
            raise ValueError(str(_l("Write the day as 1405/10/07 or 2026-12-28."))) from error

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return self.data.isoformat() if self.data else ""


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class EventForm(FlaskForm):
    slug = StringField(_l("Short name (in the address)"), validators=[
        DataRequired(), Length(max=80),
        Regexp(r"^[a-z0-9][a-z0-9-]*$", message=_l("Use lower-case Latin letters, digits and hyphens."))])
    name_fa = StringField(_l("Name in Persian"), validators=[DataRequired(), Length(max=300)])
    name_ru = StringField(_l("Name in Russian"), validators=[Optional(), Length(max=300)])
    name_en = StringField(_l("Name in English"), validators=[Optional(), Length(max=300)])
    exhibition_id = SelectField(_l("Exhibition"), coerce=int, default=0)
    start_date = LocalDateField(_l("First day"), validators=[Optional()])
    end_date = LocalDateField(_l("Last day"), validators=[Optional()])
    slot_minutes = WholeNumberField(_l("Slot length (minutes)"), default=25, validators=[InputRequired(), NumberRange(5, 240)])
    break_minutes = WholeNumberField(_l("Break between slots (minutes)"), default=5, validators=[InputRequired(), NumberRange(0, 120)])
    who_can_meet = SelectField(_l("Who may meet whom"), choices=choices(WHO_CAN_MEET_CHOICES), default="cross-region")
    min_meetings = WholeNumberField(_l("Minimum meetings per firm"), default=0, validators=[InputRequired(), NumberRange(0, 100)])
    max_meetings = WholeNumberField(_l("Maximum meetings per firm"), validators=[Optional(), NumberRange(1, 200)])
    request_mode = SelectField(_l("Meeting requests"), choices=choices(REQUEST_MODE_CHOICES), default="mutual-accept")
    suggest_for_shortfall = BooleanField(_l("Suggest partners to firms below their minimum"))
    submit = SubmitField(_l("Save"))


class SessionForm(FlaskForm):
    day = SelectField(_l("Day"))
    start = LocalTimeField(_l("From"), validators=[InputRequired()])
    end = LocalTimeField(_l("To"), validators=[InputRequired()])
    name = StringField(_l("Name (optional)"), validators=[Optional(), Length(max=120)])
    submit = SubmitField(_l("Add session"))


class TablesForm(FlaskForm):
    count = WholeNumberField(_l("Number of tables to add"), default=10, validators=[InputRequired(), NumberRange(1, 500)])
    submit = SubmitField(_l("Add tables"))


class HostTableForm(FlaskForm):
    name = StringField(_l("Stand or table name"), validators=[DataRequired(), Length(max=80)])
    firm_id = SelectField(_l("Host firm"), coerce=int)
    submit = SubmitField(_l("Add host table"))


class InterpreterForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    name_latin = StringField(_l("Name in Latin letters"), validators=[Optional(), Length(max=200)])
    email = StringField(_l("E-mail"), validators=[Optional(), Email(), Length(max=254)])
    languages = MultiCheckboxField(_l("Languages"), choices=choices(LANGUAGE_CHOICES))
    unavailable = MultiCheckboxField(_l("Not available in these sessions"), coerce=int)
    submit = SubmitField(_l("Add interpreter"))


class ClosureForm(FlaskForm):
    day = LocalDateField(_l("Day"), validators=[InputRequired()])
    reason = StringField(_l("Reason"), validators=[DataRequired(), Length(max=300)])
    region_key = SelectField(_l("Where"), default="")
    submit = SubmitField(_l("Add closure"))


class SolveForm(FlaskForm):
    time_limit = DecimalNumberField(_l("Time limit (seconds)"), default=30, validators=[InputRequired(), NumberRange(1, 3600)])
    method = SelectField(_l("Method"), choices=choices(METHOD_CHOICES), default="cp-sat")
    submit = SubmitField(_l("Run the scheduler"))


class _SlotAndTableForm(FlaskForm):
    """A change on the board: a slot and a table, and the version's lock number the organiser
    saw (a change made meanwhile by someone else is refused)."""

    slot_id = SelectField(_l("Slot"), coerce=int)
    table_id = SelectField(_l("Table"), coerce=int)
    expected_lock = WholeNumberField(validators=[Optional(), InDatabaseRange()])


class MoveForm(_SlotAndTableForm):
    meeting_id = WholeNumberField(validators=[InputRequired(), InDatabaseRange()])
    submit = SubmitField(_l("Move"))


class PlaceForm(_SlotAndTableForm):
    request_id = WholeNumberField(validators=[InputRequired(), InDatabaseRange()])
    submit = SubmitField(_l("Place"))


class PublishForm(FlaskForm):
    expected_revision = HiddenField(validators=[InputRequired()])
    expected_lock = HiddenField(validators=[InputRequired()])
    submit = SubmitField(_l("Publish this version"))


class RecutForm(FlaskForm):
    """A new slot length for a round with sessions; `digest` is the preview's fingerprint
    (`scheduling.recut.RecutPlan.digest`): the confirmation applies what was shown."""

    slot_minutes = WholeNumberField(_l("Slot length (minutes)"), validators=[InputRequired(), NumberRange(5, 240)])
    break_minutes = WholeNumberField(_l("Break between slots (minutes)"), validators=[InputRequired(), NumberRange(0, 120)])
    digest = HiddenField(validators=[DataRequired()])
    submit = SubmitField(_l("Re-cut the sessions"))
