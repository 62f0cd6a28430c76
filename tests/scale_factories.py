"""An event that can be made larger without changing what one reader sees: the reader's firm
(two people), three Chelyabinsk partner firms forming a delegation, their meetings, and
filler firms meeting each other — in the published round and in an unrelated published
round. `grow` adds filler, so a test measures a page before and after the event grows."""
from __future__ import annotations

from datetime import date, time

from sqlalchemy import select

from planner.extensions import db
from planner.models import Delegation, Meeting, MeetingTable, Region
from tests.factories import event_slots, make_event, make_firm, make_meeting_request, make_user, publish_meetings

FILLER_PER_UNIT = 12


def make_growing_round() -> dict:
    """The small event (one unit of filler); returns what tests need, `grow` makes it larger."""
    event = make_event(start=date(2026, 11, 8), end=date(2026, 11, 9),
                       sessions=((0, time(9), time(13)), (1, time(9), time(13))), tables=12,
                       venue="Mashhad International Exhibition Center")
    other = make_event(start=date(2026, 12, 6), end=date(2026, 12, 6), sessions=((0, time(9), time(13)),), tables=12)
    reader = make_firm("khorasan-razavi", name="صنایع فولاد توس", name_latin="Toos Steel Industries",
                       offers=["7208", "720851"], needs=["8474", "847410"], participants=2)
    partners = [make_firm("chelyabinsk", offers=["8474", "8430"], needs=["7208", "0806"], languages=["ru", "en"])
                for _ in range(3)]
    region = db.session.scalar(select(Region).where(Region.key == "chelyabinsk"))
    members = [p for firm in partners for p in firm.participants]
    delegation = Delegation(key="growing", region=region, name={"ru": "Делегация", "en": "Delegation", "fa": "هیئت"},
                            members=members, head=members[0])
    db.session.add(delegation)
    slots = event_slots(event)
    placements = [{"request": make_meeting_request(event, partner, reader), "slot": slots[n], "table": event.tables[0]}
                  for n, partner in enumerate(partners)]
    # the delegation's members also meet each other's neighbours: one more meeting per partner
    hosts = [make_firm("khorasan-razavi", offers=["0806"], needs=["8430"]) for _ in partners]
    placements += [{"request": make_meeting_request(event, partner, host), "slot": slots[4 + n], "table": event.tables[1]}
                   for n, (partner, host) in enumerate(zip(partners, hosts, strict=True))]
    version = publish_meetings(event, placements)
    other_version = publish_meetings(other, [])
    data = {"event": event, "other": other, "version": version, "other_version": other_version, "reader": reader,
            "person": reader.participants[0], "partners": partners, "delegation": delegation, "units": 0}
    data["person_user"] = make_user(firm=reader, email=reader.participants[0].email)
    data["head_user"] = make_user("delegation_head", email="head@growing.example", locale="ru")
    data["head_user"].delegation_id = delegation.id
    data["organiser"] = make_user("organiser", email="org@growing.example")
    grow(data, 1)
    db.session.commit()
    return data


def grow(data: dict, units: int) -> None:
    """Add `units` of filler: FILLER_PER_UNIT meetings between new firms in each round."""
    for event, version in ((data["event"], data["version"]), (data["other"], data["other_version"])):
        slots = event_slots(event)
        used = db.session.scalar(select(db.func.count(Meeting.id)).where(Meeting.version_id == version.id))
        for _ in range(units * FILLER_PER_UNIT):
            iranian = make_firm("khorasan-razavi", offers=["0806", "7208"], needs=["8474"])
            russian = make_firm("chelyabinsk", offers=["8474"], needs=["0806"], languages=["ru", "en"])
            request = make_meeting_request(event, russian, iranian)
            request.ical_sequence = 0
            # filler meets at tables 3.. (the reader's tables stay theirs), spread over slots
            while 2 + used // len(slots) >= len(event.tables):
                event.tables.append(MeetingTable(name=f"X{len(event.tables)}", position=len(event.tables) + 1))
                db.session.flush()
            table = event.tables[2 + used // len(slots)]
            version.meetings.append(Meeting(request=request, slot=slots[used % len(slots)], table=table,
                                            participants=list(iranian.participants) + list(russian.participants)))
            used += 1
    data["units"] += units
    db.session.flush()
