"""Reading the cells of one row of a firm file: names, region, languages, codes, e-mail and
days, each with its errors at the row's line and column. Pure checks (the code tables and the
regions are read, nothing is written)."""
from __future__ import annotations

import re

from babel import Locale, UnknownLocaleError
from email_validator import EmailNotValidError, validate_email

from planner.delegations.services import list_regions
from planner.extensions import db
from planner.models import Event, Product, Region, Sector
from planner.text.dates import parse_day
from planner.text.i18n import _, local_digits, ngettext
from planner.text.scripts import ascii_digits
from planner.text.search import fold
from planner.text.uploads import RowError, UploadRow

KEY = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
WEBSITE = re.compile(r"^(https?://)?[\w.-]+\.[a-z]{2,}(/\S*)?$", re.IGNORECASE)
LENGTHS = {"firm_name_native": 200, "firm_name_latin": 200, "city": 120, "website": 300, "first_name": 120,
           "last_name": 120, "first_name_latin": 120, "last_name_latin": 120, "phone": 40, "role": 200}
CODE = re.compile(r"^(HS|ISIC):(\w+)$", re.IGNORECASE)


def region_index() -> dict[str, Region]:
    index = {}
    for region in list_regions():
        for text in (region.key, region.name_fa, region.name_ru, region.name_en):
            index.setdefault(fold(text), region)
    return index


def _languages(text: str, line: int, column: str, errors: list[RowError]) -> list[str]:
    codes = [code.lower() for code in re.split(r"[\s,;،]+", ascii_digits(text)) if code]
    for code in codes:
        try:
            if not re.fullmatch(r"[a-z]{2}", code):
                raise ValueError(code)
            Locale.parse(code)
        except (ValueError, UnknownLocaleError):
            errors.append(RowError(line, column, _("“%(code)s” is not a two-letter language code such as fa, ru or en.",
                                                   code=code)))
    return list(dict.fromkeys(codes))


def _codes(text: str, line: int, column: str, errors: list[RowError]) -> list[tuple[str, str]]:
    found = []
    for token in re.split(r"[\s,;،]+", ascii_digits(text)):
        if not token:
            continue
        match = CODE.match(token.replace("：", ":"))
        if match is None:
            errors.append(RowError(line, column, _("“%(code)s” is not a code written HS:870830 or ISIC:2910.", code=token)))
            continue
        kind = "product" if match.group(1).upper() == "HS" else "sector"
        code = match.group(2)
        model = Product if kind == "product" else Sector
        if db.session.get(model, code) is None:
            errors.append(RowError(line, column, _("There is no code %(code)s.", code=token)))
            continue
        found.append((kind, code))
    return list(dict.fromkeys(found))


def _days(text: str, event: Event | None, line: int, errors: list[RowError]) -> list[str] | None:
    if not text:
        return None
    if event is None:
        errors.append(RowError(line, "attending_days", _("Days can only be imported into a round; choose the round.")))
        return None
    own = {day.isoformat() for day in event.days}
    days = []
    for token in re.split(r"[\s,;،]+", text):
        if not token:
            continue
        try:
            day = parse_day(token)
        except ValueError:
            errors.append(RowError(line, "attending_days", _("“%(value)s” is not a date like 2026-12-28 or 1405/10/07.",
                                                             value=token)))
            continue
        if day.isoformat() not in own:
            errors.append(RowError(line, "attending_days", _("%(day)s is not a day of this round.", day=token)))
            continue
        days.append(day.isoformat())
    return sorted(set(days)) if len(set(days)) < len(own) else None


def _text(row: UploadRow, name: str, errors: list[RowError]) -> str:
    value = row.values.get(name, "")
    if name in LENGTHS and len(value) > LENGTHS[name]:
        errors.append(RowError(row.line, name, ngettext("Longer than %(num)s character.", "Longer than %(num)s characters.", LENGTHS[name], num=local_digits(LENGTHS[name]))))
    return value


def firm_values(row: UploadRow, regions: dict[str, Region], event: Event | None,
                 errors: list[RowError]) -> tuple[str | None, dict, list | None, list | None]:
    line = row.line
    key = _text(row, "firm_key", errors).lower() or None
    if key is not None and not KEY.match(key):
        errors.append(RowError(line, "firm_key", _("Use lower-case Latin letters, digits and hyphens.")))
    values = {"name_latin": _text(row, "firm_name_latin", errors),
              "name_native": _text(row, "firm_name_native", errors) or row.values.get("firm_name_latin", "")}
    if not values["name_latin"]:
        errors.append(RowError(line, "firm_name_latin", _("This value is required.")))
    region_text = row.values.get("region", "")
    values["region"] = regions.get(fold(region_text))
    if values["region"] is None:
        errors.append(RowError(line, "region", _("There is no region “%(region)s”; use a region's key or name.",
                                                 region=region_text) if region_text else _("This value is required.")))
    values["city"] = _text(row, "city", errors) or None
    website = _text(row, "website", errors) or None
    if website and not WEBSITE.match(website):
        errors.append(RowError(line, "website", _("This is not a web address.")))
    values["website"] = website
    languages = _languages(row.values.get("firm_languages", ""), line, "firm_languages", errors)
    values["languages"] = languages or None
    offers = _codes(row.values.get("offers", ""), line, "offers", errors) or None
    needs = _codes(row.values.get("needs", ""), line, "needs", errors) or None
    return key, values, offers, needs


def person_values(row: UploadRow, event: Event | None, errors: list[RowError]) -> tuple[str, dict, list | None]:
    line = row.line
    email = ascii_digits(row.values.get("email", "")).lower()
    try:
        email = validate_email(email, check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        errors.append(RowError(line, "email", _("This is not a valid e-mail address.") if email
                               else _("This value is required.")))
    values = {name: _text(row, name, errors) or None
              for name in ("first_name", "last_name", "first_name_latin", "last_name_latin", "role")}
    for name in ("first_name", "last_name"):
        if not values[name]:
            errors.append(RowError(line, name, _("This value is required.")))
    values["phone"] = ascii_digits(_text(row, "phone", errors)) or None
    values["languages"] = _languages(row.values.get("person_languages", ""), line, "person_languages", errors) or None
    return email, values, _days(row.values.get("attending_days", ""), event, line, errors)
