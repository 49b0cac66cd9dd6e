"""The register's edit pages save what they show: a form posted back as rendered (no field
touched, nothing ticked) is stored, and blank list fields mean "none"."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from profiles.models import Role


class _Form(HTMLParser):
    """The fields a browser sends for the form posting to ``action`` (without JavaScript)."""

    def __init__(self, action: str) -> None:
        super().__init__()
        self.action = action
        self.inside = False
        self.fields: list[tuple[str, str]] = []
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("action") == self.action
        if not self.inside:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind in ("submit", "button"):
                return
            self.fields.append((name, a.get("value") or ("on" if kind == "checkbox" else "")))
        elif tag == "select" and name:
            self._select, self._options = name, []
        elif tag == "option" and self._select is not None:
            self._options.append((a.get("value") or "", "selected" in a))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, ""

    def handle_data(self, data):
        if self._textarea is not None:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select" and self._select is not None:
            chosen = [v for v, sel in self._options if sel] or [v for v, _ in self._options[:1]]
            if chosen:
                self.fields.append((self._select, chosen[0]))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self.fields.append((self._textarea, self._text))
            self._textarea = None


def form_as_rendered(html: str, action: str) -> list[tuple[str, str]]:
    parser = _Form(action)
    parser.feed(html)
    assert parser.fields, f"no form posting to {action}"
    return parser.fields


def _encoded(fields: list[tuple[str, str]]) -> dict[str, list[str]]:
    data: dict[str, list[str]] = {}
    for name, value in fields:
        data.setdefault(name, []).append(value)
    return data


@pytest.mark.parametrize("kind", ["openings", "slots"])
def test_edit_page_posted_back_unchanged_is_saved(client, login_as, kind):
    """Bug: an opening or slot without licences, languages or conditions could not be saved from
    its edit page, even unchanged: 'required' under Körkort som krävs / Språk som krävs."""
    login_as(Role.liaison)
    eid = client.post("/api/employers", json={"name": "Bageriet AB"}).json()["id"]
    record = client.post(f"/api/{kind}", json={"employer_id": eid, "title": "Bagare"}).json()
    page = client.get(f"/{kind}/{record['id']}/edit")
    assert page.status_code == 200
    fields = form_as_rendered(page.text, f"/{kind}/{record['id']}/edit")
    saved = client.post(
        f"/{kind}/{record['id']}/edit", data=_encoded(fields), follow_redirects=False
    )
    assert saved.status_code == 303, saved.text
    after = client.get(f"/api/{kind}/{record['id']}").json()
    assert after["version"] == record["version"] + 1
    for field in ("required_licences", "required_languages", "conditions", "schedules"):
        assert after[field] == [], field
    assert after["title"] == "Bagare"


@pytest.mark.parametrize("kind", ["openings", "slots"])
def test_emptied_list_fields_and_unticked_boxes_clear_the_lists(client, login_as, kind):
    """Blank licence and language fields and an empty conditions group mean 'none'."""
    login_as(Role.liaison)
    eid = client.post("/api/employers", json={"name": "Bageriet AB"}).json()["id"]
    record = client.post(
        f"/api/{kind}",
        json={
            "employer_id": eid,
            "title": "Bagare",
            "required_licences": ["B"],
            "required_languages": ["Svenska:3"],
            "conditions": ["night_work"],
            "schedules": ["day"],
        },
    ).json()
    page = client.get(f"/{kind}/{record['id']}/edit")
    fields = form_as_rendered(page.text, f"/{kind}/{record['id']}/edit")
    assert ("required_licences", "B") in fields and ("conditions", "night_work") in fields
    cleared = [
        (name, "" if name in ("required_licences", "required_languages", "conditions") else value)
        for name, value in fields
        if name != "schedules"  # every box unticked: the browser sends nothing
    ]
    saved = client.post(
        f"/{kind}/{record['id']}/edit", data=_encoded(cleared), follow_redirects=False
    )
    assert saved.status_code == 303, saved.text
    after = client.get(f"/api/{kind}/{record['id']}").json()
    for field in ("required_licences", "required_languages", "conditions", "schedules"):
        assert after[field] == [], field


@pytest.mark.parametrize("kind", ["openings", "slots"])
@pytest.mark.parametrize(
    "field", ["required_licences", "required_languages", "conditions", "schedules"]
)
def test_json_null_for_a_list_means_an_empty_list(client, login_as, kind, field):
    """In the API, ``null`` for a list is 'none' (as on creation), never a 500."""
    login_as(Role.liaison)
    eid = client.post("/api/employers", json={"name": "Bageriet AB"}).json()["id"]
    record = client.post(
        f"/api/{kind}",
        json={
            "employer_id": eid,
            "title": "Bagare",
            "required_licences": ["B"],
            "required_languages": ["Svenska:3"],
            "conditions": ["night_work"],
            "schedules": ["day"],
        },
    ).json()
    response = client.patch(
        f"/api/{kind}/{record['id']}", json={field: None, "version": record["version"]}
    )
    assert response.status_code == 200, response.text
    assert response.json()[field] == []
