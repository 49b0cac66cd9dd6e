"""A synthetic demo municipality: users, participants, employers, offers and a year of history.

Everything is invented except the public vocabularies it is drawn from: occupations and job
titles from the JobTech taxonomy (``matching.vocabulary``), municipalities, localities and the
2024 Platsbanken ad counts per occupation group and municipality (``matching.places``). The same
seed, town and day give the same data. Names of people and firms are combinations of common
Swedish words and names; organisation numbers are well-formed but random; phone numbers are in
the range the Swedish Post and Telecom Authority reserves for fiction (070-174 06 05..99) and
e-mail addresses use the reserved ``.example`` domain.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from rich.console import Console
from rich.progress import Progress
from rich.table import Table
from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from employers.models import (
    ContactMode,
    ContactPerson,
    ContactStatus,
    Employer,
    EmployerContact,
    EmploymentForm,
    Opening,
    OpeningStatus,
    PracticeSlot,
    Workplace,
)
from matching import places
from matching.geo import haversine_km
from matching.types import Schedule, Transport
from matching.vocabulary import Occupation, OccupationVocabulary, load_vocabulary
from profiles.models import (
    AuditLogEntry,
    BenefitsCounselling,
    CareerProfile,
    Decision,
    Disclosure,
    FollowAlongContact,
    Participant,
    ParticipantStatus,
    Placement,
    PlacementKind,
    ProfileRevision,
    Role,
    SuggestionDecision,
    User,
)
from service.security import hash_password

__all__ = [
    "DEMO_PASSWORD",
    "DEMO_USERS",
    "DemoSummary",
    "WISHES",
    "fill_demo_if_empty",
    "generate_demo",
    "org_number",
]

#: Password of every demo user (printed on start; demo databases only).
DEMO_PASSWORD = "ipsdemo"  # noqa: S105

#: (username, display name, role) of the demo users.
DEMO_USERS: tuple[tuple[str, str, Role], ...] = (
    ("coach1", "Anna Berg", Role.coach),
    ("coach2", "Jonas Nilsson", Role.coach),
    ("coach3", "Sara Haddad", Role.coach),
    ("liaison", "Peter Holm", Role.liaison),
    ("evaluator", "Maria Ek", Role.evaluator),
    ("admin", "Demo Admin", Role.admin),
)

N_PARTICIPANTS = 40
N_EMPLOYERS = 200
RADIUS_KM = 50.0
ENGINE_SETTINGS = "default"

D, E, N, W = Schedule.DAY, Schedule.EVENING, Schedule.NIGHT, Schedule.WEEKEND


@dataclass(frozen=True)
class Wish:
    """A wish the way people say it, and the taxonomy occupations a coach would pick for it."""

    text: str
    labels: tuple[str, ...]
    hours: tuple[float, float] = (20.0, 40.0)
    schedules: tuple[Schedule, ...] = (D,)
    refusals: tuple[str, ...] = ()
    physical: str | None = None


#: How participants put their wishes, with the occupation labels they resolve to.
WISHES: tuple[Wish, ...] = (
    Wish("jobba med djur", ("Djurvårdare", "Hundskötare", "Djurskötare lantbruk")),
    Wish("lager", ("Lagerarbetare/Terminalarbetare", "Truckförare"), (30, 40), (D, E)),
    Wish("kassa, deltid", ("Kassapersonal",), (15, 25), (D, E, W)),
    Wish("något med data", ("Helpdesktekniker/Supporttekniker", "IT-tekniker/Datatekniker")),
    Wish(
        "undersköterska natt",
        ("Undersköterska, hemtjänst, äldreboende och habilitering",),
        (25, 35),
        (N,),
    ),
    Wish("städ, gärna tidigt på morgonen", ("Städare", "Fönsterputsare"), (15, 30)),
    Wish("diska, kök", ("Diskare", "Köksbiträde", "Restaurangbiträde"), (15, 30), (D, E)),
    Wish("kock", ("Kock à la carte", "Kock storhushåll"), (30, 40), (D, E, W)),
    Wish("butik, typ sport eller kläder", ("Butikssäljare, fackhandel",), (20, 30), (D, E, W)),
    Wish("mat-butik, fylla på hyllor", ("Butikssäljare, dagligvaror/Medarbetare, dagligvaror",)),
    Wish("bilar, meka", ("Personbilsmekaniker", "Däckmontör", "Bilrekonditionerare"), (30, 40)),
    Wish("vaktmästare", ("Fastighetsskötare", "Skolvaktmästare"), (30, 40)),
    Wish("vara ute, trädgård", ("Trädgårdsarbetare", "Parkarbetare/Utemiljöarbetare/Miljövärd")),
    Wish("personlig assistent", ("Personlig assistent",), (20, 40), (D, E, N, W)),
    Wish("köra bil, bud", ("Budbilsförare", "Distributionsförare"), (25, 40)),
    Wish("barn, förskola", ("Barnskötare", "Elevassistent"), (25, 40)),
    Wish("café", ("Kafébiträde/Konditoribiträde", "Barista/Kaffebartender"), (15, 25), (D, W)),
    Wish("snickra, bygg", ("Träarbetare/Snickare", "Målare"), (30, 40)),
    Wish("kontor, reception", ("Receptionist", "Administratör"), (20, 40)),
    Wish("kundtjänst, inte sälja", ("Kundtjänstmedarbetare",), (20, 40), (D, E)),
    Wish("frisör", ("Frisör",), (20, 35), (D, W)),
    Wish("baka", ("Bagare/Konditor",), (20, 35)),
    Wish("hemtjänst, bara dagtid", ("Vårdbiträde",), (20, 30), (D,), ("night_work",)),
    Wish("bibliotek, böcker", ("Biblioteksassistent",), (15, 25)),
    Wish("siffror, ekonomi", ("Ekonomiassistent",), (20, 40)),
    Wish("servering", ("Servitör/Servitris",), (15, 30), (E, W)),
    Wish("svetsa, verkstad", ("Svetsare",), (35, 40), (D, E)),
    Wish("stödja andra, boende", ("Boendestödjare",), (25, 40), (D, E, W)),
    Wish("tvätteri", ("Maskinoperatör tvätt och textilbehandling",), (20, 35)),
    Wish("köra truck", ("Truckförare",), (35, 40), (D, E)),
    Wish("pizzeria", ("Pizzabagare", "Restaurangbiträde"), (20, 35), (D, E, W)),
    Wish("blommor", ("Florist",), (15, 30), (D, W)),
)


@dataclass(frozen=True)
class Trade:
    """What a kind of workplace is like: name words, conditions, schedules, related groups."""

    label: str
    words: tuple[str, ...]
    conditions: tuple[str, ...] = ()
    schedules: tuple[Schedule, ...] = (D,)
    physical: str = "light"
    related: tuple[str, ...] = ()


_WAREHOUSE = Trade(
    "Lager och logistik",
    ("Lager", "Logistik", "Terminal", "Distribution"),
    ("heavy_lifting", "shift_work", "cold", "noise"),
    (D, E),
    "heavy",
    ("4322", "8344"),
)
_CARE = Trade(
    "Äldreomsorg och hemtjänst",
    ("Omsorg", "Hemtjänst", "Vårdhem", "Äldreboende"),
    ("care_work", "shift_work", "background_check"),
    (D, E, N, W),
    "medium",
    ("5321", "5330"),
)
_FOOD = Trade(
    "Restaurang",
    ("Restaurang", "Krog", "Bistro", "Grill", "Matsal"),
    ("alcohol", "pork", "meat", "customer_contact"),
    (D, E, W),
    "medium",
    ("5120", "9412", "5131"),
)
_GROCERY = Trade(
    "Dagligvaruhandel",
    ("Livs", "Matmarknad", "Handelsbod", "Närlivs"),
    ("customer_contact", "cash_handling", "pork", "alcohol", "early_mornings"),
    (D, E, W),
    "medium",
    ("5222", "5230"),
)
_SHOP = Trade(
    "Fackhandel",
    ("Handel", "Sport", "Inredning", "Järn", "Fritid"),
    ("customer_contact", "cash_handling"),
    (D, W),
    "light",
    ("5223", "5230"),
)
_CLEANING = Trade(
    "Städ och lokalvård",
    ("Städservice", "Lokalvård", "Puts", "Fastighetsvård"),
    ("early_mornings", "working_alone", "dust_allergens"),
    (D, E),
    "medium",
    ("9111", "9120"),
)
_CAFE = Trade(
    "Kafé och konditori",
    ("Kafé", "Konditori", "Kafferosteri"),
    ("customer_contact", "early_mornings", "cash_handling"),
    (D, W),
    "light",
    ("9413", "5132", "7612"),
)
_VEHICLES = Trade(
    "Bilverkstad",
    ("Bil", "Motor", "Däck", "Bilservice"),
    ("noise", "heavy_lifting"),
    (D,),
    "medium",
    ("7231", "8213", "9120"),
)
_BUILD = Trade(
    "Bygg och hantverk",
    ("Bygg", "Måleri", "Snickeri", "Golv", "Hantverk"),
    ("heights", "noise", "heavy_lifting", "dust_allergens"),
    (D,),
    "heavy",
    ("7111", "7131", "7122"),
)
_ANIMALS = Trade(
    "Djurhållning",
    ("Djurpensionat", "Hundcenter", "Gård", "Stall", "Djurvård"),
    ("animals", "cold", "early_mornings", "dust_allergens"),
    (D, W),
    "medium",
    ("6129", "6122", "6121"),
)
_GARDEN = Trade(
    "Trädgård och park",
    ("Trädgård", "Park & Mark", "Grönyteskötsel", "Plantskola"),
    ("cold", "heavy_lifting"),
    (D,),
    "medium",
    ("6112", "6113"),
)
_TRANSPORT = Trade(
    "Transport och åkeri",
    ("Åkeri", "Transport", "Bud", "Express"),
    ("early_mornings", "working_alone", "heavy_lifting"),
    (D, E),
    "medium",
    ("8332", "8329", "8344"),
)
_OFFICE = Trade(
    "Kontor och administration",
    ("Administration", "Kontorsservice", "Redovisning", "Bokföring"),
    ("phone_work",),
    (D,),
    "light",
    ("4119", "4225", "4111"),
)
_CALLCENTRE = Trade(
    "Kundtjänst",
    ("Kundservice", "Kontaktcenter", "Support"),
    ("phone_work", "customer_contact"),
    (D, E),
    "light",
    ("4222", "5242"),
)
_IT = Trade(
    "IT och support",
    ("IT", "Data", "IT-support", "Systemhus"),
    ("phone_work",),
    (D,),
    "light",
    ("3512", "3511", "2512"),
)
_PROPERTY = Trade(
    "Fastighetsskötsel",
    ("Fastighetsservice", "Fastigheter", "Bostäder"),
    ("heights", "working_alone", "cold"),
    (D,),
    "medium",
    ("5152", "9111"),
)
_SUPPORT = Trade(
    "Stöd och service, personlig assistans",
    ("Assistans", "Stödboende", "Omsorgspartner"),
    ("care_work", "working_alone"),
    (D, E, N, W),
    "medium",
    ("5343", "5342"),
)
_SCHOOL = Trade(
    "Förskola och skola",
    ("Förskola", "Friskola", "Montessoriförskola"),
    ("children", "background_check"),
    (D,),
    "medium",
    ("5311", "5312"),
)
_INDUSTRY = Trade(
    "Tillverkning",
    ("Industri", "Mekaniska", "Verkstäder", "Plast", "Metall"),
    ("noise", "shift_work", "heavy_lifting"),
    (D, E),
    "heavy",
    ("7212", "8211", "8212", "8219"),
)
_RECYCLING = Trade(
    "Återvinning och miljö",
    ("Återvinning", "Miljötjänst", "Retur"),
    ("dust_allergens", "noise", "heavy_lifting", "cold"),
    (D,),
    "heavy",
    ("9610", "8332"),
)
_LAUNDRY = Trade(
    "Tvätteri",
    ("Tvätteri", "Textilservice"),
    ("noise", "heavy_lifting"),
    (D,),
    "medium",
    ("8151",),
)
_SECURITY = Trade(
    "Bevakning",
    ("Bevakning", "Säkerhet", "Vakt"),
    ("night_work", "working_alone", "background_check"),
    (D, E, N, W),
    "light",
    ("5413",),
)
_HAIR = Trade(
    "Frisörsalong", ("Hårstudio", "Frisörsalong", "Salong"), ("customer_contact",), (D, W)
)
_POST = Trade(
    "Post och distribution",
    ("Distribution", "Post & Paket", "Tidningsbud"),
    ("early_mornings", "cold"),
    (D,),
    "medium",
    ("4420",),
)
_FLOWERS = Trade(
    "Blomsterhandel", ("Blommor", "Blomsterhandel", "Trädgårdsbutik"), ("customer_contact",)
)
_BAKERY = Trade(
    "Bageri",
    ("Bageri", "Bröd", "Stenugnsbageri"),
    ("early_mornings", "heavy_lifting"),
    (D, W),
    "medium",
    ("7612", "9413"),
)
_LIBRARY = Trade("Antikvariat och arkiv", ("Antikvariat", "Arkivtjänst", "Bokhandel"), ())
_HOTEL = Trade(
    "Hotell och konferens",
    ("Hotell", "Konferens", "Vandrarhem"),
    ("customer_contact", "alcohol", "weekend_work"),
    (D, E, W),
    "light",
    ("4224", "9111", "9412"),
)

#: SSYK-4 group -> trade of the workplaces that employ it.
TRADES: dict[str, Trade] = {
    "4322": _WAREHOUSE,
    "8344": _WAREHOUSE,
    "5321": _CARE,
    "5330": _CARE,
    "5120": _FOOD,
    "9412": _FOOD,
    "5131": _FOOD,
    "9411": _FOOD,
    "5222": _GROCERY,
    "5230": _GROCERY,
    "5223": _SHOP,
    "9111": _CLEANING,
    "9120": _CLEANING,
    "9413": _CAFE,
    "5132": _CAFE,
    "7612": _BAKERY,
    "7231": _VEHICLES,
    "8213": _VEHICLES,
    "7111": _BUILD,
    "7131": _BUILD,
    "7122": _BUILD,
    "6129": _ANIMALS,
    "6122": _ANIMALS,
    "6121": _ANIMALS,
    "6112": _GARDEN,
    "6113": _GARDEN,
    "8332": _TRANSPORT,
    "8329": _TRANSPORT,
    "4119": _OFFICE,
    "4111": _OFFICE,
    "4225": _OFFICE,
    "4222": _CALLCENTRE,
    "5242": _CALLCENTRE,
    "3511": _IT,
    "3512": _IT,
    "5152": _PROPERTY,
    "5343": _SUPPORT,
    "5342": _SUPPORT,
    "5311": _SCHOOL,
    "5312": _SCHOOL,
    "7212": _INDUSTRY,
    "8211": _INDUSTRY,
    "8212": _INDUSTRY,
    "8219": _INDUSTRY,
    "9610": _RECYCLING,
    "8151": _LAUNDRY,
    "5413": _SECURITY,
    "5141": _HAIR,
    "4420": _POST,
    "4410": _LIBRARY,
    "4224": _HOTEL,
}

#: Occupations whose workplaces are a trade of their own within a broader group (5223 is every
#: specialised shop; a florist's is a flower shop).
OCCUPATION_TRADES: dict[str, Trade] = {"Florist": _FLOWERS}

_FIRM_PREFIXES = (
    "Nord", "Väst", "Öst", "Syd", "Ek", "Björk", "Lind", "Gran", "Tall", "Sjö", "Älv", "Berg",
    "Dal", "Ängs", "Hag", "Ros", "Sol", "Fyr", "Ankar", "Svan", "Tran", "Lärk", "Skog", "Strand",
)  # fmt: skip
_SURNAMES = (
    "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson",
    "Svensson", "Gustafsson", "Pettersson", "Jonsson", "Jansson", "Hansson", "Bengtsson",
    "Lindberg", "Lindqvist", "Lundgren", "Berglund", "Sandberg", "Forsberg", "Ali", "Mohamed",
    "Hassan", "Nguyen", "Virtanen", "Korhonen", "Novak", "Kaya", "Yilmaz", "Ahmadi", "Hosseini",
    "Öberg", "Wikström", "Håkansson", "Sundberg", "Holm", "Engström", "Axelsson", "Magnusson",
)  # fmt: skip
_FIRST_NAMES = (
    "Anna", "Eva", "Maria", "Karin", "Sara", "Lena", "Emma", "Kerstin", "Ingrid", "Linnéa",
    "Fatima", "Amina", "Elin", "Johanna", "Sofia", "Hanna", "Lars", "Anders", "Johan", "Per",
    "Erik", "Karl", "Mikael", "Peter", "Jonas", "Ahmed", "Omar", "Mattias", "Fredrik", "Daniel",
    "Oskar", "Ali", "Mehmet", "Jukka", "Marek", "Leila", "Nadia", "Stefan", "Henrik", "Ulrika",
)  # fmt: skip
_CONTACT_ROLES = (
    "VD", "Platschef", "Butikschef", "Enhetschef", "HR-ansvarig", "Arbetsledare", "Ägare",
    "Rekryteringsansvarig", "Driftchef", "Köksmästare",
)  # fmt: skip
_STREETS = (
    "Storgatan", "Industrigatan", "Verkstadsgatan", "Kungsgatan", "Drottninggatan", "Järnvägsgatan",
    "Hamngatan", "Lagergatan", "Fabriksgatan", "Sågverksvägen", "Skolgatan", "Torggatan",
    "Älvvägen", "Handelsvägen", "Företagsvägen", "Bruksgatan", "Ringvägen", "Kyrkogatan",
)  # fmt: skip
_SIZE_CLASSES = (("1-9", 0.45), ("10-49", 0.35), ("50-249", 0.15), ("250+", 0.05))

_NEEDS = (
    "Behöver förstärkning helger och under semesterperioden.",
    "Svårt att hitta folk som vill jobba kvällar; öppen för deltid.",
    "Vill ha någon som kan börja med några timmar i veckan och växa in i jobbet.",
    "Söker ordningsam person till plock och packning, truckkort är ett plus.",
    "Behöver hjälp med enklare sysslor så att yrkesfolket kan göra sitt.",
    "Positiv till IPS; har anställt via oss tidigare och vill göra det igen.",
    "Bristyrke hos dem; tar gärna emot någon som vill lära sig på plats.",
    "Vill ha tydliga rutiner och en kontaktperson hos oss vid start.",
    "Sommaren är högsäsong; vill planera in nya i god tid.",
    "Öppen för anpassade arbetstider och en lugn arbetsplats.",
)
_PURPOSES_GENERAL = (
    "Första besök: presentera IPS och höra vad de behöver",
    "Jobbutveckling: kartlägga arbetsuppgifter och behov",
    "Uppföljning av tidigare kontakt",
    "Frågade om kommande rekryteringar",
    "Presenterade stödet vi kan ge arbetsgivaren",
    "Rundvandring på arbetsplatsen",
)
_PURPOSES_PARTICIPANT = (
    "Presenterade en deltagare som söker jobb hos dem",
    "Följde med deltagaren på anställningsintervju",
    "Diskuterade möjlig provanställning för deltagaren",
    "Lämnade deltagarens CV och pratade om passande uppgifter",
    "Trepartssamtal om arbetsuppgifter och arbetstider",
)
_OUTCOMES = (
    "Positiva, vill ha fler kandidater i vår.",
    "Inget behov just nu, återkom efter sommaren.",
    "Bokade intervju.",
    "Lovade att höra av sig om deltidstjänst.",
    "Vill träffa deltagaren.",
    "Har behov av extrapersonal helger.",
    "Skickade kontaktuppgifter till rekryterande chef.",
    "Ingen kontakt med ansvarig, lämnade information.",
)
_NEXT_STEPS = (
    "Ringa upp om två veckor",
    "Skicka CV",
    "Boka besök med deltagaren",
    "Följa upp efter intervju",
    "Höra av sig inför sommarrekrytering",
)
_ENJOYS = (
    "Tycker om att ha det lugnt runt sig och veta vad som ska göras.",
    "Gillar att jobba med händerna och se vad man har gjort.",
    "Trivs när det händer mycket och man träffar folk.",
    "Tycker om att vara ute, oavsett väder.",
    "Gillar ordning och reda, att sortera och planera.",
    "Tycker om att hjälpa andra.",
    "Gillar att laga mat och baka.",
    "Håller på med datorer och spel på fritiden.",
)
_WORK_HISTORY = (
    "Sommarjobb på lager några år, sedan uppehåll.",
    "Jobbade i kassa på en matbutik i tre år.",
    "Extrajobb som diskare under gymnasiet.",
    "Har mest jobbat korta vikariat i hemtjänsten.",
    "Praktik på en bilverkstad för några år sedan.",
    "Inga anställningar än, men ideellt arbete i en förening.",
    "Jobbade som städare via bemanningsföretag.",
    "Har kört budbil i ett år.",
    "Drev eget café tillsammans med en släkting.",
    "Arbetade på förskola som vikarie.",
)
_EDUCATION = (
    "Grundskola.",
    "Gymnasiet, handelsprogrammet.",
    "Gymnasiet, fordonsprogrammet (ej fullständigt).",
    "Gymnasiet, vård- och omsorgsprogrammet.",
    "Komvux, svenska och matte.",
    "SFI avslutad, studerat på universitet i hemlandet.",
    "Gymnasiet, naturbruksprogrammet.",
    "Gymnasiet, restaurang- och livsmedelsprogrammet.",
    "Truckkort A och B.",
)
_STRENGTHS = (
    "Noggrann och pålitlig.",
    "Bra på att lyssna.",
    "Lär sig snabbt när någon visar.",
    "Punktlig, har alltid passat tider.",
    "Stark och uthållig.",
    "Bra med siffror.",
    "Social och glad.",
    "Lugn i stressiga lägen.",
)
_ACCOMMODATIONS = (
    "Vill börja med korta pass och öka sakta.",
    "Behöver tydliga skriftliga instruktioner.",
    "Fungerar bäst med samma arbetstider varje vecka.",
    "Vill ha en fast kontaktperson på arbetsplatsen.",
    "Behöver kunna ta en kort paus ibland.",
    "",
)
_REFUSAL_WORDS = {
    "weekend_work": "inte helger",
    "night_work": "ingen natt",
    "evening_work": "inga kvällar",
    "pork": "vill inte hantera fläskkött",
    "alcohol": "inte jobba med alkohol",
    "heavy_lifting": "inga tunga lyft",
    "phone_work": "inte sitta i telefon hela dagarna",
    "early_mornings": "inte för tidiga morgnar",
    "cash_handling": "vill inte ansvara för kassa",
    "animals": "inte med djur",
    "customer_contact": "helst inte så mycket kundkontakt",
    "working_alone": "vill inte jobba ensam",
}
_EXTRA_REFUSALS = (
    ("weekend_work", 0.25),
    ("night_work", 0.3),
    ("evening_work", 0.1),
    ("pork", 0.08),
    ("alcohol", 0.08),
    ("heavy_lifting", 0.15),
    ("phone_work", 0.08),
    ("early_mornings", 0.08),
    ("working_alone", 0.05),
)
_OTHER_LANGUAGES = (
    "Engelska", "Arabiska", "Somaliska", "Persiska", "Finska", "Tigrinja", "Bosniska",
    "Polska", "Spanska", "Dari", "Kurdiska", "Turkiska",
)  # fmt: skip
_GROUPS = ("Psykiatrin", "Socialtjänsten", "Arbetsförmedlingen", "Egen anmälan")
# (end reason code as the coach page records it, the coach's words), weight.
_END_REASONS = (
    (("contract_ended", "Visstidsanställningen tog slut"), 3),
    (("quit", "Sade upp sig, trivdes inte"), 2),
    (("new_job", "Bytte till annat jobb"), 2),
    (("studies", "Började studera"), 1),
    (("dismissed", "Uppsagd under provanställningen"), 1),
    (("health", "Ohälsa, paus från arbetet"), 1),
)
_FOLLOW_NOTES = (
    "Går bra, vill öka till fler timmar.",
    "Stämde av med chefen: nöjd med arbetsinsatsen.",
    "Pratade om schemat och hur resorna fungerar.",
    "Lite stressigt i början, planerade kortare pass en period.",
    "Träffades efter jobbet, allt lugnt.",
    "Trepartsmöte med arbetsgivaren om arbetsuppgifterna.",
    "Hjälp med frågor om lön och ekonomi.",
)
_DECLINE_REASONS = (
    ("not_interested", 3),
    ("wrong_occupation", 2),
    ("too_far", 2),
    ("wrong_hours", 2),
    ("conditions", 1),
    ("already_applied", 1),
)


@dataclass
class DemoSummary:
    """What the generator created (counts per kind) and the demo credentials."""

    town: str
    seed: int
    counts: dict[str, int] = field(default_factory=dict)
    credentials: list[tuple[str, str, str]] = field(default_factory=list)

    def __getitem__(self, key: str) -> int:
        return self.counts[key]


# --- small helpers -----------------------------------------------------------------------


def _luhn(digits: str) -> int:
    total = 0
    for i, char in enumerate(digits):
        product = int(char) * (2 if i % 2 == 0 else 1)
        total += product - 9 if product > 9 else product
    return (10 - total % 10) % 10


def org_number(rng: random.Random, prefix: str = "556") -> str:
    """A well-formed organisation number ``NNNNNN-NNNN`` (Luhn check digit) with this prefix."""
    body = prefix + "".join(str(rng.randrange(10)) for _ in range(9 - len(prefix)))
    digits = body + str(_luhn(body))
    return f"{digits[:6]}-{digits[6:]}"


def _weighted(rng: random.Random, items: Sequence[tuple[Any, float]]) -> Any:
    values = [v for v, _ in items]
    weights = [w for _, w in items]
    return rng.choices(values, weights=weights, k=1)[0]


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=UTC)


def _jitter(rng: random.Random, lat: float, lon: float, km: float) -> tuple[float, float]:
    # About 111 km per degree of latitude; longitude degrees shrink towards the pole (~0.5 here).
    dlat = rng.uniform(-km, km) / 111.0
    dlon = rng.uniform(-km, km) / 56.0
    return round(lat + dlat, 5), round(lon + dlon, 5)


def _phone(rng: random.Random) -> str:
    # 070-174 06 05 to 070-174 06 99 are reserved by PTS for use in fiction.
    return f"070-174 06 {rng.randint(5, 99):02d}"


def _ascii(text: str) -> str:
    table = str.maketrans("åäöéüÅÄÖÉÜ", "aaoeuAAOEU")
    return "".join(c for c in text.translate(table).lower() if c.isalnum() or c in ".-")


def resolve_wish(vocabulary: OccupationVocabulary, wish: Wish) -> list[Occupation]:
    """The occupations a wish resolves to (by exact taxonomy label; current names first)."""
    by_label: dict[str, list[Occupation]] = defaultdict(list)
    for occupation in vocabulary.occupations.values():
        by_label[occupation.label].append(occupation)
    found: list[Occupation] = []
    for label in wish.labels:
        candidates = sorted(by_label.get(label, []), key=lambda o: (not o.current, o.occupation_id))
        if candidates:
            found.append(candidates[0])
    return found


# --- the generator -----------------------------------------------------------------------


@dataclass
class _World:
    rng: random.Random
    today: date
    town: places.Municipality
    near: list[tuple[places.Municipality, float]]
    vocabulary: OccupationVocabulary
    wish_occupations: dict[str, list[Occupation]]
    users: dict[str, User] = field(default_factory=dict)
    employers: list[Employer] = field(default_factory=list)
    workplaces: dict[int, list[Workplace]] = field(default_factory=dict)
    persons: dict[int, list[ContactPerson]] = field(default_factory=dict)
    openings: list[Opening] = field(default_factory=list)
    slots: list[PracticeSlot] = field(default_factory=list)
    slot_taken: Counter[int] = field(default_factory=Counter)
    opening_taken: Counter[str] = field(default_factory=Counter)
    participants: list[Participant] = field(default_factory=list)
    profiles: dict[int, CareerProfile] = field(default_factory=dict)
    counts: Counter[str] = field(default_factory=Counter)
    titles: dict[str, list[str]] = field(default_factory=dict)
    group_options: dict[str, list[tuple[Occupation, float]]] = field(default_factory=dict)

    @property
    def coaches(self) -> list[User]:
        return [u for u in self.users.values() if u.role is Role.coach]


def _home_place(rng: random.Random, world: _World, code: str) -> places.Locality | None:
    options = places.localities(code)
    if not options:
        return None
    return _weighted(rng, [(p, float(p.population or 300)) for p in options])


def _make_users(session: Session, world: _World) -> None:
    password_hash = hash_password(DEMO_PASSWORD)
    for username, display_name, role in DEMO_USERS:
        user = User(
            username=username,
            display_name=display_name,
            role=role,
            password_hash=password_hash,
            created_at=_at(world.today - timedelta(days=420), 8),
        )
        session.add(user)
        world.users[username] = user
    session.flush()
    world.counts["users"] = len(DEMO_USERS)


def _occupations_for_group(world: _World, ssyk4: str) -> list[tuple[Occupation, float]]:
    if ssyk4 in world.group_options:
        return world.group_options[ssyk4]
    wished = {o.occupation_id for occs in world.wish_occupations.values() for o in occs}
    out = []
    for occupation in world.vocabulary.in_group(ssyk4):
        if not occupation.current:
            continue
        weight = 1.0
        if occupation.occupation_id in wished:
            weight *= 30.0
        if occupation.no_education_required:
            weight *= 2.0
        out.append((occupation, weight))
    world.group_options[ssyk4] = out
    return out


def _employer_cells(world: _World) -> list[tuple[tuple[str, str], float]]:
    wished_groups = {o.ssyk4_code for occs in world.wish_occupations.values() for o in occs}
    cells = []
    for m, _distance in world.near:
        for ssyk4, count in places.ad_counts_2024(m.code).items():
            if ssyk4 not in world.vocabulary.groups or ssyk4.startswith("0"):
                continue
            if not _occupations_for_group(world, ssyk4):
                continue
            if ssyk4 in TRADES:
                factor = 3.0 if ssyk4 in wished_groups else 2.0
            elif ssyk4[0] in "45789":
                factor = 0.5
            else:
                factor = 0.1
            cells.append(((m.code, ssyk4), count * factor))
    return cells


def _firm_name(rng: random.Random, place_name: str, trade: Trade, used: set[str]) -> str:
    local = [place_name]
    river = ("Klarälvens", "Vänerns", "Älvdalens", "Sjöstadens", "Skogsbygdens")
    for _ in range(50):
        word = rng.choice(trade.words)
        style = rng.random()
        if style < 0.3:
            name = f"{rng.choice(local).removesuffix('s')}s {word} AB"
        elif style < 0.55:
            name = f"{rng.choice(_SURNAMES)}s {word} AB"
        elif style < 0.75:
            name = f"{rng.choice(_FIRM_PREFIXES)}{word.lower()} i {rng.choice(local)} AB"
        elif style < 0.9:
            name = f"{rng.choice(river)} {word} AB"
        else:
            name = f"{word} {rng.choice(_FIRM_PREFIXES)} {rng.choice(('& Co ', ''))}AB"
        name = " ".join(name.split())
        if name not in used:
            used.add(name)
            return name
    raise RuntimeError("could not invent a unique employer name")  # pragma: no cover


def _make_employers(session: Session, world: _World, advance: Callable[[], None]) -> None:
    rng = world.rng
    cells = _employer_cells(world)
    used_names: set[str] = set()
    used_org: set[str] = set()
    # Every wish has at least one employer of one of its groups (where that group had ads within
    # the radius in 2024); the rest follow the 2024 ad counts.
    draws: list[tuple[str, str]] = []
    for wish in WISHES:
        groups = {o.ssyk4_code for o in world.wish_occupations[wish.text]}
        own = [(cell, weight) for cell, weight in cells if cell[1] in groups]
        if own and not any(group in groups for _, group in draws):
            draws.append(_weighted(rng, own))
    draws += [_weighted(rng, cells) for _ in range(N_EMPLOYERS - len(draws))]
    for code, ssyk4 in draws:
        # The main occupation first: a florist works in a flower shop, not in the sports shop
        # its group's general trade would make of it.
        main = _weighted(rng, _occupations_for_group(world, ssyk4))
        trade = (
            OCCUPATION_TRADES.get(main.label)
            or TRADES.get(ssyk4)
            or Trade(
                world.vocabulary.group(ssyk4).label, ("Service", "Partner", "Konsult", "Gruppen")
            )
        )
        occupation_ids = [main.occupation_id]
        for group in [g for g in trade.related if g != ssyk4 and rng.random() < 0.6]:
            options = [
                (o, w)
                for o, w in _occupations_for_group(world, group)
                if o.label not in OCCUPATION_TRADES
            ]
            if options:
                occupation_ids.append(_weighted(rng, options).occupation_id)
        groups = sorted({world.vocabulary.get(o).ssyk4_code for o in occupation_ids})
        org = org_number(rng, rng.choice(("556", "559")) if rng.random() < 0.9 else "769")
        while org in used_org:  # pragma: no cover - one in millions
            org = org_number(rng)
        used_org.add(org)
        municipality = places.municipality(code)
        home = _home_place(rng, world, code)
        lat, lon = _jitter(
            rng, home.lat if home else municipality.lat, home.lon if home else municipality.lon, 1.5
        )
        street = f"{rng.choice(_STREETS)} {rng.randint(1, 60)}"
        place_name = home.name if home else municipality.name
        employer = Employer(
            name=_firm_name(rng, place_name, trade, used_names),
            org_number=org,
            municipality_code=code,
            address=f"{street}, {place_name}",
            size_class=_weighted(rng, _SIZE_CLASSES),
            trade=trade.label,
            needs=rng.choice(_NEEDS) if rng.random() < 0.6 else None,
            occupation_ids=sorted(set(occupation_ids)),
            ssyk4_codes=groups,
            lat=lat,
            lon=lon,
            created_at=_at(world.today - timedelta(days=rng.randint(370, 900))),
        )
        employer.updated_at = employer.created_at
        session.add(employer)
        session.flush()
        assert employer.id is not None  # noqa: S101 - flushed
        world.employers.append(employer)
        workplaces = [
            Workplace(
                employer_id=employer.id,
                name=f"{employer.name.removesuffix(' AB')}, {place_name}",
                address=employer.address,
                municipality_code=code,
                lat=lat,
                lon=lon,
            )
        ]
        if employer.size_class in ("50-249", "250+") and rng.random() < 0.6:
            other_code = rng.choice(world.near[: max(3, len(world.near))])[0].code
            other = _home_place(rng, world, other_code)
            olat, olon = _jitter(
                rng,
                other.lat if other else places.municipality(other_code).lat,
                other.lon if other else places.municipality(other_code).lon,
                1.0,
            )
            oname = other.name if other else places.municipality(other_code).name
            workplaces.append(
                Workplace(
                    employer_id=employer.id,
                    name=f"{employer.name.removesuffix(' AB')}, {oname}",
                    address=f"{rng.choice(_STREETS)} {rng.randint(1, 60)}, {oname}",
                    municipality_code=other_code,
                    lat=olat,
                    lon=olon,
                )
            )
        for workplace in workplaces:
            session.add(workplace)
        persons = []
        for _ in range(rng.choice((1, 1, 2, 2, 3))):
            first, last = rng.choice(_FIRST_NAMES), rng.choice(_SURNAMES)
            persons.append(
                ContactPerson(
                    employer_id=employer.id,
                    name=f"{first} {last}",
                    role=rng.choice(_CONTACT_ROLES),
                    phone=_phone(rng),
                    email=f"{_ascii(first)}.{_ascii(last)}@{_ascii(employer.name.split()[0])}.example",
                )
            )
        for person in persons:
            session.add(person)
        session.flush()
        world.workplaces[employer.id] = workplaces
        world.persons[employer.id] = persons
        world.counts["workplaces"] += len(workplaces)
        world.counts["contact_persons"] += len(persons)
        advance()
    world.counts["employers"] = len(world.employers)


def _title_for(rng: random.Random, world: _World, occupation: Occupation) -> str:
    titles = world.titles.get(occupation.occupation_id, [])
    if titles and rng.random() < 0.3:
        return rng.choice(titles)
    return occupation.label


def _offer_fields(rng: random.Random, world: _World, employer: Employer) -> dict[str, Any]:
    assert employer.id is not None  # noqa: S101
    occupation = world.vocabulary.get(rng.choice(employer.occupation_ids))
    trade = (
        OCCUPATION_TRADES.get(occupation.label)
        or TRADES.get(occupation.ssyk4_code)
        or TRADES.get(employer.ssyk4_codes[0])
    )
    base_schedules = list(trade.schedules) if trade else [D]
    schedules = sorted(
        {D if D in base_schedules else base_schedules[0]}
        | {s for s in base_schedules if rng.random() < 0.5},
        key=list(Schedule).index,
    )
    conditions = sorted({c for c in (trade.conditions if trade else ()) if rng.random() < 0.55})
    if W in schedules:
        conditions = sorted(set(conditions) | {"weekend_work"})
    workplace = rng.choice(world.workplaces[employer.id])
    licences = ["B"] if occupation.ssyk4_code in ("8332", "8329", "5152") else []
    if occupation.ssyk4_code == "8332":
        licences = ["C"]
    languages = [f"Svenska:{rng.choice((2, 3, 3, 4))}"]
    if occupation.ssyk4_code in ("3512", "3511", "4222") and rng.random() < 0.6:
        languages.append("Engelska:3")
    return {
        "title": _title_for(rng, world, occupation),
        "occupation_ids": [occupation.occupation_id],
        "ssyk4_codes": [occupation.ssyk4_code],
        "hours_per_week": float(rng.choice((10, 15, 20, 25, 30, 32, 35, 40, 40, 40))),
        "schedules": [str(s) for s in schedules],
        "conditions": conditions,
        "required_licences": licences,
        "required_languages": languages,
        "physical_demand": trade.physical if trade else "light",
        "municipality_code": workplace.municipality_code,
        "lat": workplace.lat,
        "lon": workplace.lon,
        "workplace_id": workplace.id,
    }


def _make_offers(session: Session, world: _World, advance: Callable[[], None]) -> None:
    rng = world.rng
    today = world.today
    n = 0
    for employer in world.employers:
        # Half the employers advertise now, some advertised earlier in the year.
        n_open = _weighted(rng, ((0, 0.45), (1, 0.35), (2, 0.15), (3, 0.05)))
        n_old = _weighted(rng, ((0, 0.6), (1, 0.3), (2, 0.1)))
        for i in range(n_open + n_old):
            fields = _offer_fields(rng, world, employer)
            current = i < n_open
            if current:
                published = today - timedelta(days=rng.randint(1, 40))
                deadline = today + timedelta(days=rng.randint(3, 45))
                if rng.random() < 0.08:  # a few stale ones the liaison has not closed yet
                    deadline = today - timedelta(days=rng.randint(1, 10))
            else:
                published = today - timedelta(days=rng.randint(60, 360))
                deadline = published + timedelta(days=rng.randint(14, 40))
            subsidised = rng.random() < 0.12
            fields["description"] = (
                f"{employer.name} söker {fields['title'].lower()} "
                f"({fields['hours_per_week']:.0f} tim/vecka)."
            )
            opening = Opening(
                employer_id=employer.id,
                employment_form=(
                    EmploymentForm.subsidised if subsidised else EmploymentForm.competitive
                ),
                subsidy_type=(
                    _weighted(
                        rng, (("lönebidrag", 2), ("nystartsjobb", 2), ("introduktionsjobb", 1))
                    )
                    if subsidised
                    else None
                ),
                vacancies=_weighted(rng, ((1, 0.8), (2, 0.15), (3, 0.05))),
                deadline=deadline,
                published_date=published,
                status=OpeningStatus.open if current else OpeningStatus.closed,
                closed_at=None if current else _at(deadline + timedelta(days=1)),
                source="manual",
                created_at=_at(published, 9),
                updated_at=_at(published, 9),
                **fields,
            )
            session.add(opening)
            world.openings.append(opening)
            n += 1
        if rng.random() < 0.22:
            for _ in range(rng.choice((1, 1, 2))):
                fields = _offer_fields(rng, world, employer)
                fields["title"] = f"Praktik: {fields['title']}"
                fields["hours_per_week"] = float(rng.choice((10, 15, 20, 25)))
                # Most slots run around now; some ran earlier in the year.
                if rng.random() < 0.6:
                    start = today + timedelta(days=rng.randint(-60, 60))
                else:
                    start = today - timedelta(days=rng.randint(60, 330))
                end = start + timedelta(weeks=rng.choice((4, 8, 12, 12, 26)))
                open_ = end >= today
                fields["description"] = "Praktikplats med handledare på plats."
                slot = PracticeSlot(
                    employer_id=employer.id,
                    capacity=_weighted(rng, ((1, 0.6), (2, 0.3), (3, 0.1))),
                    period_start=start,
                    period_end=end,
                    status=OpeningStatus.open if open_ else OpeningStatus.closed,
                    closed_at=None if open_ else _at(end + timedelta(days=1)),
                    created_at=_at(start - timedelta(days=20), 9),
                    updated_at=_at(start - timedelta(days=20), 9),
                    **fields,
                )
                session.add(slot)
                world.slots.append(slot)
        advance()
    session.flush()
    world.counts["openings"] = n
    world.counts["practice_slots"] = len(world.slots)


def _entry_dates(rng: random.Random, today: date, n: int) -> list[date]:
    # A steady inflow over about 14 months, plus a handful of people who entered this month.
    recent = 5
    dates = [today - timedelta(days=rng.randint(1, 29)) for _ in range(recent)]
    dates += [today - timedelta(days=rng.randint(31, 425)) for _ in range(n - recent)]
    return sorted(dates)


def _make_profile(
    rng: random.Random, world: _World, participant: Participant, coach: User
) -> CareerProfile:
    assert participant.id is not None  # noqa: S101
    wishes = [rng.choice(WISHES)]
    if rng.random() < 0.45:
        second = rng.choice(WISHES)
        if second is not wishes[0]:
            wishes.append(second)
    occupation_ids: list[str] = []
    for wish in wishes:
        for occupation in world.wish_occupations[wish.text]:
            if occupation.occupation_id not in occupation_ids:
                occupation_ids.append(occupation.occupation_id)
    refusals = {r for w in wishes for r in w.refusals}
    for tag, p in _EXTRA_REFUSALS:
        if rng.random() < p:
            refusals.add(tag)
    schedules = {s for w in wishes for s in w.schedules}
    if "night_work" in refusals:
        schedules.discard(N)
    if "weekend_work" in refusals:
        schedules.discard(W)
    if "evening_work" in refusals:
        schedules.discard(E)
    schedules = schedules or {D}
    lo = min(w.hours[0] for w in wishes)
    hi = max(w.hours[1] for w in wishes)
    if rng.random() < 0.35:  # many start small
        lo, hi = 10.0, min(hi, 20.0)
    texts = [w.text for w in wishes]
    words = [_REFUSAL_WORDS[r] for r in sorted(refusals) if r in _REFUSAL_WORDS]
    if "weekend_work" in refusals and rng.random() < 0.5:
        texts.append("inte helger")

    home_code = world.town.code
    if rng.random() < 0.25:
        home_code = rng.choice(world.near[1:6] or world.near)[0].code
    locality = _home_place(rng, world, home_code)
    m = places.municipality(home_code)
    lat, lon = _jitter(
        rng, locality.lat if locality else m.lat, locality.lon if locality else m.lon, 1.0
    )

    transports = {Transport.PUBLIC}
    licences: list[str] = []
    if rng.random() < 0.4:
        licences = ["B"] if rng.random() < 0.85 else ["B", "C"]
        if rng.random() < 0.7:
            transports.add(Transport.CAR)
    if rng.random() < 0.45:
        transports.add(Transport.BIKE)
    if rng.random() < 0.2:
        transports.add(Transport.WALK)
    if Transport.CAR in transports:
        limit: float | None = float(rng.choice((25, 30, 40, 50)))
    else:
        limit = float(rng.choice((10, 15, 20, 25))) if rng.random() < 0.7 else None

    languages: list[dict[str, Any]] = [{"name": "Svenska", "level": 5}]
    if rng.random() < 0.3:
        languages = [
            {"name": "Svenska", "level": rng.choice((2, 3, 4))},
            {"name": rng.choice(_OTHER_LANGUAGES[1:]), "level": 5},
        ]
    if rng.random() < 0.6:
        languages.append({"name": "Engelska", "level": rng.choice((2, 3, 4))})

    physical = None
    if "heavy_lifting" in refusals:
        physical = "light"
    elif rng.random() < 0.25:
        physical = "medium"
    days_in = (world.today - participant.entry_date).days
    counselling = (
        BenefitsCounselling.done
        if days_in > 60 and rng.random() < 0.75
        else BenefitsCounselling.planned
        if rng.random() < 0.6
        else BenefitsCounselling.not_started
    )
    profile = CareerProfile(
        participant_id=participant.id,
        wished_texts=texts,
        occupation_ids=occupation_ids,
        enjoys=rng.choice(_ENJOYS),
        refusals=sorted(refusals),
        refusals_text=", ".join(words) or None,
        hours_min=float(lo),
        hours_max=float(hi),
        schedules=[str(s) for s in Schedule if s in schedules],
        home_municipality_code=home_code,
        home_place=locality.name if locality else m.name,
        home_lat=lat,
        home_lon=lon,
        commute_limit_km=limit,
        transports=[str(t) for t in Transport if t in transports],
        driving_licences=licences,
        languages=languages,
        max_physical_demand=physical,
        work_history=rng.choice(_WORK_HISTORY),
        education=rng.choice(_EDUCATION),
        strengths=rng.choice(_STRENGTHS),
        accommodations=rng.choice(_ACCOMMODATIONS) or None,
        wants_practice=rng.random() < 0.2,
        disclosure=_weighted(
            rng, ((Disclosure.yes, 0.45), (Disclosure.no, 0.3), (Disclosure.undecided, 0.25))
        ),
        benefits_counselling=counselling,
        available_from=participant.entry_date + timedelta(days=rng.choice((0, 0, 7, 14))),
        updated_at=_at(participant.entry_date + timedelta(days=rng.randint(0, 10)), 13),
        updated_by_id=coach.id,
    )
    return profile


def _make_participants(session: Session, world: _World, advance: Callable[[], None]) -> None:
    rng = world.rng
    prefix = world.town.name[0].upper()
    coaches = world.coaches
    for i, entry in enumerate(_entry_dates(rng, world.today, N_PARTICIPANTS), start=1):
        coach = coaches[(i - 1) % len(coaches)]
        participant = Participant(
            code=f"{prefix}-{i:04d}",
            entry_date=entry,
            municipality_code=world.town.code,
            status=ParticipantStatus.searching,
            group_label=_weighted(rng, tuple(zip(_GROUPS, (0.5, 0.25, 0.15, 0.1), strict=True))),
            coach_id=coach.id,
            created_at=_at(entry, 9),
            updated_at=_at(entry, 9),
        )
        session.add(participant)
        session.flush()
        assert participant.id is not None  # noqa: S101
        profile = _make_profile(rng, world, participant, coach)
        session.add(profile)
        world.participants.append(participant)
        world.profiles[participant.id] = profile
        snapshot = profile.model_dump(
            mode="json", exclude={"id", "participant_id", "version", "updated_at", "updated_by_id"}
        )
        session.add(
            ProfileRevision(
                participant_id=participant.id,
                version=1,
                changed_at=profile.updated_at,
                changed_by_id=coach.id,
                snapshot=snapshot,
            )
        )
        session.add(
            AuditLogEntry(
                at=_at(entry, 9),
                user_id=coach.id,
                action="create",
                entity="participant",
                entity_id=str(participant.id),
                participant_id=participant.id,
                detail="demo data",
            )
        )
        advance()
    session.flush()
    world.counts["participants"] = len(world.participants)
    world.counts["career_profiles"] = len(world.profiles)


def _fit(world: _World, profile: CareerProfile, employer: Employer) -> float:
    """How well an employer fits a profile: shared groups and straight-line distance."""
    wanted = {world.vocabulary.get(o).ssyk4_code for o in profile.occupation_ids}
    overlap = len(wanted & set(employer.ssyk4_codes))
    near_two = {code[:3] for code in wanted} & {code[:3] for code in employer.ssyk4_codes}
    score = 4.0 * overlap + (1.0 if near_two else 0.0) + 0.05
    if profile.home_lat is not None and employer.lat is not None and employer.lon is not None:
        distance = haversine_km(
            profile.home_lat, profile.home_lon or 0.0, employer.lat, employer.lon
        )
        limit = profile.commute_limit_km or 30.0
        score *= 1.0 if distance <= limit else 0.15
    return score


def _contact(
    world: _World,
    employer: Employer,
    day: date,
    made_by: User,
    participant: Participant | None,
    *,
    mode: ContactMode | None = None,
) -> EmployerContact:
    rng = world.rng
    assert employer.id is not None  # noqa: S101
    planned = day > world.today
    persons = world.persons[employer.id]
    disclose = False
    if participant is not None and participant.id is not None:
        disclose = world.profiles[participant.id].disclosure is Disclosure.yes
    chosen = mode or _weighted(
        rng,
        (
            (ContactMode.visit, 0.5),
            (ContactMode.meeting, 0.15),
            (ContactMode.phone, 0.3),
            (ContactMode.email, 0.05),
        ),
    )
    status = ContactStatus.planned if planned else ContactStatus.done
    if not planned and rng.random() < 0.03:
        status = ContactStatus.cancelled
    purpose = rng.choice(_PURPOSES_PARTICIPANT if participant else _PURPOSES_GENERAL)
    next_day = day + timedelta(days=rng.randint(7, 30))
    return EmployerContact(
        employer_id=employer.id,
        contact_person_id=rng.choice(persons).id if persons else None,
        participant_id=participant.id if participant else None,
        made_by_id=made_by.id,
        contact_date=day,
        mode=chosen,
        status=status,
        purpose=purpose,
        needs_learned=(employer.needs if employer.needs and rng.random() < 0.4 else None),
        outcome=None if planned else rng.choice(_OUTCOMES),
        next_step=rng.choice(_NEXT_STEPS) if rng.random() < 0.5 else None,
        next_step_date=next_day if rng.random() < 0.5 else None,
        disclosure_shown=disclose,
        created_at=_at(min(day, world.today), 15),
    )


def _make_general_contacts(session: Session, world: _World, advance: Callable[[], None]) -> None:
    """A year of job development: coaches and the liaison meeting employers."""
    rng = world.rng
    start = world.today - timedelta(days=365)
    weights = [(e, 1.0 + 3.0 * (i % 7 == 0)) for i, e in enumerate(world.employers)]
    makers = [(c, 2.2) for c in world.coaches] + [(world.users["liaison"], 3.0)]
    n = 0
    for week in range(53):
        week_start = start + timedelta(weeks=week)
        for maker, per_week in makers:
            for _ in range(int(per_week) + (rng.random() < per_week % 1)):
                day = week_start + timedelta(days=rng.randint(0, 4))
                if day > world.today + timedelta(days=14):
                    continue
                employer = _weighted(rng, weights)
                session.add(_contact(world, employer, day, maker, None))
                n += 1
        advance()
    world.counts["employer_contacts"] += n


def _free_slot(world: _World, profile: CareerProfile, day: date) -> PracticeSlot | None:
    options = []
    for slot in world.slots:
        if slot.id is None or world.slot_taken[slot.id] >= slot.capacity:
            continue
        if slot.period_start and slot.period_end and slot.period_start <= day <= slot.period_end:
            employer = next(e for e in world.employers if e.id == slot.employer_id)
            options.append((slot, _fit(world, profile, employer)))
    if not options:
        return None
    return _weighted(world.rng, options)


def _make_histories(session: Session, world: _World, advance: Callable[[], None]) -> None:
    """Per participant: employer contacts, suggestions, placements and follow-along support."""
    rng = world.rng
    today = world.today
    open_by_employer: dict[int, list[Opening]] = defaultdict(list)
    for opening in world.openings:
        open_by_employer[opening.employer_id].append(opening)
    coach_by_id = {u.id: u for u in world.coaches}
    for participant in world.participants:
        assert participant.id is not None  # noqa: S101
        profile = world.profiles[participant.id]
        coach = coach_by_id[participant.coach_id]
        entry = participant.entry_date
        days_in = (today - entry).days
        fits = [(e, _fit(world, profile, e)) for e in world.employers]

        # First face-to-face employer contact: most within a month, a few late or not yet.
        delay = int(rng.triangular(2, 50, 12))
        if rng.random() < 0.12:
            delay = days_in + 1  # not yet: overdue on the 30-day clock if past day 30
        first_contact: date | None = None
        contact_days: list[date] = []
        if delay <= days_in:
            first_contact = entry + timedelta(days=delay)
            contact_days.append(first_contact)
            step = first_contact
            while True:
                step += timedelta(days=rng.randint(7, 35))
                if step > today + timedelta(days=10) or len(contact_days) > 14:
                    break
                contact_days.append(step)
        for k, day in enumerate(contact_days):
            employer = _weighted(rng, fits)
            mode = ContactMode.visit if k == 0 else None
            contact = _contact(world, employer, day, coach, participant, mode=mode)
            if k == 0:
                contact.status = ContactStatus.done
                contact.outcome = contact.outcome or rng.choice(_OUTCOMES)
            session.add(contact)
            world.counts["employer_contacts"] += 1

        # Suggestions shown and decided, from first week on.
        decisions: list[SuggestionDecision] = []
        for _ in range(rng.randint(2, 8) if days_in > 7 else rng.randint(0, 2)):
            employer = _weighted(rng, fits)
            assert employer.id is not None  # noqa: S101
            candidates = open_by_employer.get(employer.id, [])
            if candidates and rng.random() < 0.6:
                kind, ref = "opening", f"opening:{rng.choice(candidates).id}"
            else:
                kind, ref = "employer", f"employer:{employer.id}"
            decided = entry + timedelta(days=rng.randint(1, max(1, min(days_in, 200))))
            decision = _weighted(
                rng, ((Decision.accepted, 0.35), (Decision.declined, 0.4), (Decision.saved, 0.25))
            )
            if decision is Decision.accepted and kind == "opening":
                # An opening is never promised to more people than it has vacancies.
                opening = next(o for o in candidates if f"opening:{o.id}" == ref)
                if world.opening_taken[ref] >= opening.vacancies:
                    decision = Decision.saved
                else:
                    world.opening_taken[ref] += 1
            reason = _weighted(rng, _DECLINE_REASONS) if decision is Decision.declined else None
            decisions.append(
                SuggestionDecision(
                    participant_id=participant.id,
                    kind=kind,
                    offer_ref=ref,
                    employer_id=employer.id,
                    rank_shown=rng.randint(1, 10),
                    score=round(rng.uniform(0.45, 0.95), 3),
                    decision=decision,
                    reason_code=reason,
                    reason_text=None,
                    engine_settings=ENGINE_SETTINGS,
                    decided_by_id=coach.id,
                    decided_at=_at(min(decided, today), 11),
                )
            )
        if profile.wants_practice and days_in > 14:
            slot = _free_slot(world, profile, today)
            if slot is not None and slot.id is not None:
                world.slot_taken[slot.id] += 1
                decisions.append(
                    SuggestionDecision(
                        participant_id=participant.id,
                        kind="practice",
                        offer_ref=f"practice:{slot.id}",
                        employer_id=slot.employer_id,
                        rank_shown=1,
                        score=round(rng.uniform(0.6, 0.9), 3),
                        decision=Decision.accepted,
                        engine_settings=ENGINE_SETTINGS,
                        decided_by_id=coach.id,
                        decided_at=_at(today - timedelta(days=rng.randint(0, 7)), 11),
                    )
                )
        for decision in decisions:
            session.add(decision)
        session.flush()
        world.counts["suggestion_decisions"] += len(decisions)

        _make_placements(session, world, participant, profile, coach, first_contact, fits)
        advance()


def _make_placements(
    session: Session,
    world: _World,
    participant: Participant,
    profile: CareerProfile,
    coach: User,
    first_contact: date | None,
    fits: list[tuple[Employer, float]],
) -> None:
    rng = world.rng
    today = world.today
    if first_contact is None or (today - first_contact).days < 14:
        return
    # IPS programmes place about 40-60 % in competitive work within a year or so.
    if rng.random() > 0.7:
        if rng.random() < 0.15 and participant.exit_date is None:
            participant.status = ParticipantStatus.paused
        return
    start = first_contact + timedelta(days=int(rng.triangular(7, 150, 40)))
    # Some find a new job after one ended (IPS support goes on between jobs).
    for _ in range(3):
        if start >= today:
            return
        end_date = _place_once(session, world, participant, profile, coach, start, fits)
        if end_date is None or participant.exit_date is not None or rng.random() > 0.5:
            return
        start = end_date + timedelta(days=rng.randint(20, 100))


def _place_once(
    session: Session,
    world: _World,
    participant: Participant,
    profile: CareerProfile,
    coach: User,
    start: date,
    fits: list[tuple[Employer, float]],
) -> date | None:
    """One placement from ``start``; returns its end date (None while it lasts)."""
    rng = world.rng
    today = world.today
    kind = _weighted(
        rng,
        (
            (PlacementKind.competitive, 0.7),
            (PlacementKind.subsidised, 0.12),
            (PlacementKind.practice, 0.1),
            (PlacementKind.studies, 0.08),
        ),
    )
    employer = _weighted(rng, fits)
    slot = None
    if kind is PlacementKind.practice:
        slot = _free_slot(world, profile, start)
        if slot is None:
            kind = PlacementKind.competitive
        else:
            employer = next(e for e in world.employers if e.id == slot.employer_id)
    wanted = [o for o in profile.occupation_ids if o in employer.occupation_ids]
    occupation_id = (wanted or employer.occupation_ids or profile.occupation_ids)[0]
    occupation = world.vocabulary.get(occupation_id)
    opening = None
    if kind in (PlacementKind.competitive, PlacementKind.subsidised):
        candidates = [
            o
            for o in world.openings
            if o.employer_id == employer.id
            and o.status is OpeningStatus.closed
            and (o.employment_form is EmploymentForm.subsidised)
            == (kind is PlacementKind.subsidised)
        ]
        if candidates and rng.random() < 0.5:
            opening = rng.choice(candidates)
            opening.status = OpeningStatus.filled
            occupation = world.vocabulary.get(opening.occupation_ids[0])
    hours = float(
        rng.choice((10, 15, 20, 20, 25, 30, 40))
        if profile.hours_max is None
        else min(profile.hours_max, rng.choice((10, 15, 20, 25, 30, 40)))
    )
    ended = rng.random() < 0.35
    end_date = None
    end_reason = end_reason_text = None
    if kind is PlacementKind.practice and slot is not None:
        end_date = min(slot.period_end or today, start + timedelta(weeks=8))
        end_reason = "practice_ended" if end_date <= today else None
        if end_date > today:
            end_date = None
        if slot.id is not None:
            world.slot_taken[slot.id] += 1
    elif ended:
        end_date = start + timedelta(days=rng.randint(20, 240))
        if end_date >= today:
            end_date = None
        elif kind is PlacementKind.studies:
            end_reason, end_reason_text = "other", "Utbildningen avslutad"
        else:
            end_reason, end_reason_text = _weighted(rng, _END_REASONS)
    studies = kind is PlacementKind.studies
    placement = Placement(
        participant_id=participant.id,
        employer_id=None if studies else employer.id,
        opening_id=opening.id if opening else None,
        practice_slot_id=slot.id if slot else None,
        kind=kind,
        title=(
            rng.choice(("Komvux, vård och omsorg", "Yrkesutbildning, lager och logistik", "Komvux"))
            if studies
            else (opening.title if opening else occupation.label)
        ),
        occupation_id=None if studies else occupation.occupation_id,
        ssyk4_code=None if studies else occupation.ssyk4_code,
        start_date=start,
        end_date=end_date,
        end_reason=end_reason,
        end_reason_text=end_reason_text,
        hours_per_week=None if studies else hours,
        wage_at_least_normal=kind in (PlacementKind.competitive, PlacementKind.subsidised),
        created_at=_at(start, 16),
    )
    session.add(placement)
    session.flush()
    world.counts["placements"] += 1
    if end_date is None:
        participant.status = {
            PlacementKind.competitive: ParticipantStatus.working,
            PlacementKind.subsidised: ParticipantStatus.working,
            PlacementKind.studies: ParticipantStatus.studying,
            PlacementKind.practice: ParticipantStatus.searching,
        }[kind]
    elif end_reason == "studies":
        participant.status = ParticipantStatus.studying
    elif rng.random() < 0.3:
        participant.status = ParticipantStatus.ended
        participant.exit_date = min(today, end_date + timedelta(days=rng.randint(14, 60)))
    participant.updated_at = _at(min(today, end_date or start), 16)

    if kind in (PlacementKind.competitive, PlacementKind.subsidised, PlacementKind.practice):
        # Follow-along: weekly the first month, then about monthly (time-unlimited support).
        stop = end_date or today
        day = start + timedelta(days=rng.randint(2, 7))
        k = 0
        while day <= stop:
            session.add(
                FollowAlongContact(
                    participant_id=participant.id,
                    placement_id=placement.id,
                    contact_date=day,
                    planned=False,
                    mode=_weighted(
                        rng, (("meeting", 0.5), ("phone", 0.3), ("visit", 0.15), ("digital", 0.05))
                    ),
                    with_employer=rng.random() < 0.3,
                    notes=rng.choice(_FOLLOW_NOTES),
                    made_by_id=coach.id,
                )
            )
            world.counts["follow_along_contacts"] += 1
            k += 1
            day += timedelta(days=rng.randint(5, 9) if k < 4 else rng.randint(20, 40))
        if end_date is None:
            session.add(
                FollowAlongContact(
                    participant_id=participant.id,
                    placement_id=placement.id,
                    contact_date=today + timedelta(days=rng.randint(2, 20)),
                    planned=True,
                    mode="meeting",
                    with_employer=rng.random() < 0.3,
                    notes="Planerad uppföljning",
                    made_by_id=coach.id,
                )
            )
            world.counts["follow_along_contacts"] += 1
    return end_date


def _next_steps(world: _World) -> None:
    rng = world.rng
    steps = (
        "Besöka arbetsgivare tillsammans",
        "Uppdatera CV",
        "Förbereda intervju",
        "Budget- och förmånsvägledning",
        "Ringa arbetsgivaren om svar",
    )
    for participant in world.participants:
        if participant.status in (ParticipantStatus.searching, ParticipantStatus.paused):
            if rng.random() < 0.7:
                participant.next_step = rng.choice(steps)
                participant.next_step_date = world.today + timedelta(days=rng.randint(-3, 14))


def generate_demo(
    session: Session,
    *,
    seed: int = 7,
    town: str = "Karlstad",
    today: date | None = None,
    console: Console | None = None,
) -> DemoSummary:
    """Fill the session's database with a synthetic municipality around ``town``; commits."""
    rng = random.Random(seed)  # noqa: S311 - synthetic data
    municipality = places.municipality_by_name(town)
    vocabulary = load_vocabulary()
    wish_occupations = {w.text: resolve_wish(vocabulary, w) for w in WISHES}
    missing = [text for text, found in wish_occupations.items() if not found]
    if missing:
        raise LookupError(f"demo wishes without a taxonomy occupation: {missing}")
    world = _World(
        rng=rng,
        today=today or date.today(),
        town=municipality,
        near=places.municipalities_near(municipality.code, RADIUS_KM),
        vocabulary=vocabulary,
        wish_occupations=wish_occupations,
    )
    for term, occupation_id, kind in vocabulary.terms:
        if kind == "job-title" and term:
            world.titles.setdefault(occupation_id, []).append(term)
    console = console or Console(stderr=True)
    with Progress(console=console, transient=True) as progress:
        total = N_EMPLOYERS * 2 + N_PARTICIPANTS * 2 + 53 + 1
        task = progress.add_task(f"Demo municipality {municipality.name}", total=total)

        def advance() -> None:
            progress.advance(task)

        _make_users(session, world)
        advance()
        _make_employers(session, world, advance)
        _make_offers(session, world, advance)
        _make_participants(session, world, advance)
        _make_general_contacts(session, world, advance)
        _make_histories(session, world, advance)
        _next_steps(world)
        session.commit()
    counts = dict(sorted(world.counts.items()))
    return DemoSummary(
        town=municipality.name,
        seed=seed,
        counts=counts,
        credentials=[(u, DEMO_PASSWORD, r.value) for u, _, r in DEMO_USERS],
    )


