"""service.coaching: the register as offers with places taken, and the matcher fitted on it,
cached on the app state while the register is unchanged."""

from __future__ import annotations

from types import SimpleNamespace

from sqlmodel import Session

from employers.models import Opening
from profiles.coaching import decide
from profiles.models import Decision, Role, User
from profiles.schemas import DecisionCreate
from service import coaching
from tests.profiles.factories import KARLSTAD, make_participant, make_register


def _coach(session: Session) -> User:
    user = User(username="coach", display_name="Coach", role=Role.coach, password_hash="x")
    session.add(user)
    session.commit()
    session.refresh(user)
    return user


def test_register_offers_carry_the_places_promised(session):
    reg = make_register(session)
    coach = _coach(session)
    p = make_participant(session, coach)
    slot = f"practice:{reg['slot'].id}"
    decide(
        session,
        user=coach,
        participant_id=p.id,
        data=DecisionCreate(offer_ref=slot, decision=Decision.accepted),
    )
    offers = {o.offer_id: o for o in coaching.register_offers(session)}
    assert offers[slot].taken == 1
    assert offers[f"opening:{reg['day'].id}"].taken == 0
    assert f"employer:{reg['krog'].id}" in offers


def test_the_fitted_matcher_is_reused_until_the_register_changes(session):
    reg = make_register(session)
    state = SimpleNamespace()
    first = coaching.fitted_matcher(session, state=state)
    assert coaching.fitted_matcher(session, state=state) is first
    session.add(Opening(employer_id=reg["krog"].id, title="Kock", municipality_code=KARLSTAD))
    session.commit()
    refitted = coaching.fitted_matcher(session, state=state)
    assert refitted is not first
    assert coaching.fitted_matcher(session, state=state) is refitted
