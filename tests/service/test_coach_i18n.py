"""Every word on the coach and admin pages exists in Swedish and in English."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from matching.types import COMPONENTS, Schedule, SuggestionKind, Transport
from profiles.models import Decision, Disclosure, ParticipantStatus, PlacementKind, Role
from profiles.schemas import (
    CONTACT_MODES,
    DECLINE_REASONS,
    FOLLOW_ALONG_MODES,
    PHYSICAL_DEMANDS,
    PLACEMENT_END_REASONS,
    CareerProfileIn,
)
from profiles.service import PROFILE_FIELDS
from service.i18n import MESSAGES

TEMPLATES = Path(__file__).resolve().parents[2] / "service" / "templates"
PAGES = sorted([*TEMPLATES.glob("coach/*.html"), *TEMPLATES.glob("admin/*.html")])

#: Keys built in templates as prefix ~ value, with every value they can take.
DYNAMIC = {
    "status_": [s.value for s in ParticipantStatus],
    "end_reason_": list(PLACEMENT_END_REASONS),
    "reason_": list(DECLINE_REASONS),
    "kind_": [k.value for k in PlacementKind],
    "mode_": sorted({*CONTACT_MODES, *FOLLOW_ALONG_MODES}),
    "decision_": [d.value for d in Decision],
    "disclosure_": [d.value for d in Disclosure],
    "disclosure_hint_": [d.value for d in Disclosure],
    "counselling_": ["not_started", "planned", "done"],
    "schedule_": [s.value for s in Schedule],
    "transport_": [t.value for t in Transport],
    "physical_": list(PHYSICAL_DEMANDS),
    "comp_": list(COMPONENTS),
    "list_": [k.value for k in SuggestionKind],
    "contact_": ["planned", "done"],
    "role_": [r.value for r in Role],
    "f_": [f for f in PROFILE_FIELDS if f in CareerProfileIn.model_fields],
}


@pytest.mark.parametrize("template", PAGES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_key_a_page_uses_exists_in_both_languages(template):
    text = template.read_text(encoding="utf-8")
    keys = set(re.findall(r"""_\(\s*["']([A-Za-z0-9_]+)["']\s*\)""", text))
    for prefix in re.findall(r"""_\(\s*["']([A-Za-z0-9_]+_)["']\s*~""", text):
        assert prefix in DYNAMIC, f"{template.name}: unknown key family {prefix!r}"
        keys |= {prefix + value for value in DYNAMIC[prefix]}
    for lang in ("sv", "en"):
        missing = sorted(k for k in keys if k not in MESSAGES[lang])
        assert missing == [], f"{template.name} ({lang}) lacks {missing}"


def test_the_two_languages_say_different_things():
    """A key copied without translating shows Swedish on the English page (or back)."""
    same = [
        k
        for k, sv in MESSAGES["sv"].items()
        if k.startswith(("end_reason_", "disclosure_hint_", "employers_", "municipalit"))
        and sv == MESSAGES["en"][k]
    ]
    assert same == []
