from datetime import date, timedelta

from profiles.clock import ClockState, thirty_day_clock

TODAY = date(2025, 3, 31)


def test_due_overdue_done_and_order():
    due = thirty_day_clock(TODAY - timedelta(days=25), None, TODAY)
    last = thirty_day_clock(TODAY - timedelta(days=30), None, TODAY)
    late = thirty_day_clock(TODAY - timedelta(days=33), None, TODAY)
    done = thirty_day_clock(TODAY - timedelta(days=40), TODAY - timedelta(days=28), TODAY)
    assert (due.state, due.days_left, due.label("sv")) == (ClockState.due, 5, "om 5 dagar")
    assert (last.state, last.label("en")) == (ClockState.due, "today")
    assert (late.state, late.label("sv")) == (ClockState.overdue, "försenad 3 dagar")
    assert (done.state, done.days_to_contact) == (ClockState.done, 12)
    ordered = sorted([done, due, late, last], key=lambda c: c.urgency)
    assert ordered == [late, last, due, done]
