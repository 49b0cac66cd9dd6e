import json
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlmodel import Session, func, select

from employers.errors import ImportRejected
from employers.imports import ImportFileError, import_ads, import_employers
from employers.models import ContactPerson, Employer, ImportBatch, Opening, OpeningStatus

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "employers_example.csv"
ADS = Path("/work/shared/data/ads")
HEADER = "name;org_number;municipality_code;trade;occupations;contact_name;contact_email\n"


def count(session: Session, model) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


def test_example_file_imports_and_reimport_creates_nothing(session: Session):
    data = EXAMPLE.read_bytes()
    report = import_employers(session, data=data, filename=EXAMPLE.name)
    assert report.committed and not report.rejected
    assert report.created == 5
    assert count(session, Employer) == 5
    assert count(session, ContactPerson) == 2
    cafe = session.exec(select(Employer).where(Employer.name == "Café Klarälven")).one()
    assert cafe.municipality_code == "1780"  # from the municipality name
    assert "5132" in cafe.ssyk4_codes  # "Barista" resolved to the taxonomy
    again = import_employers(session, data=data, filename=EXAMPLE.name)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 5)
    assert again.previously_imported_at is not None
    assert count(session, Employer) == 5
    assert count(session, ContactPerson) == 2
    assert count(session, ImportBatch) == 1


def test_broken_rows_import_nothing_and_are_all_reported(session: Session):
    csv = (
        HEADER
        + "Bra Firma AB;556036-0793;1780;Bygg;;;\n"
        + "Fel Kontroll AB;556036-0794;1780;;;;\n"
        + ";;1780;Ingen namn;;;\n"
        + "Okänd kommun AB;;9999;;;;\n"
        + "Konstigt yrke AB;;1780;;qqqxxzz;;\n"
        + "Dålig e-post AB;;1780;;;Kim;inte-en-adress\n"
        + "Dubblett AB;556036-0793;1780;;;;\n"
    ).encode()
    with pytest.raises(ImportRejected) as info:
        import_employers(session, data=csv, filename="register.csv")
    report = info.value.report
    assert not report.committed
    by_row = {r.row: r.errors for r in report.rejected}
    assert set(by_row) == {3, 4, 5, 6, 7, 8}
    assert any("org_number" in e and "check digit" in e for e in by_row[3])
    assert any(e.startswith("name:") for e in by_row[4])
    assert any(e.startswith("municipality_code:") for e in by_row[5])
    assert any(e.startswith("occupations:") for e in by_row[6])
    assert any(e.startswith("contact_email:") for e in by_row[7])
    assert any("same organisation number as row 2" in e for e in by_row[8])
    assert count(session, Employer) == 0
    assert count(session, ImportBatch) == 0

    report = import_employers(session, data=csv, filename="register.csv", skip_invalid=True)
    assert report.committed and report.created == 1 and len(report.rejected) == 6
    assert [e.name for e in session.exec(select(Employer))] == ["Bra Firma AB"]


def test_reimport_fills_empty_fields_but_never_overwrites(session: Session):
    first = (HEADER + "Bageri Bullen AB;;1780;Bageri;;;\n").encode()
    import_employers(session, data=first, filename="a.csv")
    employer = session.exec(select(Employer)).one()
    employer.trade = "Bageri och konditori"  # a liaison's edit
    session.add(employer)
    session.commit()
    second = (HEADER + "Bageri Bullen;556036-0793;1780;Bageri;;;\n").encode()
    report = import_employers(session, data=second, filename="b.csv")
    assert (report.created, report.updated) == (0, 1)
    session.refresh(employer)
    assert employer.org_number == "556036-0793"
    assert employer.trade == "Bageri och konditori"
    assert count(session, Employer) == 1


def test_similar_name_is_offered_as_duplicate(session: Session):
    import_employers(
        session, data=(HEADER + "Karlstads Bygg & Måleri AB;;1780;;;;\n").encode(), filename="a.csv"
    )
    report = import_employers(
        session, data=(HEADER + "Karlstad Bygg och Måleri;;1780;;;;\n").encode(), filename="b.csv"
    )
    assert report.created == 1
    assert [d.existing_name for d in report.possible_duplicates] == ["Karlstads Bygg & Måleri AB"]


def test_xlsx_with_numeric_cells(session: Session, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["Name", "Org_number", "Municipality_code", "Occupations"])
    sheet.append(["Sunne Snickeri", 5560360793, 180, "Snickare"])  # zero lost by Excel
    path = tmp_path / "reg.xlsx"
    book.save(path)
    report = import_employers(session, data=path.read_bytes(), filename="reg.xlsx")
    assert report.created == 1
    employer = session.exec(select(Employer)).one()
    assert (employer.org_number, employer.municipality_code) == ("556036-0793", "0180")


