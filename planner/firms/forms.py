"""The firm profile form: the firm, its coded activities, offers and needs, and its people.

Repeated rows (activities, offers, needs, participants) are sub-forms in FieldLists; a row
left entirely blank is ignored, a row half filled in gets errors on its own fields.
"""
from __future__ import annotations

import re

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    FieldList,
    Form,
    FormField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import URL, DataRequired, Email, Length, NumberRange, Optional, StopValidation, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from planner.extensions import db
from planner.models import Product, Sector
from planner.models.enums import FirmSize
from planner.text.fields import WholeNumberField
from planner.text.i18n import _l
from planner.text.labels import FIRM_SIZE, LANGUAGE
from planner.text.scripts import ascii_digits

LATIN = re.compile(r"^[A-Za-z0-9 .,&'’()\-–/+\"]+$")
PRODUCT_LEVELS = (2, 4, 6)


def choices(pairs) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


KINDS = (("product", _l("HS product")), ("sector", _l("ISIC activity")))


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def with_scheme(value: str | None) -> str | None:
    """'sepehr-pump.example' -> 'https://sepehr-pump.example': people type addresses as they
    see them on a card; one that names its scheme is kept as typed."""
    if isinstance(value, str) and value and not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", value):
        return "https://" + value.removeprefix("//")
    return value


def normalise_code(value: str | None) -> str:
    """'87.08 40' and '۸۷۰۸۴۰' -> '870840'; ISIC codes keep their digits."""
    return re.sub(r"[\s.\-٫]", "", ascii_digits(value))


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _row_used(form) -> bool:
    for field in form:
        if field.type in ("SelectField", "HiddenField", "CSRFTokenField"):
            continue
        if field.data not in (None, "", [], ()):
            return True
    return False


class WhenRowUsed:
    """Required only when some other field of the row is filled in; a blank row is skipped."""

    def __init__(self, message):
        self.message = message

    def __call__(self, form, field):
        if not _row_used(form):
            field.errors[:] = []
            raise StopValidation()
        if field.data in (None, "", []):
            raise StopValidation(str(self.message))


def check_code(kind: str, code: str) -> None:
    """Raise ValidationError unless `code` is an HS 2/4/6-digit code or an ISIC division, group or class."""
    if kind == "product":
        if not code.isdigit() or len(code) not in PRODUCT_LEVELS:
            raise ValidationError(str(_l("An HS code has 2, 4 or 6 digits.")))
        if db.session.get(Product, code) is None:
            raise ValidationError(str(_l("There is no HS code %(code)s.", code=code)))
    else:
        if not code.isdigit() or not 2 <= len(code) <= 4:
            raise ValidationError(str(_l("An ISIC code has 2 to 4 digits.")))
        if db.session.get(Sector, code) is None:
            raise ValidationError(str(_l("There is no ISIC code %(code)s.", code=code)))


class InterestForm(Form):
    """One offer or need: a code, a note, and optional volume and certification."""

    kind = SelectField(_l("Kind"), choices=choices(KINDS), default="product")
    code = StringField(_l("Code"), filters=[normalise_code],
                       validators=[WhenRowUsed(_l("Choose a code from the list."))])
    note = StringField(_l("Note"), filters=[_strip], validators=[Length(max=500)])
    volume = StringField(_l("Volume"), filters=[_strip], validators=[Length(max=120)])
    certification = StringField(_l("Certification"), filters=[_strip], validators=[Length(max=120)])

    def validate_code(self, field):
        if field.data:
            check_code(self.kind.data, field.data)


class ActivityForm(Form):
    code = StringField(_l("ISIC activity"), filters=[normalise_code])

    def validate_code(self, field):
        if field.data:
            check_code("sector", field.data)


class ParticipantForm(Form):
    first_name = StringField(_l("First name"), filters=[_strip],
                             validators=[WhenRowUsed(_l("Please enter the first name.")), Length(max=120)])
    last_name = StringField(_l("Last name"), filters=[_strip],
                            validators=[WhenRowUsed(_l("Please enter the last name.")), Length(max=120)])
    first_name_latin = StringField(_l("First name in Latin letters"), filters=[_strip], validators=[Length(max=120)])
    last_name_latin = StringField(_l("Last name in Latin letters"), filters=[_strip], validators=[Length(max=120)])
    role = StringField(_l("Role"), filters=[_strip], validators=[Length(max=120)])
    email = EmailField(_l("E-mail"), filters=[_strip], validators=[
        WhenRowUsed(_l("Please enter the e-mail.")), Email(message=_l("This is not a valid e-mail address."))])
    phone = StringField(_l("Phone"), filters=[_strip], validators=[Length(max=40)])
    languages = MultiCheckboxField(_l("Languages"), choices=[])
    attending_days = MultiCheckboxField(_l("Attending days (none ticked: every day)"), choices=[])

    def validate_first_name_latin(self, field):
        if field.data and not LATIN.match(field.data):
            raise ValidationError(str(_l("Use Latin letters only.")))

    validate_last_name_latin = validate_first_name_latin


