"""`/api/occupations`: suggestions for free text and one occupation with its neighbours."""

from __future__ import annotations

from profiles.models import Role


def test_suggestions_need_login(client) -> None:
    assert client.get("/api/occupations", params={"q": "kock"}).status_code == 401


def test_suggestions_best_first(client, login_as) -> None:
    login_as(Role.liaison)
    response = client.get("/api/occupations", params={"q": "busschaufför", "top": 3})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["query"] == "busschaufför"
    first = body["candidates"][0]
    assert (first["label"], first["ssyk4_code"], first["score"]) == (
        "Bussförare/Busschaufför",
        "8331",
        1.0,
    )
    scores = [c["score"] for c in body["candidates"]]
    assert len(scores) <= 3 and scores == sorted(scores, reverse=True)


def test_garbage_and_bad_parameters(client, login_as) -> None:
    login_as(Role.coach)
    assert client.get("/api/occupations", params={"q": "?!"}).json()["candidates"] == []
    assert client.get("/api/occupations", params={"q": "kock", "top": 0}).status_code == 422
    assert client.get("/api/occupations").status_code == 422


def test_one_occupation_with_neighbours(client, login_as) -> None:
    login_as(Role.coach)
    body = client.get("/api/occupations/KF64_AvU_S4N").json()
    assert (body["label"], body["ssyk4_code"], body["ssyk4_label"]) == (
        "Städare",
        "9111",
        "Städare",
    )
    assert body["current"] is True and body["no_education_required"] is True
    assert body["current_occupation_id"] == "KF64_AvU_S4N"
    weights = [n["weight"] for n in body["neighbours"]]
    assert weights and weights == sorted(weights, reverse=True)
    assert all(n["relation_sv"] and n["relation_en"] for n in body["neighbours"])


def test_unknown_occupation_is_404(client, login_as) -> None:
    login_as(Role.evaluator)
    assert client.get("/api/occupations/no_such_id").status_code == 404


def test_autocomplete_lists_names_the_typed_text_begins(client, login_as) -> None:
    login_as(Role.coach)
    response = client.get("/api/occupations/suggest", params={"q": "postil", "top": 3})
    assert response.status_code == 200, response.text
    found = {c["label"]: c["matched_term"] for c in response.json()["candidates"]}
    assert found.get("Brevbärare") == "Postiljon"
    stub = client.get("/api/occupations/suggest", params={"q": "städ", "top": 4}).json()
    assert stub["candidates"][0]["label"] == "Städare/Lokalvårdare"
    assert not any("Stadsdirektör" in c["label"] for c in stub["candidates"])
    # The lookup reads the same stub as finished text.
    looked = client.get("/api/occupations", params={"q": "städ", "top": 4}).json()
    assert any("Stadsdirektör" in c["label"] for c in looked["candidates"])
    assert client.get("/api/occupations/suggest", params={"q": "u"}).json()["candidates"] == []
    assert client.get("/api/occupations/suggest", params={"q": "x" * 501}).status_code == 422
