"""Forms of visiting regions and delegations (organisers only); field validators only."""
from __future__ import annotations

from zoneinfo import available_timezones

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError

from planner.events.forms import DayField, MultiCheckboxField
from planner.text.i18n import _l

KEY = Regexp(r"^[a-z0-9][a-z0-9-]*$", message=_l("Use lower-case Latin letters, digits and hyphens."))
# Languages whose script a visiting region may write native names in (ISO 639-1).
NATIVE_LOCALES = ("fa", "ru", "en", "kk", "tt", "ba", "uz", "tk", "ky", "tg", "az", "hy", "ka", "be", "uk", "ar",
                  "tr", "zh")


class RegionForm(FlaskForm):
    key = StringField(_l("Key (in files and addresses)"), validators=[DataRequired(), Length(max=40), KEY])
    name_fa = StringField(_l("Name in Persian"), validators=[DataRequired(), Length(max=120)])
    name_ru = StringField(_l("Name in Russian"), validators=[DataRequired(), Length(max=120)])
    name_en = StringField(_l("Name in English"), validators=[DataRequired(), Length(max=120)])
    country = StringField(_l("Country (two-letter code, e.g. RU, KZ)"), filters=[lambda v: (v or "").strip().upper()],
                          validators=[DataRequired(), Regexp(r"^[A-Z]{2}$", message=_l("Two Latin letters, e.g. RU."))])
    timezone = StringField(_l("Time zone (e.g. Asia/Yekaterinburg)"), filters=[lambda v: (v or "").strip()],
                           validators=[DataRequired(), Length(max=60)])
    native_locale = SelectField(_l("Language of native names"))
    submit = SubmitField(_l("Save"))

    def validate_timezone(self, field):
        if field.data not in available_timezones():
            raise ValidationError(str(_l("Unknown time zone; use a name such as Asia/Almaty.")))


class DelegationForm(FlaskForm):
    key = StringField(_l("Key (in files and addresses)"), validators=[DataRequired(), Length(max=80), KEY])
    region = SelectField(_l("Region"), coerce=int)
    name_fa = StringField(_l("Name in Persian"), validators=[DataRequired(), Length(max=300)])
    name_ru = StringField(_l("Name in Russian"), validators=[Optional(), Length(max=300)])
    name_en = StringField(_l("Name in English"), validators=[Optional(), Length(max=300)])
    travel_start = DayField(_l("Arrives in Mashhad"))
    travel_end = DayField(_l("Leaves Mashhad"))
    events = MultiCheckboxField(_l("Rounds it attends"), coerce=int)
    members = MultiCheckboxField(_l("Members"), coerce=int)
    head = SelectField(_l("Head of the delegation"), coerce=int, default=0, validate_choice=False)
    interpreters = MultiCheckboxField(_l("Its interpreters"), coerce=int)
    submit = SubmitField(_l("Save"))
