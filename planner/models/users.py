"""Accounts and roles. Failed log-ins are counted by Flask-Limiter (planner.accounts.limits), not here."""
from __future__ import annotations

import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from planner.extensions import db
from planner.models.base import Shown, UTCDateTime, utcnow
from planner.models.enums import Role

ROLES = tuple(Role)


class User(UserMixin, Shown, db.Model):
    __tablename__ = "user"
    __repr_attrs__ = ("email", "role")

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    name: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20), default=Role.FIRM_MEMBER)
    firm_id: Mapped[int | None] = mapped_column(ForeignKey("firm.id"), index=True)
    delegation_id: Mapped[int | None] = mapped_column(ForeignKey("delegation.id"))
    locale: Mapped[str | None] = mapped_column(String(5))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When the owner opened the confirmation link. Self-registered accounts start without it and
    # cannot act for a firm until then; accounts made by organisers, the CLI or the demo are
    # vouched for and start confirmed.
    email_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=utcnow)
    # Flask-Login's alternative id: sessions and remember cookies carry it, so replacing it (new
    # password, reset, "log out everywhere") ends every session issued before.
    session_version: Mapped[str] = mapped_column(String(32), default=lambda: secrets.token_hex(16))

    firm = relationship("Firm")
    delegation = relationship("Delegation")

    def set_password(self, password: str) -> None:
        """Store the new password's hash and end every session that was logged in before."""
        self.password_hash = generate_password_hash(password)
        self.end_sessions()

    def end_sessions(self) -> None:
        """Invalidate every session and remember cookie of this account (the next request logs out)."""
        self.session_version = secrets.token_hex(16)

    def get_id(self) -> str:  # Flask-Login: what the session and the remember cookie hold
        return f"{self.id}:{self.session_version}"

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.active

    @property
    def is_organiser(self) -> bool:
        return self.role == Role.ORGANISER

    @property
    def works_the_desk(self) -> bool:
        """Organisers and check-in helpers may use the check-in desk."""
        return self.role in (Role.ORGANISER, Role.HELPER)

    @property
    def email_confirmed(self) -> bool:
        return self.email_confirmed_at is not None

    def can_manage_firm(self, firm_id: int | None) -> bool:
        return self.is_organiser or (firm_id is not None and self.firm_id == firm_id and self.email_confirmed)
