"""Organisers' forms for the exhibition calendar."""
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import SelectChoice, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError

from planner.text.fields import LocalDateField, LocalTimeField
from planner.text.i18n import _l
from planner.text.labels import EXHIBITION_STATUS


class ExhibitionForm(FlaskForm):
    key = StringField(_l("Key"), validators=[DataRequired(message=_l("This field is required.")), Length(max=80),
                                             Regexp(r"^[a-z0-9][a-z0-9-]*$", message=_l("Use lower-case letters, digits and hyphens."))])
    title_fa = StringField(_l("Title in Persian"), validators=[DataRequired(message=_l("This field is required.")), Length(max=300)])
    title_ru = StringField(_l("Title in Russian"), validators=[DataRequired(message=_l("This field is required.")), Length(max=300)])
    title_en = StringField(_l("Title in English"), validators=[DataRequired(message=_l("This field is required.")), Length(max=300)])
    venue = StringField(_l("Venue in English"), validators=[DataRequired(message=_l("This field is required.")), Length(max=300)])
    venue_fa = StringField(_l("Venue in Persian"), validators=[Optional(), Length(max=300)])
    venue_ru = StringField(_l("Venue in Russian"), validators=[Optional(), Length(max=300)])
    halls = StringField(_l("Halls"), description=_l("Separate halls with semicolons."), validators=[Length(max=500)])
    start_date = LocalDateField(_l("First day"), validators=[DataRequired(message=_l("Please enter a date."))])
    end_date = LocalDateField(_l("Last day"), validators=[DataRequired(message=_l("Please enter a date."))])
    opening_time = LocalTimeField(_l("Opens at"), validators=[Optional()])
    closing_time = LocalTimeField(_l("Closes at"), validators=[Optional()])
    status = SelectField(_l("Status"), choices=[SelectChoice(code, label) for code, label in EXHIBITION_STATUS.items()])
    sectors = StringField(_l("ISIC classes"), description=_l("Codes separated by semicolons, e.g. 0710;2410"),
                          validators=[Length(max=500)])
    note = TextAreaField(_l("Reason for the change"), validators=[Optional(), Length(max=1000)])
    submit = SubmitField(_l("Save"))

    def validate_end_date(self, field):
        if self.start_date.data and field.data and field.data < self.start_date.data:
            raise ValidationError(_l("The exhibition ends before it starts."))


class ExhibitionImportForm(FlaskForm):
    file = FileField(_l("CSV file"), validators=[FileRequired(message=_l("Please choose a file.")),
                                                 FileAllowed(["csv"], message=_l("Please upload a .csv file."))])
    submit = SubmitField(_l("Check and import"))
