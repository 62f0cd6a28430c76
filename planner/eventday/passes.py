"""Check-in passes: a 12-digit code per person and round, shown as a QR code on the timetable.

The code is an HMAC of the round and the person under the app's secret, so it identifies the
person for that round only, says nothing about them, cannot be guessed from another pass, and
needs no stored row (printed and e-mailed timetables stay valid). It is digits only: a USB
scanner on a Persian keyboard layout types Persian digits, which `normalise_code` reads back.
"""
from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass

import segno
from flask import current_app
from sqlalchemy import select

from planner.extensions import db
from planner.models import Event, EventRegistration, Participant
from planner.text.scripts import ascii_digits

CODE_DIGITS = 12


def _secret() -> bytes:
    return str(current_app.config.get("KARVAN_CHECKIN_SECRET") or current_app.config["SECRET_KEY"]).encode()


def checkin_code(event: Event, participant: Participant) -> str:
    """The person's 12-digit code for `event` (stable while the secret stays the same)."""
    digest = hmac.new(_secret(), f"karvan-checkin|{event.id}|{participant.id}".encode(), hashlib.sha256).digest()
    return str(int.from_bytes(digest[:8], "big") % 10**CODE_DIGITS).zfill(CODE_DIGITS)


def grouped(code: str) -> str:
    """'1234 5678 9012': easier to read aloud and to type."""
    return " ".join(code[i:i + 4] for i in range(0, len(code), 4))


def normalise_code(text: str | None) -> str:
    """Digits of a typed or scanned code in any script, separators dropped ('۱۲۳۴-۵۶…' → '123456…')."""
    return re.sub(r"\D", "", ascii_digits(text or ""))


def registered_people(event: Event) -> list[Participant]:
    """Every person of the firms taking part in `event`."""
    return list(db.session.scalars(
        select(Participant).join(EventRegistration, EventRegistration.firm_id == Participant.firm_id)
        .where(EventRegistration.event_id == event.id, EventRegistration.takes_part).order_by(Participant.id)))


def find_by_code(event: Event, text: str | None) -> Participant | None:
    """The registered person whose pass for `event` carries this code, else None."""
    code = normalise_code(text)
    if len(code) != CODE_DIGITS:
        return None
    return next((person for person in registered_people(event)
                 if hmac.compare_digest(checkin_code(event, person), code)), None)


@dataclass(frozen=True)
class Pass:
    """What a timetable shows: the code, grouped for reading, and its QR code as a PNG data URI."""

    code: str
    label: str
    qr_data_uri: str


def checkin_pass(event: Event, participant: Participant) -> Pass:
    """The person's pass for `event` (the QR code holds the bare digits)."""
    code = checkin_code(event, participant)
    qr = segno.make(code, error="m", micro=False)
    return Pass(code, grouped(code), qr.png_data_uri(scale=6, border=2))