def test_file_level_problems_are_clear(session: Session):
    with pytest.raises(ImportFileError, match="missing column"):
        import_employers(session, data=b"namn;orgnr\nX;1\n", filename="x.csv")
    with pytest.raises(ImportFileError, match="unknown column"):
        import_employers(session, data=b"name;colour\nX;red\n", filename="x.csv")
    with pytest.raises(ImportFileError, match=".csv or .xlsx"):
        import_employers(session, data=b"name\nX\n", filename="x.pdf")
    with pytest.raises(ImportFileError, match="xlsx"):
        import_employers(session, data=b"not a zip", filename="x.xlsx")


def test_cp1252_csv_from_excel(session: Session):
    data = (HEADER + "Årjängs Åkeri;;1765;Åkeri;;;\n").encode("cp1252")
    report = import_employers(session, data=data, filename="excel.csv")
    assert report.created == 1
    assert session.exec(select(Employer)).one().name == "Årjängs Åkeri"


@pytest.mark.skipif(not ADS.exists(), reason="shared data not mounted")
def test_real_ads_all_or_nothing_then_skip_invalid_then_idempotent(session: Session):
    data = (ADS / "real_ads_jobsearch.jsonl").read_bytes()
    with pytest.raises(ImportRejected) as info:
        import_ads(session, data=data, filename="real_ads_jobsearch.jsonl")
    rejected = info.value.report.rejected
    assert rejected and all(r.errors == ["employer.name: missing"] for r in rejected)
    assert count(session, Opening) == 0 and count(session, Employer) == 0

    report = import_ads(session, data=data, filename="real_ads_jobsearch.jsonl", skip_invalid=True)
    valid = 114 - len(rejected)
    assert report.openings_created == valid
    assert count(session, Opening) == valid
    employers = count(session, Employer)
    java = session.exec(select(Opening).where(Opening.external_id == "jobsearch:23115679")).one()
    assert java.occupation_ids == ["7wdX_4rv_33z"] and java.ssyk4_codes == ["2512"]
    assert java.municipality_code == "0180" and java.lat == pytest.approx(59.3198, abs=1e-3)
    assert java.source == "jobsearch" and java.hours_per_week == 40

    again = import_ads(session, data=data, filename="real_ads_jobsearch.jsonl", skip_invalid=True)
    assert (again.openings_created, again.created, again.unchanged) == (0, 0, valid)
    assert count(session, Opening) == valid and count(session, Employer) == employers


@pytest.mark.skipif(not ADS.exists(), reason="shared data not mounted")
def test_search_response_format_and_org_number_check(session: Session):
    data = (ADS / "jobsearch_response_example.json").read_bytes()
    with pytest.raises(ImportRejected) as info:
        import_ads(session, data=data, filename="resp.json")
    report = info.value.report
    assert [r.key for r in report.rejected] == ["23174210", "23187561"]
    assert "check digit" in report.rejected[0].errors[0]
    # The same ads with a valid number import with every field of the full schema.
    document = json.loads(data)
    for hit, number in zip(document["hits"]["hits"], ["5560360793", "2120000142"], strict=True):
        hit["_source"]["employer"]["organization_number"] = number
    fixed = json.dumps(document).encode()
    report = import_ads(session, data=fixed, filename="resp.json")
    assert report.openings_created == 2
    opening = session.exec(select(Opening).where(Opening.external_id == "jobsearch:23187561")).one()
    assert opening.vacancies == 10
    assert str(opening.deadline) == "2019-05-31"
    employer = session.get(Employer, opening.employer_id)
    assert employer.org_number == "212000-0142"
    first = session.exec(select(Opening).where(Opening.external_id == "jobsearch:23174210")).one()
    assert first.required_licences == ["B"]  # driving_license_required without classes
    assert first.required_languages == ["Engelska"]
    assert first.hours_per_week == 40.0  # scope_of_work max 100 %


def test_ad_removed_later_closes_the_opening(session: Session):
    ad = {
        "id": "77",
        "headline": "Lagerarbetare",
        "employer": {"name": "Lagret AB"},
        "workplace_address": {"municipality_code": "1780"},
    }
    import_ads(session, data=json.dumps([ad]).encode(), filename="a.json")
    ad["removed"] = True
    report = import_ads(session, data=json.dumps([ad]).encode(), filename="b.json")
    assert report.openings_updated == 1
    opening = session.exec(select(Opening)).one()
    assert opening.status == OpeningStatus.closed and opening.closed_at is not None


def test_bad_json_lines_are_rejected_rows(session: Session):
    data = b'{"id": "1", "headline": "Kock", "employer": {"name": "Krogen"}}\n{not json\n'
    with pytest.raises(ImportRejected) as info:
        import_ads(session, data=data, filename="x.jsonl")
    assert info.value.report.rejected[0].row == 2
    assert "not valid JSON" in info.value.report.rejected[0].errors[0]
    assert count(session, Opening) == 0
