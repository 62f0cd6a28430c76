"""Shared set-up of the event-day tests: a published one-day round (see factories.make_meeting_scenario)."""
from __future__ import annotations

import base64
import io
import re

from PIL import Image

from planner.extensions import db
from tests import factories


def scenario():
    """make_meeting_scenario plus accounts: an organiser, a helper and a member of each firm."""
    data = factories.make_meeting_scenario()
    data["organiser"] = factories.make_user("organiser", email="org@karvan.example")
    data["helper"] = factories.make_user("helper", email="helper@karvan.example")
    data["members"] = {key: factories.make_user(firm=firm, email=f"{key}@firm.example") for key, firm in data["firms"].items()}
    db.session.commit()
    return data


def decode_qr(html: str) -> str:
    """The text of the first check-in QR code on a page (decoded with zxing-cpp)."""
    import zxingcpp

    match = re.search(r'class="checkin-qr" src="data:image/png;base64,([^"]+)"', html)
    assert match, "no check-in QR code on the page"
    image = Image.open(io.BytesIO(base64.b64decode(match.group(1)))).convert("L")
    results = zxingcpp.read_barcodes(image)
    assert results, "the QR code does not decode"
    return results[0].text
