"""Evaluator page and /api/evaluation: pseudonymised aggregates only."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from sqlmodel import Session

from evaluation.loaders import load_frames
from evaluation.report import (
    Evaluation,
    evaluate,
    evaluation_to_dict,
    render_report_body,
    render_report_html,
)
from service.deps import EvaluatorUser, SessionDep, render
from service.i18n import request_language, translate
from service.inputs import EARLIEST, LATEST, PeriodDay, check_period, in_range, parse_iso_date

router = APIRouter()

K_MIN, K_MAX = 1, 50

# Messages of the page's period form, Swedish first (the default) and English.
MESSAGES: dict[str, dict[str, str]] = {
    "sv": {
        "err_date": "Ange ett datum som ÅÅÅÅ-MM-DD, t.ex. 2025-01-31.",
        "err_date_range": "Ange ett datum mellan {earliest} och {latest}.",
        "err_to_before_from": "Slutdatum före startdatum.",
        "err_from_after_today": (
            "Startdatum efter dagens datum (slutdatum är i dag om inget anges)."
        ),
        "err_k": "Ange ett heltal från {low} till {high}.",
    },
    "en": {
        "err_date": "Enter a date as YYYY-MM-DD, e.g. 2025-01-31.",
        "err_date_range": "Enter a date between {earliest} and {latest}.",
        "err_to_before_from": "End date before start date.",
        "err_from_after_today": "Start date after today (the end date is today unless given).",
        "err_k": "Enter a whole number from {low} to {high}.",
    },
}


def message(key: str, lang: str, **values: object) -> str:
    return translate(key, lang, MESSAGES).format(**values)


def period(date_from: dt.date | None, date_to: dt.date | None) -> tuple[dt.date, dt.date]:
    """Default period: the twelve months up to today. ``ValueError("from: ...")`` or
    ``ValueError("to: ...")`` for a day out of range or a period that ends before it starts."""
    for name, day in (("from", date_from), ("to", date_to)):
        if day is not None:
            try:
                in_range(day)
            except ValueError as exc:
                raise ValueError(f"{name}: {exc}") from None
    check_period(date_from, date_to)
    end = date_to or dt.date.today()
    start = date_from or (end - dt.timedelta(days=365))
    return start, end


DateFrom = Annotated[
    PeriodDay | None,
    Query(alias="from", description=f"First day (YYYY-MM-DD, {EARLIEST} ... {LATEST})."),
]
DateTo = Annotated[
    PeriodDay | None,
    Query(alias="to", description=f"Last day (YYYY-MM-DD, {EARLIEST} ... {LATEST})."),
]
TopK = Annotated[int, Query(ge=K_MIN, le=K_MAX, description="Cut-off for precision@k and nDCG@k.")]


@router.get("/api/evaluation", tags=["evaluation"])
def evaluation_api(
    session: SessionDep,
    user: EvaluatorUser,
    date_from: DateFrom = None,
    date_to: DateTo = None,
    k: TopK = 5,
) -> dict[str, Any]:
    """Every evaluation figure for a period (rates, time to contact and job, fidelity, ranking
    quality, breakdowns with groups under 5 suppressed), without participant identities.

    Dates are ``YYYY-MM-DD`` only (no timestamps); ``from`` may not be after ``to``."""
    start, end = period(date_from, date_to)
    return evaluation_to_dict(evaluate(load_frames(session, date_from=start, date_to=end), k=k))


def _page_day(text: str | None, name: str, errors: dict[str, str], lang: str) -> dt.date | None:
    if text is None or not text.strip():  # an empty field of the form: the default
        return None
    try:
        day = parse_iso_date(text)
    except ValueError:
        errors[name] = message("err_date", lang)
        return None
    try:
        return in_range(day)
    except ValueError:
        errors[name] = message("err_date_range", lang, earliest=EARLIEST, latest=LATEST)
        return None


def _page_k(text: str | None, errors: dict[str, str], lang: str) -> int:
    if text is None or not text.strip():
        return 5
    value = text.strip()
    if value.isascii() and value.isdigit() and K_MIN <= int(value) <= K_MAX:
        return int(value)
    errors["k"] = message("err_k", lang, low=K_MIN, high=K_MAX)
    return 5


class UnknownTable(LookupError):
    """No evaluation table of this name."""


PageDay = Annotated[str | None, Query(alias="from")]
PageDayTo = Annotated[str | None, Query(alias="to")]


def _page_period(
    request: Request, session: Session, date_from: str | None, date_to: str | None, k: str | None
) -> tuple[Evaluation | None, Response | None]:
    """The evaluation for the form's period, or the form again with the field's message (422)."""
    lang = request_language(request)
    errors: dict[str, str] = {}
    start = _page_day(date_from, "from", errors, lang)
    end = _page_day(date_to, "to", errors, lang)
    cutoff = _page_k(k, errors, lang)
    if not errors:
        try:
            check_period(start, end)
        except ValueError as exc:
            field = str(exc).partition(":")[0]
            key = "err_to_before_from" if field == "to" else "err_from_after_today"
            errors[field] = message(key, lang)
    if errors:
        typed = {"date_from": date_from or "", "date_to": date_to or "", "k": k or ""}
        return None, render(
            request,
            "evaluation.html",
            {"body": None, **typed, "errors": errors, "message": translate("invalid_input", lang)},
            status_code=422,
        )
    start, end = period(start, end)
    return evaluate(load_frames(session, date_from=start, date_to=end), k=cutoff), None


@router.get("/evaluation", include_in_schema=False)
def evaluation_page(
    request: Request,
    session: SessionDep,
    user: EvaluatorUser,
    date_from: PageDay = None,
    date_to: PageDayTo = None,
    k: str | None = None,
):
    """The report for a period; a bad date or cut-off shows the form again with the field's
    message (422) and no report."""
    result, problem = _page_period(request, session, date_from, date_to, k)
    if result is None:
        return problem
    body = render_report_body(result, lang=request_language(request))
    return render(
        request,
        "evaluation.html",
        {
            "body": body,
            "date_from": result.date_from,
            "date_to": result.date_to,
            "k": result.k,
            "tables": sorted(result.tables),
            "errors": {},
        },
    )


def _download(content: str | bytes, media_type: str, filename: str) -> Response:
    return Response(
        content,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get("/evaluation/report.html", include_in_schema=False)
def evaluation_html(
    request: Request,
    session: SessionDep,
    user: EvaluatorUser,
    date_from: PageDay = None,
    date_to: PageDayTo = None,
    k: str | None = None,
):
    """The page's report as one HTML file to keep or send on (charts embedded)."""
    result, problem = _page_period(request, session, date_from, date_to, k)
    if result is None:
        return problem
    html = render_report_html(result, lang=request_language(request))
    name = f"ipsmatch_evaluation_{result.date_from}_{result.date_to}.html"
    return _download(html, "text/html; charset=utf-8", name)


@router.get("/evaluation/{table}.csv", include_in_schema=False)
def evaluation_csv(
    request: Request,
    session: SessionDep,
    user: EvaluatorUser,
    table: str,
    date_from: PageDay = None,
    date_to: PageDayTo = None,
    k: str | None = None,
):
    """One of the report's tables as CSV (UTF-8 with BOM for Excel, raw numbers)."""
    result, problem = _page_period(request, session, date_from, date_to, k)
    if result is None:
        return problem
    if table not in result.tables:
        raise UnknownTable(f"no evaluation table {table!r}")
    text = result.tables[table].to_csv(index=False)
    name = f"{table}_{result.date_from}_{result.date_to}.csv"
    return _download(("\ufeff" + text).encode("utf-8"), "text/csv; charset=utf-8", name)
