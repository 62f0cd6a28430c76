"""Every status and kind Karvan stores, as `StrEnum`s.

They are stored as their string values (no data migration: the columns stay strings), and a
member compares equal to its value, so `request.status == RequestStatus.ACCEPTED` holds for a
row loaded from the database. No other module spells these values as bare literals; the
labels readers see live beside the features (`planner.text.labels`, `requests.services`,
`scheduling.publishing`).
"""
from __future__ import annotations

from enum import StrEnum


class RequestStatus(StrEnum):
    """A meeting request's answer (`MeetingRequest.status`)."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


class RequestPriority(StrEnum):
    """How much the requester wants the meeting: "must" meetings are required by the solver."""

    MUST = "must"
    WOULD_LIKE = "would_like"


class VersionStatus(StrEnum):
    """A schedule version's life (`ScheduleVersion.status`): one published per event at most."""

    DRAFT = "draft"
    PUBLISHED = "published"
    SUPERSEDED = "superseded"
    DISCARDED = "discarded"


class JobStatus(StrEnum):
    """A background solve (`SolveJob.status`)."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"
    INTERRUPTED = "interrupted"  # its worker stopped writing a heartbeat (killed, machine down)


class MailState(StrEnum):
    """An outgoing message's delivery state (`OutgoingMessage.state`)."""

    QUEUED = "queued"
    SENDING = "sending"  # claimed by one deliverer; SMTP not yet confirmed
    SENT = "sent"
    FAILED = "failed"
    RETRYING = "retrying"


class MailKind(StrEnum):
    """Which composer writes an outgoing message (`OutgoingMessage.kind`)."""

    SCHEDULE_UPDATE = "schedule_update"  # the digest of a publish: text, feed link, PDF
    INVITATION = "invitation"  # one iTIP REQUEST or CANCEL for one meeting
    REQUEST_NOTICE = "request_notice"
    PASSWORD_RESET = "password_reset"
    ACCOUNT_INVITATION = "account_invitation"  # a new account (from an import): set your password
    CONFIRM_EMAIL = "confirm_email"  # a new account's link that proves it owns its address
    ACCOUNT_EXISTS = "account_exists"  # to an address's owner when someone registers it again
    FEEDBACK_REQUEST = "feedback_request"


class CancelReason(StrEnum):
    """Why a published meeting was called off without a new publish (`Meeting.cancel_reason`)."""

    WITHDRAWN = "withdrawn"  # the request was withdrawn (or otherwise left "accepted")
    FIRM_LEFT = "firm_left"  # a firm is no longer registered for the round
    NO_PARTICIPANTS = "no_participants"  # one side has nobody left who attends that day
    INTERPRETER_UNAVAILABLE = "interpreter_unavailable"
    DAY_CLOSED = "day_closed"  # the day was closed or its slot no longer exists
    SLOT_CHANGED = "slot_changed"  # the slot length changed and its slot is no longer in the cut


class DeletedKind(StrEnum):
    """What a deletion on the setup page removed (`DeletedSetupItem.kind`)."""

    SESSION = "session"
    TABLE = "table"
    INTERPRETER = "interpreter"
    CLOSURE = "closure"


class Role(StrEnum):
    """What an account may do (`User.role`)."""

    ORGANISER = "organiser"
    FIRM_MEMBER = "firm_member"
    DELEGATION_HEAD = "delegation_head"
    HELPER = "helper"  # staff at the check-in desk: check-in only


class FirmSize(StrEnum):
    """A firm's size class (`Firm.size`)."""

    MICRO = "micro"
    SMALL = "small"
    MEDIUM = "medium"
    LARGE = "large"


class ExhibitionStatus(StrEnum):
    """An exhibition in the chamber's calendar (`Exhibition.status`)."""

    PLANNED = "planned"
    CONFIRMED = "confirmed"
    POSTPONED = "postponed"
    CANCELLED = "cancelled"


class WhoCanMeet(StrEnum):
    """Which pairs of firms a round allows (`Event.who_can_meet`)."""

    CROSS_REGION = "cross-region"
    ANY = "any"


class RequestMode(StrEnum):
    """How a request becomes a meeting in a round (`Event.request_mode`)."""

    MUTUAL_ACCEPT = "mutual-accept"
    AUTO_ACCEPT = "auto-accept"
    ORGANISER_APPROVAL = "organiser-approval"


class CodeKind(StrEnum):
    """The two classifications: HS products and ISIC activities (sectors)."""

    PRODUCT = "product"
    SECTOR = "sector"


class AttendanceStatus(StrEnum):
    """A person on one day of a round (`Attendance.status`)."""

    PRESENT = "present"
    ABSENT = "absent"


class OutcomeSource(StrEnum):
    """Where a side's answer about a meeting came from (`Outcome.source`)."""

    TABLE = "table"  # marked held or not during the day, from the timetable
    FORM = "form"  # the feedback form after the round


class FollowUp(StrEnum):
    """What the two sides agreed to do next (`Outcome.follow_up`)."""

    NONE = "none"
    SAMPLES = "samples"
    OFFER = "offer"
    CONTRACT = "contract"
    MOU = "mou"
    VISIT = "visit"
