"""An error page leads with a message in the page's language; the developer's text (English)
is kept out of the way, under "technical details"."""

from __future__ import annotations

from profiles.models import Role


def test_a_missing_participant_reads_in_swedish(client, login_as):
    login_as(Role.coach)
    r = client.get("/participants/999999")
    assert r.status_code == 404
    head = r.text[r.text.index("<h1>") : r.text.index("</h1>")]
    assert "Hittades inte" in head
    body = r.text[r.text.index("</h1>") :]
    details = body.index("<details")
    assert body.index("participant 999999 not found") > details  # folded away
    assert "Teknisk information" in body and "Tillbaka" in body


def test_the_english_page_folds_it_too(client, login_as):
    login_as(Role.coach)
    r = client.get("/participants/999999?lang=en")
    assert "Technical details" in r.text and "Back" in r.text
