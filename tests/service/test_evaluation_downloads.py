"""The evaluator downloads what the page shows: a self-contained HTML report and each table as
CSV, for the period on the page; headers and end reasons read as words in both languages."""

import csv
import datetime as dt
import io

import pytest

from profiles.models import Participant, Placement, PlacementKind, Role
from service.demo import generate_demo


@pytest.fixture
def demo(session):
    generate_demo(session, seed=7, town="Karlstad")
    return session


def test_the_page_links_the_downloads_for_its_period(client, login_as, demo):
    login_as(Role.evaluator)
    page = client.get("/evaluation?from=2026-01-01&to=2026-06-30").text
    assert 'href="/evaluation/report.html?from=2026-01-01&amp;to=2026-06-30&amp;k=5"' in page
    assert (
        'href="/evaluation/quarterly_rates.csv?from=2026-01-01&amp;to=2026-06-30&amp;k=5"' in page
    )


def test_html_report_is_one_file_with_its_charts(client, login_as, demo):
    login_as(Role.evaluator)
    r = client.get("/evaluation/report.html?from=2026-01-01&to=2026-06-30&lang=en")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    assert "attachment" in r.headers["content-disposition"]
    assert "2026-01-01" in r.headers["content-disposition"]
    assert "data:image/png;base64," in r.text and 'src="charts/' not in r.text
    assert "2026-01-01 – 2026-06-30" in r.text
    codes = [p.code for p in demo.exec(Participant.__table__.select()).all()]
    assert not any(code in r.text for code in codes)


def test_csv_download_of_a_table(client, login_as, demo):
    login_as(Role.evaluator)
    r = client.get("/evaluation/quarterly_rates.csv?from=2025-01-01&to=2026-06-30")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/csv")
    assert "quarterly_rates_2025-01-01_2026-06-30.csv" in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows and {"quarter", "active", "competitive_rate"} <= set(rows[0])


def test_unknown_table_and_bad_dates_are_clear_answers(client, login_as, demo):
    login_as(Role.evaluator)
    assert client.get("/evaluation/nonsense.csv").status_code == 404
    r = client.get("/evaluation/report.html?from=2024-02-30")
    assert r.status_code == 422
    assert "ÅÅÅÅ-MM-DD" in r.text


def test_coach_cannot_download(client, login_as):
    login_as(Role.coach)
    assert client.get("/evaluation/report.html").status_code == 403
    assert client.get("/evaluation/quarterly_rates.csv").status_code == 403


def test_english_headers_are_words_not_identifiers(client, login_as, demo):
    login_as(Role.evaluator)
    en = client.get("/evaluation?lang=en").text
    for identifier in ("Title en", "N observed", "Km median days", "Fte", "N jobs"):
        assert f"<th>{identifier}</th>" not in en, identifier
    assert "<th>Item</th>" in en and "<th>Median days (KM)</th>" in en


def test_end_reasons_recorded_as_codes_read_as_words(client, login_as, session):
    login_as(Role.evaluator)
    today = dt.date.today()
    for n in range(2):
        p = Participant(code=f"E-{n}", entry_date=today - dt.timedelta(days=200),
                        municipality_code="1780")  # fmt: skip
        session.add(p)
        session.commit()
        job = Placement(participant_id=p.id, title="Diskare", kind=PlacementKind.competitive,
                        start_date=today - dt.timedelta(days=100),
                        end_date=today - dt.timedelta(days=10), end_reason="dismissed")  # fmt: skip
        session.add(job)
        session.commit()
    sv = client.get("/evaluation").text
    assert "<td>dismissed</td>" not in sv
    assert "Uppsagd" in sv
    en = client.get("/evaluation?lang=en").text
    assert "<td>dismissed</td>" not in en
    assert "Dismissed" in en


def test_the_demo_records_end_reasons_as_the_coach_page_does(demo):
    from sqlmodel import select

    from profiles.schemas import PLACEMENT_END_REASONS

    reasons = {p.end_reason for p in demo.exec(select(Placement)).all() if p.end_reason}
    assert reasons and reasons <= set(PLACEMENT_END_REASONS)
