"""An empty required cell in an employer file says that it is empty and required, naming the
column, instead of pydantic's 'Input should be a valid string'."""

from __future__ import annotations

import pytest

from employers.errors import ImportRejected
from employers.imports import import_employers

HEADER = "name;municipality_code;contact_name;contact_email\n"


def test_empty_required_cells_read_as_required(session):
    csv = (HEADER + ";1780;;\n" + "Kontaktlös AB;1780;;kim@example.se\n").encode()
    with pytest.raises(ImportRejected) as info:
        import_employers(session, data=csv, filename="register.csv")
    by_row = {r.row: r.errors for r in info.value.report.rejected}
    assert by_row[2] == ["name: required, but empty"]
    assert by_row[3] == [
        "contact_name: required when contact_role, contact_phone or contact_email is filled"
    ]
    assert not any("valid string" in e for errors in by_row.values() for e in errors)
