"""The organiser's import form; field validators only."""
from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import HiddenField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from planner.events.forms import MultiCheckboxField, choices
from planner.models.enums import ReminderReason
from planner.text.i18n import _l

KEY = Regexp(r"^[a-z0-9][a-z0-9-]*$", message=_l("Use lower-case Latin letters, digits and hyphens."))


class ImportForm(FlaskForm):
    file = FileField(_l("Spreadsheet (.xlsx or .csv)"), validators=[
        FileRequired(message=_l("Please choose a file.")),
        FileAllowed(["xlsx", "csv"], message=_l("Please upload an .xlsx or .csv file."))])
    event = SelectField(_l("Round (firms register for it; days and wishes apply to it)"), validators=[Optional()])
    delegation = StringField(_l("Delegation key (its region's people join it; created when missing)"),
                             filters=[lambda v: (v or "").strip().lower()], validators=[Optional(), Length(max=80), KEY])
    submit = SubmitField(_l("Check the file"))


class ConfirmForm(FlaskForm):
    token = HiddenField(validators=[Regexp(r"^[A-Za-z0-9_-]{16,64}$")])
    name = HiddenField(validators=[Regexp(r"^[^/\\]{1,200}$")])
    event = HiddenField()
    delegation = HiddenField()
    submit = SubmitField(_l("Import"))


class ReminderForm(FlaskForm):
    event = SelectField(_l("Round"), validators=[DataRequired(message=_l("Choose a round."))])
    reasons = MultiCheckboxField(_l("Remind the firms that have"), choices=choices([
        (ReminderReason.EMPTY_PROFILE.value, _l("an empty profile (nothing offered, nothing needed)")),
        (ReminderReason.NO_REQUEST_SENT.value, _l("sent no meeting request")),
        (ReminderReason.AWAITING_ANSWER.value, _l("requests waiting for their answer"))]),
        validators=[DataRequired(message=_l("Choose at least one reason."))])
    submit = SubmitField(_l("Show who gets what"))


class ReminderConfirmForm(FlaskForm):
    token = HiddenField(validators=[Regexp(r"^[A-Za-z0-9_-]{16,64}$")])
    event = HiddenField(validators=[DataRequired()])
    reasons = HiddenField(validators=[Regexp(r"^[a-z_]+( [a-z_]+)*$")])
    submit = SubmitField(_l("Send the reminders"))
