"""Two UI languages, Swedish by default. Messages live in one table per language."""

from __future__ import annotations

from fastapi import Request

LANGUAGES = ("sv", "en")

MESSAGES: dict[str, dict[str, str]] = {
    "sv": {
        "app_name": "ipsmatch",
        "login": "Logga in",
        "logout": "Logga ut",
        "username": "Användarnamn",
        "password": "Lösenord",
        "login_failed": "Fel användarnamn eller lösenord.",
        "caseload": "Mina deltagare",
        "register": "Arbetsgivarregister",
        "evaluation": "Utvärdering",
        "admin": "Administration",
        "audit_log": "Granskningslogg",
        "language": "Språk",
        "not_found": "Hittades inte",
        "forbidden": "Du har inte behörighet att se detta.",
        "conflict": "Någon annan har ändrat posten medan du redigerade.",
        "invalid_input": "Kontrollera fälten nedan.",
        "csrf_failed": "Formuläret har gått ut. Ladda om sidan och försök igen.",
        "save": "Spara",
        "cancel": "Avbryt",
        "search": "Sök",
        "days_since_entry": "Dagar sedan start",
        "status": "Status",
        "next_step": "Nästa steg",
        "code": "Kod",
    },
    "en": {
        "app_name": "ipsmatch",
        "login": "Log in",
        "logout": "Log out",
        "username": "Username",
        "password": "Password",
        "login_failed": "Wrong username or password.",
        "caseload": "My caseload",
        "register": "Employer register",
        "evaluation": "Evaluation",
        "admin": "Administration",
        "audit_log": "Audit log",
        "language": "Language",
        "not_found": "Not found",
        "forbidden": "You are not allowed to see this.",
        "conflict": "Someone else changed this record while you were editing.",
        "invalid_input": "Please check the fields below.",
        "csrf_failed": "The form has expired. Reload the page and try again.",
        "save": "Save",
        "cancel": "Cancel",
        "search": "Search",
        "days_since_entry": "Days since entry",
        "status": "Status",
        "next_step": "Next step",
        "code": "Code",
    },
}


def translate(key: str, lang: str) -> str:
    """The message for `key` in `lang`, falling back to Swedish, then to the key itself."""
    return MESSAGES.get(lang, {}).get(key) or MESSAGES["sv"].get(key, key)


def request_language(request: Request) -> str:
    """?lang= wins, then the language cookie, then the browser's Accept-Language, then Swedish."""
    lang = request.query_params.get("lang") or request.cookies.get("lang")
    if lang in LANGUAGES:
        return lang
    accept = request.headers.get("accept-language", "")
    if accept.lower().startswith("en"):
        return "en"
    return "sv"