class FirmForm(FlaskForm):
    """Registration and editing of a firm profile."""

    name_native = StringField(_l("Firm name (original script)"), filters=[_strip],
                              validators=[DataRequired(message=_l("Please enter the firm's name.")), Length(max=200)])
    name_latin = StringField(_l("Firm name in Latin letters"), filters=[_strip],
                             validators=[DataRequired(message=_l("Please enter the name in Latin letters.")),
                                         Length(max=200)])
    region = SelectField(_l("Region"), coerce=int, choices=[],
                         validators=[DataRequired(message=_l("Please choose a region."))])
    city = StringField(_l("City"), filters=[_strip],
                       validators=[DataRequired(message=_l("Please enter the city.")), Length(max=120)])
    city_latin = StringField(_l("City in Latin letters"), filters=[_strip], validators=[Length(max=120)])
    website = StringField(_l("Website"), filters=[_strip, with_scheme], validators=[
        Optional(), URL(require_tld=True, message=_l("Enter a full address, such as https://example.com.")),
        Length(max=300)])
    size = SelectField(_l("Size"), choices=choices(FIRM_SIZE.items()), default=FirmSize.SMALL)
    founded = WholeNumberField(_l("Founded (year)"), validators=[
        Optional(), NumberRange(min=1800, max=2100, message=_l("Enter a year between %(min)s and %(max)s."))])
    description = TextAreaField(_l("What your firm does"), filters=[_strip], validators=[Length(max=2000)])
    languages = MultiCheckboxField(_l("Working languages"), choices=choices(LANGUAGE.items()),
                                   validators=[DataRequired(message=_l("Choose at least one language."))])
    public = BooleanField(_l("Show the firm in the public directory"), default=True)
    activities = FieldList(FormField(ActivityForm), min_entries=2)
    capabilities = FieldList(FormField(InterestForm), min_entries=2)
    needs = FieldList(FormField(InterestForm), min_entries=2)
    participants = FieldList(FormField(ParticipantForm), min_entries=1)
    events = MultiCheckboxField(_l("Take part in these B2B events"), coerce=int, choices=[])
    submit = SubmitField(_l("Save the profile"))

    def validate_name_latin(self, field):
        if not LATIN.match(field.data or ""):
            raise ValidationError(str(_l("Use Latin letters only.")))

    def validate_city_latin(self, field):
        if field.data and not LATIN.match(field.data):
            raise ValidationError(str(_l("Use Latin letters only.")))

    def validate_participants(self, field):
        if not any(_row_used(entry.form) for entry in field.entries):
            raise ValidationError(str(_l("Add at least one person who will attend.")))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        return self._no_repeated_codes() and valid

    def _no_repeated_codes(self) -> bool:
        """A code listed twice among the offers (or the needs) gets an error on its second row;
        the rows stay as typed, so the note can be moved into the first one."""
        ok = True
        for rows in (self.capabilities, self.needs):
            seen = set()
            for entry in rows.entries:
                row = entry.form
                if not row.code.data or row.code.errors:
                    continue
                key = (row.kind.data, row.code.data)
                if key in seen:
                    message = str(_l("%(code)s is already in the list above; put what you typed here into that row.",
                                     code=row.code.data))
                    row.code.errors = [*row.code.errors, message]
                    if isinstance(rows.errors, list):
                        rows.errors.append({"code": [message]})
                    ok = False
                seen.add(key)
        return ok

    def set_choices(self, regions, events, days) -> None:
        """Fill the choices that come from the database: regions, events and their days."""
        self.region.choices = choices([(0, "—")] + list(regions))
        self.events.choices = choices(events)
        self._days = choices(days)
        self._participant_choices()

    def _participant_choices(self) -> None:
        languages = choices(LANGUAGE.items())
        for entry in self.participants.entries:
            entry.form.languages.choices = languages
            entry.form.attending_days.choices = getattr(self, "_days", [])

    def add_blank_rows(self) -> None:
        """One empty row at the end of every list, so the form can grow without scripts."""
        for rows in (self.activities, self.capabilities, self.needs, self.participants):
            if not rows.entries or _row_used(rows.entries[-1].form):
                rows.append_entry()
        self._participant_choices()

    def to_data(self) -> dict:
        """The submitted profile as plain data for the service, blank rows dropped."""
        def rows(field_list):
            return [entry.form.data for entry in field_list.entries if _row_used(entry.form)]

        data = {name: getattr(self, name).data for name in (
            "name_native", "name_latin", "region", "city", "city_latin", "website", "size", "founded",
            "description", "languages", "public", "events")}
        data["activities"] = [row["code"] for row in rows(self.activities) if row["code"]]
        data["capabilities"] = rows(self.capabilities)
        data["needs"] = rows(self.needs)
        data["participants"] = rows(self.participants)
        return data
