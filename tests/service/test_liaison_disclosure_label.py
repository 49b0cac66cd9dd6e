"""The register's contact form asks the liaison to confirm that the participant's own disclosure
choice was followed; it must not read as if the liaison decides what the employer may be told."""

from __future__ import annotations

import html as html_module
import re

from profiles.models import Role
from tests.profiles.factories import make_register


def _checkbox_label(html: str) -> str:
    match = re.search(r'<input type="checkbox" name="disclosure_shown"[^>]*>([^<]*)</label>', html)
    assert match, "the contact form has no disclosure checkbox"
    return html_module.unescape(match.group(1).strip())


def test_the_disclosure_checkbox_confirms_the_participants_choice(client, login_as, session):
    login_as(Role.liaison)
    reg = make_register(session)
    sv = client.get(f"/employers/{reg['lager'].id}").text
    assert _checkbox_label(sv) == "Deltagarens val om att berätta har visats och följts"
    en = client.get(f"/employers/{reg['lager'].id}?lang=en").text
    assert _checkbox_label(en) == "The participant's disclosure choice was shown and followed"
