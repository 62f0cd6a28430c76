"""Review: a firm name with line breaks (a crafted profile form) neither breaks nor injects
e-mail headers; the notice still goes out with a one-line subject."""
from __future__ import annotations

import email
from email import policy

from planner.notifications.notices import send_request_notice
from planner.notifications.outbox import compose
from tests import factories


def test_line_breaks_in_a_firm_name_stay_out_of_the_headers(app):
    scenario = factories.make_meeting_scenario()
    request = scenario["requests"]["toos-ural"]  # Uraltrubstal asked Toos: Toos hears of it
    firm = request.requester_firm
    firm.name_native = "Уралтрубсталь\r\nBcc: victim@evil.example"
    firm.name_latin = "Uraltrubstal\r\nBcc: victim@evil.example"
    messages = send_request_notice(request.id, "created")
    parsed = email.message_from_bytes(compose(messages[0]), policy=policy.default)
    assert parsed["Bcc"] is None
    subject = str(parsed["Subject"])
    assert "\n" not in subject and "\r" not in subject
    assert "Bcc: victim@evil.example" in subject
