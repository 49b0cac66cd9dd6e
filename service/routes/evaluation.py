"""Evaluator page and /api/evaluation: pseudonymised aggregates only."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from evaluation.loaders import load_frames
from evaluation.report import evaluate, evaluation_to_dict, render_report_body
from service.deps import EvaluatorUser, SessionDep, render
from service.i18n import request_language

router = APIRouter()


# Dates pandas can hold (nanosecond timestamps: 1677-09-21 ... 2262-04-11), with room for
# the default year before `to`.
EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2200, 12, 31)


def period(date_from: dt.date | None, date_to: dt.date | None) -> tuple[dt.date, dt.date]:
    """Default period: the twelve months up to today."""
    for name, day in (("from", date_from), ("to", date_to)):
        if day is not None and not EARLIEST <= day <= LATEST:
            raise ValueError(f"{name}: {day} is outside {EARLIEST} ... {LATEST}")
    end = date_to or dt.date.today()
    start = date_from or (end - dt.timedelta(days=365))
    if end < start:
        raise ValueError(f"to: {end} is before the first day, {start}")
    return start, end


DateFrom = Annotated[dt.date | None, Query(alias="from", description="First day (YYYY-MM-DD).")]
DateTo = Annotated[dt.date | None, Query(alias="to", description="Last day (YYYY-MM-DD).")]
TopK = Annotated[int, Query(ge=1, le=50, description="Cut-off for precision@k and nDCG@k.")]


@router.get("/api/evaluation", tags=["evaluation"])
def evaluation_api(
    session: SessionDep,
    user: EvaluatorUser,
    date_from: DateFrom = None,
    date_to: DateTo = None,
    k: TopK = 5,
) -> dict[str, Any]:
    """Every evaluation figure for a period (rates, time to contact and job, fidelity, ranking
    quality, breakdowns with groups under 5 suppressed), without participant identities."""
    start, end = period(date_from, date_to)
    return evaluation_to_dict(evaluate(load_frames(session, date_from=start, date_to=end), k=k))


@router.get("/evaluation", include_in_schema=False)
def evaluation_page(
    request: Request,
    session: SessionDep,
    user: EvaluatorUser,
    date_from: DateFrom = None,
    date_to: DateTo = None,
    k: TopK = 5,
):
    start, end = period(date_from, date_to)
    result = evaluate(load_frames(session, date_from=start, date_to=end), k=k)
    body = render_report_body(result, lang=request_language(request))
    return render(
        request, "evaluation.html", {"body": body, "date_from": start, "date_to": end, "k": k}
    )
