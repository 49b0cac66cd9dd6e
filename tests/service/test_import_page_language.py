"""The import page's report is in the page's language: no English summary line for logs on
the Swedish page."""

from __future__ import annotations

from profiles.models import Role

CSV = (
    "name;municipality_code;size_class\nBra Bolaget AB;1780;10-49\nDåliga Bolaget AB;1780;99-100\n"
)


def test_the_import_report_reads_in_swedish(client, login_as):
    _user, csrf = login_as(Role.liaison)
    r = client.post(
        "/employers/import",
        data={"csrf_token": csrf, "kind": "employers"},
        files={"file": ("arbetsgivare.csv", CSV.encode("utf-8"), "text/csv")},
    )
    assert r.status_code == 422
    assert "rows," not in r.text and "nothing imported" not in r.text
    assert "Rader i filen: 2" in r.text
    assert ">3<" in r.text and "size_class" in r.text  # the row and field are named
