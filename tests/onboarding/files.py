"""Firm files for the import tests: people of both regions and wishes, as .xlsx or .csv."""
from __future__ import annotations

import csv
import io

from openpyxl import Workbook

from planner.onboarding.columns import MEETING_COLUMNS, PEOPLE_COLUMNS, headers

HOSTS = [  # Khorasan Razavi firms: Persian names, Jalali days with Persian digits
    ["toos-pump", "پمپ‌سازی توس", "Toos Pump Co", "khorasan-razavi", "Mashhad", "toospump.ir", "fa en",
     "HS:841370", "HS:730890", "رضا", "كريمي", "Reza", "Karimi", "reza@toospump.ir", "۰۹۱۵۱۲۳۴۵۶۷", "fa en",
     "مدیر فروش", "۱۴۰۵/۱۰/۰۷ ۱۴۰۵/۱۰/۰۸"],
    ["toos-pump", "", "Toos Pump Co", "استان خراسان رضوی", "", "", "", "", "", "مریم", "احمدی", "Maryam", "Ahmadi",
     "maryam@toospump.ir", "", "fa", "", ""],
    ["razavi-steel", "فولاد رضوی", "Razavi Steel", "Khorasan Razavi Province", "Mashhad", "", "fa",
     "ISIC:2410", "HS:841370", "علی", "رضایی", "Ali", "Rezaei", "ali@razavisteel.ir", "", "fa", "", ""],
]
GUESTS = [  # Chelyabinsk firms: Cyrillic names, ISO days
    ["ural-valve", "Уральская арматура", "Ural Valve", "chelyabinsk", "Челябинск", "https://uralvalve.ru", "ru",
     "HS:848180 HS:730890", "HS:841370", "Иван", "Петров", "Ivan", "Petrov", "petrov@uralvalve.ru", "", "ru en",
     "директор", ""],
    ["chel-metal", "Челябинский металл", "Chelyabinsk Metal", "Челябинская область", "Челябинск", "", "ru",
     "ISIC:2410", "ISIC:2410", "Ольга", "Смирнова", "Olga", "Smirnova", "smirnova@chelmetal.ru", "", "ru", "", ""],
]
WISHES = [["ural-valve", "toos-pump", "must"], ["chel-metal", "razavi-steel", "would_like"],
          ["ural-valve", "razavi-steel", "would_like"]]


def xlsx_bytes(rows, wishes=(), locale: str = "en") -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(headers(locale))
    for row in rows:
        sheet.append(row)
    if wishes:
        meetings = book.create_sheet("meetings")
        meetings.append(headers(locale, MEETING_COLUMNS))
        for row in wishes:
            meetings.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(rows, encoding: str = "utf-8", delimiter: str = ",", locale: str = "en") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(headers(locale) if locale != "en" else PEOPLE_COLUMNS)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)
