"""`ipsmatch rank PARTICIPANT_ID | --profile PROFILE.json [--top K] [--json]`."""

from __future__ import annotations

import json
from pathlib import Path

import typer


def register(app: typer.Typer) -> None:
    @app.command()
    def rank(
        participant: str | None = typer.Argument(
            None, help="Participant id (number) or pseudonymous code from the database."
        ),
        profile: Path | None = typer.Option(
            None, "--profile", help="A JSON career profile (docs/profile.md); not stored."
        ),
        top: int = typer.Option(10, "--top", min=1, max=1000, help="Suggestions per list."),
        as_json: bool = typer.Option(False, "--json", help="One JSON object on stdout."),
        practice: bool | None = typer.Option(
            None,
            "--practice/--no-practice",
            help="Rank practice slots (default: the profile's wish).",
        ),
        lang: str = typer.Option("sv", "--lang", help="Language of the reasons: sv or en."),
        caseload: str | None = typer.Option(
            None,
            "--caseload",
            help="Rank a coach's whole caseload (username, or 'all'): scarce places are "
            "promised to no more participants than they hold, most urgent first.",
        ),
    ) -> None:
        """Ranked openings, practice slots and employers with component scores and reasons."""
        from sqlmodel import Session

        from matching.ranking import Matcher
        from matching.vocabulary import default_matcher
        from profiles import coaching as profiles_coaching
        from profiles import service as profiles_service
        from profiles.adapters import to_preferences
        from profiles.errors import FieldErrors
        from profiles.schemas import CareerProfileIn, parse
        from service import coaching, db
        from service.config import get_settings
        from service.i18n import translate

        if sum(x is not None for x in (participant, profile, caseload)) != 1:
            raise typer.BadParameter(
                "give one of PARTICIPANT_ID, --profile PROFILE.json or --caseload COACH"
            )
        engine = db.make_engine(get_settings().database_url)
        db.upgrade(engine)
        with Session(engine) as session:
            matcher = Matcher(top_k=top).fit(
                coaching.register_offers(session), vocabulary=default_matcher()
            )
            if caseload is not None:
                from datetime import date

                from service.commands.caseload import run_caseload

                try:
                    run_caseload(
                        session, coach=caseload, matcher=matcher, top=top, today=date.today(),
                        as_json=as_json, lang=lang, result_json=coaching.result_json,
                        first_contacts=profiles_coaching.first_contact_dates(session),
                    )  # fmt: skip
                except LookupError as exc:
                    typer.echo(str(exc), err=True)
                    raise typer.Exit(2) from None
                return
            if profile is not None:
                try:
                    raw = json.loads(profile.read_text(encoding="utf-8"))
                except (OSError, ValueError) as exc:
                    typer.echo(f"{profile}: not a readable JSON file ({exc})", err=True)
                    raise typer.Exit(2) from None
                label = raw.pop("label", None) if isinstance(raw, dict) else None
                try:
                    data = parse(CareerProfileIn, raw)
                except FieldErrors as exc:
                    for field, message in exc.errors.items():
                        typer.echo(f"{profile}: {field}: {translate(message, 'en')}", err=True)
                    raise typer.Exit(2) from None
                prefs = to_preferences(data, participant_id=str(label or profile.stem))
                result = matcher.rank(prefs, top_k=top, include_practice=practice)
            else:
                assert participant is not None  # noqa: S101 (narrowing for the type checker)
                found = profiles_service.find_participant_by_code(session, code=participant)
                if found is None and participant.isdigit():
                    pid = int(participant)
                else:
                    pid = found.id if found else None
                if pid is None:
                    typer.echo(f"no participant {participant!r}", err=True)
                    raise typer.Exit(2)
                try:
                    result = profiles_service.rank_stored_profile(
                        session, participant_id=pid, matcher=matcher, top_k=top,
                        include_practice=practice,
                    )  # fmt: skip
                except LookupError as exc:
                    typer.echo(str(exc), err=True)
                    raise typer.Exit(2) from None
        if as_json:
            typer.echo(json.dumps(coaching.result_json(result), ensure_ascii=False))
            return
        titles = {
            "openings": ("Lediga jobb", "Openings"),
            "practice": ("Praktikplatser", "Practice slots"),
            "employers": ("Arbetsgivare att kontakta", "Employers to approach"),
        }
        i = 0 if lang == "sv" else 1
        for key, items in (
            ("openings", result.openings),
            ("practice", result.practice),
            ("employers", result.employers),
        ):
            typer.echo(f"== {titles[key][i]} ({len(items)})")
            if key == "practice" and not result.practice_included:
                typer.echo("   (--practice)")
            for s in items:
                extra = " [subventionerat]" if s.offer.is_subsidised else ""
                dist = f", {s.distance_km:.1f} km" if s.distance_km is not None else ""
                typer.echo(
                    f"{s.rank:>3}. {s.score:.2f}  {s.offer.title} – {s.offer.employer_name}"
                    f"{dist}{extra}  [{s.offer_id}]"
                )
                comps = " ".join(f"{k}={v:.2f}" for k, v in s.components.items())
                typer.echo(f"       {comps}")
                for reason in s.reasons(lang):
                    typer.echo(f"       - {reason}")
        for e in result.exclusions:
            typer.echo(f"({e.kind.value}) {e.text_sv if lang == 'sv' else e.text_en}")
