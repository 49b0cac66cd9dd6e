"""The 30-day clock: from programme entry to the first face-to-face employer contact."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date

#: IPS: job search starts early; the first face-to-face employer contact is due within 30 days.
CLOCK_DAYS = 30


class ClockState(enum.StrEnum):
    done = "done"  # a face-to-face employer contact has been made
    due = "due"  # not yet, still within the 30 days
    overdue = "overdue"  # not yet, and the 30 days have passed


@dataclass(frozen=True, slots=True)
class Clock:
    """Where a participant stands on the 30-day clock on ``today``."""

    entry_date: date
    today: date
    first_contact_date: date | None

    @property
    def days_since_entry(self) -> int:
        return max(0, (self.today - self.entry_date).days)

    @property
    def state(self) -> ClockState:
        if self.first_contact_date is not None:
            return ClockState.done
        return ClockState.overdue if self.days_since_entry > CLOCK_DAYS else ClockState.due

    @property
    def days_left(self) -> int:
        """Days until the deadline (negative when overdue; 0 on the last day)."""
        return CLOCK_DAYS - self.days_since_entry

    @property
    def days_to_contact(self) -> int | None:
        """Days from entry to the first face-to-face contact, once it happened."""
        if self.first_contact_date is None:
            return None
        return max(0, (self.first_contact_date - self.entry_date).days)

    @property
    def urgency(self) -> tuple[int, int]:
        """Sort key: overdue first (longest overdue first), then due soonest, then done."""
        order = {ClockState.overdue: 0, ClockState.due: 1, ClockState.done: 2}[self.state]
        return (order, self.days_left if self.state is not ClockState.done else 0)

    def label(self, lang: str = "sv") -> str:
        """Plain words: "kontakt gjord dag 12" / "om 5 dagar" / "försenad 3 dagar"."""
        if self.state is ClockState.done:
            n = self.days_to_contact
            return f"kontakt gjord dag {n}" if lang == "sv" else f"contact made on day {n}"
        if self.state is ClockState.overdue:
            n = -self.days_left
            if lang == "sv":
                return f"försenad {n} {'dag' if n == 1 else 'dagar'}"
            return f"overdue by {n} {'day' if n == 1 else 'days'}"
        n = self.days_left
        if lang == "sv":
            return "i dag" if n == 0 else f"om {n} {'dag' if n == 1 else 'dagar'}"
        return "today" if n == 0 else f"due in {n} {'day' if n == 1 else 'days'}"


def thirty_day_clock(
    entry_date: date, first_contact_date: date | None, today: date | None = None
) -> Clock:
    """The clock of one participant; a contact before entry counts as made on entry day."""
    today = today or date.today()
    return Clock(entry_date=entry_date, today=today, first_contact_date=first_contact_date)
