"""The organisers' demand view: requests per registered firm, neediest first."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from planner.extensions import db
from planner.models import Event, EventRegistration, Firm, MeetingRequest
from planner.models.enums import RequestPriority, RequestStatus
from planner.text.i18n import current_locale
from planner.text.scripts import name_key


@dataclass
class DemandRow:
    firm: Firm
    accepted: int = 0
    must: int = 0
    pending_sent: int = 0
    pending_received: int = 0
    declined: int = 0
    withdrawn: int = 0
    minimum: int = 0
    maximum: int | None = None

    @property
    def level(self) -> str:
        """'none', 'few' (below the minimum, or below 3 when the event sets none) or 'ok'."""
        if self.accepted == 0:
            return "none"
        return "few" if self.accepted < (self.minimum or 3) else "ok"


def demand_rows(event: Event) -> list[DemandRow]:
    """Requests per firm taking part, neediest first."""
    # firms with their regions in two batches: the list names each firm and its region
    regs = list(db.session.scalars(select(EventRegistration).where(EventRegistration.event_id == event.id,
                                                                   EventRegistration.takes_part)
                                   .options(selectinload(EventRegistration.firm).selectinload(Firm.region))))
    rows = {}
    for reg in regs:
        low, high = event.meeting_bounds(reg)
        rows[reg.firm_id] = DemandRow(firm=reg.firm, minimum=low, maximum=high)
    for req in db.session.scalars(select(MeetingRequest).where(MeetingRequest.event_id == event.id)):
        for firm_id in (req.requester_firm_id, req.target_firm_id):
            row = rows.get(firm_id)
            if row is None:
                continue
            if req.status == RequestStatus.ACCEPTED:
                row.accepted += 1
                row.must += req.priority == RequestPriority.MUST
            elif req.status == RequestStatus.PENDING:
                if firm_id == req.requester_firm_id:
                    row.pending_sent += 1
                else:
                    row.pending_received += 1
            elif req.status == RequestStatus.DECLINED:
                row.declined += 1
            else:
                row.withdrawn += 1
    order = {"none": 0, "few": 1, "ok": 2}
    return sorted(rows.values(), key=lambda row: (order[row.level], row.accepted,
                                                  name_key(row.firm, current_locale())))
