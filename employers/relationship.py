"""How warm our relationship with an employer is, derived from the contact log.

Only contacts that were made (status ``done``) count; planned and cancelled ones do not.

Status, first rule that applies:

- ``new``: no contact made yet.
- ``dormant``: the last contact made is more than ``DORMANT_AFTER_DAYS`` (180) days old.
- ``active_partner``: someone was hired there in the last 365 days, or at least
  ``ACTIVE_FACE_TO_FACE`` (3) face-to-face contacts (visit, meeting) in the last 180 days.
- ``warm``: otherwise (a contact made in the last 180 days).

Warmth, in [0, 1], orders employers for the ranking engine:
``0.5 * recency + 0.3 * frequency + 0.2 * hires`` where recency is
``exp(-days since last contact / 90)`` (0 without contacts), frequency is the weighted number of
contacts in the last 180 days (face-to-face 1, phone/e-mail 0.5) over 4, capped at 1, and hires
is the number of hires in the last 365 days over 2, capped at 1. More recent or more frequent
contacts and more hires never lower it.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from employers.models import FACE_TO_FACE_MODES, ContactMode, ContactStatus

DORMANT_AFTER_DAYS = 180
RECENT_DAYS = 180
HIRE_DAYS = 365
ACTIVE_FACE_TO_FACE = 3


class RelationshipStatus(enum.StrEnum):
    new = "new"
    warm = "warm"
    active_partner = "active_partner"
    dormant = "dormant"


@dataclass(frozen=True, slots=True)
class ContactFact:
    """The part of a contact-log entry the relationship depends on."""

    contact_date: date
    mode: ContactMode
    status: ContactStatus = ContactStatus.done


@dataclass(frozen=True, slots=True)
class Relationship:
    status: RelationshipStatus
    warmth: float
    last_contact_date: date | None
    recent_contacts: int
    recent_face_to_face: int
    recent_hires: int


def assess(
    contacts: Iterable[ContactFact], *, today: date, hire_dates: Iterable[date] = ()
) -> Relationship:
    """Status and warmth of one employer from its contacts and hire dates, as of ``today``."""
    made = [c for c in contacts if c.status == ContactStatus.done and c.contact_date <= today]
    hires = sum(1 for d in hire_dates if 0 <= (today - d).days <= HIRE_DAYS)
    if not made:
        return Relationship(
            RelationshipStatus.new, round(0.2 * min(1.0, hires / 2), 4), None, 0, 0, hires
        )
    last = max(c.contact_date for c in made)
    age = (today - last).days
    recent = [c for c in made if (today - c.contact_date).days <= RECENT_DAYS]
    face = sum(1 for c in recent if c.mode in FACE_TO_FACE_MODES)
    weighted = sum(1.0 if c.mode in FACE_TO_FACE_MODES else 0.5 for c in recent)
    warmth = (
        0.5 * math.exp(-age / 90.0) + 0.3 * min(1.0, weighted / 4.0) + 0.2 * min(1.0, hires / 2)
    )
    if age > DORMANT_AFTER_DAYS:
        status = RelationshipStatus.dormant
    elif hires > 0 or face >= ACTIVE_FACE_TO_FACE:
        status = RelationshipStatus.active_partner
    else:
        status = RelationshipStatus.warm
    return Relationship(status, round(min(1.0, warmth), 4), last, len(recent), face, hires)
