from profiles.models import Role
from tests.conftest import csrf_from, login


def test_healthz(client):
    assert client.get("/healthz").json() == {"status": "ok"}


def test_openapi_is_served(client):
    spec = client.get("/openapi.json").json()
    assert spec["info"]["title"] == "ipsmatch"


def test_pages_need_login(client):
    response = client.get("/", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login")


def test_wrong_password_is_refused(client, make_user):
    user = make_user(Role.coach)
    token = csrf_from(client.get("/login").text)
    response = client.post(
        "/login", data={"username": user.username, "password": "nope", "csrf_token": token}
    )
    assert response.status_code == 401
    assert "Fel användarnamn" in response.text


def test_login_without_csrf_is_refused(client, make_user):
    user = make_user(Role.coach)
    client.get("/login")
    response = client.post("/login", data={"username": user.username, "password": "x"})
    assert response.status_code == 403


def test_login_redirects_to_role_start_page(client, make_user):
    user = make_user(Role.evaluator)
    login(client, user.username)
    response = client.get("/", follow_redirects=False)
    assert response.headers["location"] == "/evaluation"


def test_english_on_request(client):
    assert "Log in" in client.get("/login?lang=en").text
    assert "Logga in" in client.get("/login?lang=sv").text


def test_signed_in_user_language_is_the_default(client, make_user, session):
    user = make_user(Role.liaison)
    user.language = "en"
    session.add(user)
    session.commit()
    login(client, user.username)
    assert "Log out" in client.get("/employers").text
    assert "Logga ut" in client.get("/employers?lang=sv").text


def test_every_message_exists_in_both_languages():
    from service.i18n import MESSAGES

    assert set(MESSAGES["sv"]) == set(MESSAGES["en"])


def test_unknown_page_is_a_page_and_unknown_api_path_is_json(client):
    page = client.get("/no/such/page")
    assert page.status_code == 404
    assert "Hittades inte" in page.text and "<html" in page.text
    api = client.get("/api/no/such/thing")
    assert api.status_code == 404
    assert api.json() == {"detail": "Not Found"}
    wrong_method = client.get("/logout")
    assert wrong_method.status_code == 405 and "<html" in wrong_method.text


def test_top_bar_names_the_role_in_the_page_language(client, make_user):
    user = make_user(Role.evaluator)
    login(client, user.username)
    assert "(utvärderare)" in client.get("/evaluation").text
    assert "(evaluator)" in client.get("/evaluation?lang=en").text
