"""All models, imported here so Alembic and the app see one metadata."""
from planner.models.eventday import DayPresence  # noqa: F401
from planner.models.events import (  # noqa: F401
    Attendance,
    Closure,
    DeletedSetupItem,
    Event,
    EventRegistration,
    EventSession,
    Interpreter,
    MeetingTable,
    Slot,
)
from planner.models.exhibitions import Exhibition, ExhibitionRevision, exhibition_sectors  # noqa: F401
from planner.models.firms import (  # noqa: F401
    Capability,
    Delegation,
    Firm,
    Need,
    Participant,
    Region,
    delegation_events,
    delegation_interpreters,
    delegation_members,
    firm_sectors,
)
from planner.models.mail import OutgoingMessage  # noqa: F401
from planner.models.meetings import Meeting, MeetingRequest, Outcome, ScheduleVersion, SolveJob  # noqa: F401
from planner.models.taxonomy import Product, Sector  # noqa: F401
from planner.models.users import User  # noqa: F401