def is_empty(session: Session) -> bool:
    """True when the database holds no participants, employers or users."""
    for table in (Participant, Employer, User):
        if session.exec(select(func.count()).select_from(table)).one():
            return False
    return True


def print_summary(summary: DemoSummary, console: Console | None = None) -> None:
    """Print what was created and the demo log-ins."""
    console = console or Console()
    table = Table(title=f"Demo municipality {summary.town} (seed {summary.seed})")
    table.add_column("created")
    table.add_column("count", justify="right")
    for key, value in summary.counts.items():
        table.add_row(key.replace("_", " "), str(value))
    console.print(table)
    logins = Table(title="Demo log-ins (synthetic data only)")
    for column in ("username", "password", "role"):
        logins.add_column(column)
    for row in summary.credentials:
        logins.add_row(*row)
    console.print(logins)


def fill_demo_if_empty(
    engine: Engine, *, seed: int = 7, town: str = "Karlstad", console: Console | None = None
) -> DemoSummary | None:
    """Generate the demo into an empty database and print the log-ins; None if not empty."""
    console = console or Console()
    with Session(engine) as session:
        if not is_empty(session):
            console.print("Database is not empty: demo data not generated.")
            return None
        summary = generate_demo(session, seed=seed, town=town, console=console)
    print_summary(summary, console)
    return summary
