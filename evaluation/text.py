"""Report texts in Swedish (default) and English: headings, definitions, column names."""

from __future__ import annotations

LANGUAGES = ("sv", "en")

TEXT: dict[str, dict[str, str]] = {
    "sv": {
        "title": "Utvärdering av IPS-verksamheten",
        "period": "Period",
        "generated": "Skapad",
        "overview": "Översikt",
        "participants_active": "Aktiva deltagare under perioden",
        "participants_new": "Nya deltagare under perioden",
        "jobs_started": "Påbörjade anställningar under perioden",
        "rates": "Andel i arbete per kvartal",
        "rates_def": (
            "Andel aktiva deltagare som under kvartalet hade en konkurrensutsatt anställning "
            "(öppna arbetsmarknaden, avtalsenlig lön), delat med antalet aktiva deltagare. "
            "Referenslinjer från IPS-nätverket: 31 % lägsta nivå, 41 % genomsnitt, 50 % utmärkt. "
            "Även andel med någon anställning (inklusive subventionerad), praktik och studier. "
            "Kvartal med färre än 5 aktiva visas inte."
        ),
        "time": "Tid till första arbetsgivarkontakt och första anställning",
        "time_def": (
            "Dagar från programstart till första arbetsgivarkontakt ansikte mot ansikte och till "
            "första anställning, för deltagare som började under perioden. Medianen räknas bland "
            "dem som nått händelsen; andelen inom 30 dagar bland dem som kan bedömas. "
            "Kaplan-Meier-kurvan tar hänsyn till dem som fortfarande söker (censurerade)."
        ),
        "tenure": "Anställningarnas längd, arbetstid och avslut",
        "tenure_def": (
            "Anställningstid i dagar (pågående anställningar censurerade vid periodens slut, "
            "median enligt Kaplan-Meier), timmar per vecka och skäl till avslutade anställningar."
        ),
        "fidelity": "Programtrohet (IPS-25), poäng från loggarna",
        "fidelity_def": (
            "Sju av IPS-25-skalans punkter kan räknas fram ur loggarna; varje punkt får 1-5 poäng "
            "enligt skalans förankringar. Övriga punkter kräver intervjuer och journalgranskning."
        ),
        "ranking": "Rankningens kvalitet",
        "ranking_def": (
            "Av beslut om förslag: andel accepterade per placering i listan, precision@k (andel "
            "relevanta bland de k första) och nDCG@k (relevans viktad efter placering: 2 = ledde "
            "till anställning/praktik, 1 = accepterad, 0 = annars), per motorinställning."
        ),
        "breakdowns": "Uppdelning per grupp",
        "breakdowns_def": (
            "Grupper med färre än 5 deltagare visas inte (–); är bara en grupp dold döljs även den "
            "näst minsta så att den inte kan räknas fram."
        ),
        "by_coach": "Per IPS-handledare",
        "by_municipality": "Per kommun",
        "by_group": "Per grupp",
        "charts": "Diagram",
        "tables": "Tabeller (CSV och XLSX)",
        "competitive": "Konkurrensutsatt anställning",
        "any_job": "Någon anställning",
        "practice": "Praktik",
        "minimum": "Lägsta",
        "average": "Genomsnitt",
        "excellent": "Utmärkt",
        "percent_participants": "Andel av aktiva deltagare (%)",
        "days_since_entry": "Dagar sedan programstart",
        "share_with_event": "Andel (%)",
        "first_contact": "Första arbetsgivarkontakt",
        "first_competitive_job": "Första konkurrensutsatta anställning",
        "first_job": "Första anställning",
        "days_in_job": "Dagar i anställning",
        "share_still_employed": "Andel kvar i anställning (%)",
        "rank": "Placering i listan",
        "acceptance_rate": "Andel accepterade (%)",
        "score": "Poäng",
        "summary_done": "Rapporten är klar",
        "no_data": "Inga data för perioden.",
        # Placement end reasons as the coach page records them (profiles.schemas).
        "end_reason_contract_ended": "Anställningen tog slut (visstid)",
        "end_reason_practice_ended": "Praktikperioden slut",
        "end_reason_new_job": "Bytte till annat jobb",
        "end_reason_quit": "Sade upp sig själv",
        "end_reason_dismissed": "Uppsagd av arbetsgivaren",
        "end_reason_health": "Ohälsa",
        "end_reason_studies": "Började studera",
        "end_reason_other": "Annat",
        "end_reason_unknown": "Skäl saknas",
        "band_excellent": "Utmärkt (≥ 50 %)",
        "band_average": "Genomsnitt (≥ 41 %)",
        "band_minimum": "Lägsta nivå (≥ 31 %)",
        "band_below_minimum": "Under lägsta nivå",
        "band_no_data": "–",
    },
    "en": {
        "title": "Evaluation of the IPS service",
        "period": "Period",
        "generated": "Generated",
        "overview": "Overview",
        "participants_active": "Participants active in the period",
        "participants_new": "New participants in the period",
        "jobs_started": "Jobs started in the period",
        "rates": "Employment rate per quarter",
        "rates_def": (
            "Share of active participants who held a competitive job (open labour market, "
            "ordinary pay) during the quarter, divided by the active participants. Benchmarks "
            "from the IPS learning community: 31 % minimum, 41 % average, 50 % excellent. Also "
            "shares with any job (subsidised included), practice and studies. Quarters with "
            "fewer than 5 active participants are not shown."
        ),
        "time": "Time to first employer contact and first job",
        "time_def": (
            "Days from programme entry to the first face-to-face employer contact and to the "
            "first job, for participants who entered during the period. The median counts those "
            "who reached the event; the share within 30 days those who can be judged. The "
            "Kaplan-Meier curve accounts for people still searching (censored)."
        ),
        "tenure": "Job tenure, hours and endings",
        "tenure_def": (
            "Tenure in days (ongoing jobs censored at the end of the period, Kaplan-Meier "
            "median), hours per week and the reasons jobs ended."
        ),
        "fidelity": "Fidelity (IPS-25), items scored from the logs",
        "fidelity_def": (
            "Seven IPS-25 items can be computed from the logs; each is scored 1-5 on the scale's "
            "anchors. The other items need interviews and record review."
        ),
        "ranking": "Ranking quality",
        "ranking_def": (
            "From suggestion decisions: acceptance rate by rank, precision@k (share relevant in "
            "the top k) and nDCG@k (relevance discounted by rank: 2 = led to a placement, "
            "1 = accepted, 0 = otherwise), per engine setting."
        ),
        "breakdowns": "Breakdowns by group",
        "breakdowns_def": (
            "Groups with fewer than 5 participants are not shown (–); when only one group is "
            "hidden, the next smallest is hidden too so that it cannot be derived."
        ),
        "by_coach": "By job coach",
        "by_municipality": "By municipality",
        "by_group": "By group",
        "charts": "Charts",
        "tables": "Tables (CSV and XLSX)",
        "competitive": "Competitive job",
        "any_job": "Any job",
        "practice": "Practice",
        "minimum": "Minimum",
        "average": "Average",
        "excellent": "Excellent",
        "percent_participants": "Share of active participants (%)",
        "days_since_entry": "Days since programme entry",
        "share_with_event": "Share (%)",
        "first_contact": "First employer contact",
        "first_competitive_job": "First competitive job",
        "first_job": "First job",
        "days_in_job": "Days in the job",
        "share_still_employed": "Share still employed (%)",
        "rank": "Rank in the list",
        "acceptance_rate": "Acceptance rate (%)",
        "score": "Score",
        "summary_done": "Report written",
        "no_data": "No data for the period.",
        "end_reason_contract_ended": "Fixed-term contract ended",
        "end_reason_practice_ended": "Practice period over",
        "end_reason_new_job": "Moved to another job",
        "end_reason_quit": "Resigned",
        "end_reason_dismissed": "Dismissed by the employer",
        "end_reason_health": "Ill health",
        "end_reason_studies": "Started studying",
        "end_reason_other": "Other",
        "end_reason_unknown": "No reason given",
        "band_excellent": "Excellent (≥ 50 %)",
        "band_average": "Average (≥ 41 %)",
        "band_minimum": "Minimum (≥ 31 %)",
        "band_below_minimum": "Below minimum",
        "band_no_data": "–",
    },
}

COLUMNS: dict[str, dict[str, str]] = {
    "sv": {
        "quarter": "Kvartal",
        "active": "Aktiva",
        "competitive": "Konkurrensutsatt",
        "competitive_rate": "Andel konkurrensutsatt",
        "any_job": "Någon anställning",
        "any_job_rate": "Andel någon anställning",
        "practice": "Praktik",
        "practice_rate": "Andel praktik",
        "studies": "Studier",
        "studies_rate": "Andel studier",
        "band": "IPS-nivå",
        "event": "Händelse",
        "n": "Antal",
        "n_observed": "Med händelse",
        "n_censored": "Söker fortfarande",
        "median_days_observed": "Median dagar",
        "mean_days_observed": "Medel dagar",
        "share_within": "Andel inom 30 dagar",
        "km_median_days": "Median dagar (KM)",
        "km_share_within": "Andel inom 30 dagar (KM)",
        "end_reason": "Skäl",
        "count": "Antal",
        "share": "Andel",
        "title_sv": "Punkt",
        "score": "Poäng",
        "value": "Värde",
        "unit_sv": "Enhet",
        "anchor_sv": "Förankring",
        "months_supported": "Månader med stöd",
        "jobs": "Anställningar",
        "coach": "Handledare",
        "fte": "Tjänstgöringsgrad",
        "caseload": "Deltagare per heltid",
        "face_to_face_contacts": "Kontakter ansikte mot ansikte",
        "per_week": "Per vecka",
        "n_jobs": "Anställningar",
        "n_ended": "Avslutade",
        "n_ongoing": "Pågående",
        "km_median_tenure_days": "Median dagar i arbete (KM)",
        "share_lasting_90_days": "Andel kvar efter 90 dagar (KM)",
        "median_hours_per_week": "Median timmar per vecka",
        "mean_hours_per_week": "Medel timmar per vecka",
        "share_20_hours_or_more": "Andel 20 timmar eller mer",
        "n_evaluable": "Kan bedömas",
        "n_within": "Inom 30 dagar",
        "group": "Grupp",
        "participants": "Deltagare",
        "competitive_share": "Andel konkurrensutsatt",
        "any_job_share": "Andel någon anställning",
        "median_days_first_contact": "Median dagar till kontakt",
        "contact_within_share": "Andel kontakt inom 30 dagar",
        "suppressed": "Dold",
        "rank": "Placering",
        "decided": "Beslut",
        "accepted": "Accepterade",
        "acceptance_rate": "Andel accepterade",
        "engine_settings": "Motorinställning",
        "lists": "Listor",
        "mean_rank_accepted": "Medelplacering accepterade",
        "precision_at_k": "Precision@k",
        "baseline": "Jämförs med",
        "ndcg_baseline": "nDCG@k jämförelse",
        "ndcg": "nDCG@k",
        "difference": "Skillnad",
        "ci_low": "95 % KI, lägre",
        "ci_high": "95 % KI, övre",
        "placements": "Placeringar",
        "ndcg_at_k": "nDCG@k",
    },
    "en": {
        "quarter": "Quarter",
        "active": "Active",
        "competitive": "Competitive",
        "competitive_rate": "Competitive rate",
        "any_job": "Any job",
        "any_job_rate": "Any job rate",
        "practice": "Practice",
        "practice_rate": "Practice rate",
        "studies": "Studies",
        "studies_rate": "Studies rate",
        "band": "IPS band",
        "event": "Event",
        "n": "Number",
        "n_observed": "With the event",
        "n_censored": "Still searching",
        "median_days_observed": "Median days",
        "mean_days_observed": "Mean days",
        "share_within": "Share within 30 days",
        "km_median_days": "Median days (KM)",
        "km_share_within": "Share within 30 days (KM)",
        "end_reason": "Reason",
        "count": "Number",
        "share": "Share",
        "title_en": "Item",
        "score": "Score",
        "value": "Value",
        "unit": "Unit",
        "anchor": "Anchor",
        "months_supported": "Months with support",
        "jobs": "Jobs",
        "coach": "Coach",
        "fte": "FTE",
        "caseload": "Participants per full-time coach",
        "face_to_face_contacts": "Face-to-face contacts",
        "per_week": "Per week",
        "n_jobs": "Jobs",
        "n_ended": "Ended",
        "n_ongoing": "Ongoing",
        "km_median_tenure_days": "Median days in the job (KM)",
        "share_lasting_90_days": "Share still employed after 90 days (KM)",
        "median_hours_per_week": "Median hours per week",
        "mean_hours_per_week": "Mean hours per week",
        "share_20_hours_or_more": "Share 20 hours or more",
        "n_evaluable": "Can be judged",
        "n_within": "Within 30 days",
        "group": "Group",
        "participants": "Participants",
        "competitive_share": "Competitive share",
        "any_job_share": "Any job share",
        "median_days_first_contact": "Median days to contact",
        "contact_within_share": "Share with contact within 30 days",
        "suppressed": "Suppressed",
        "rank": "Rank",
        "decided": "Decided",
        "accepted": "Accepted",
        "acceptance_rate": "Acceptance rate",
        "engine_settings": "Engine setting",
        "lists": "Lists",
        "mean_rank_accepted": "Mean rank of accepted",
        "precision_at_k": "Precision@k",
        "baseline": "Compared with",
        "ndcg_baseline": "nDCG@k baseline",
        "ndcg": "nDCG@k",
        "difference": "Difference",
        "ci_low": "95 % CI, lower",
        "ci_high": "95 % CI, upper",
        "placements": "Placements",
        "ndcg_at_k": "nDCG@k",
    },
}


def t(lang: str, key: str) -> str:
    """Text ``key`` in ``lang`` (falls back to Swedish, then to the key)."""
    return TEXT.get(lang, {}).get(key) or TEXT["sv"].get(key, key)


def column(lang: str, name: str) -> str:
    """Human column name in ``lang``; a column without a name there is the identifier with
    spaces."""
    names = COLUMNS.get(lang, COLUMNS["sv"])
    return names.get(name) or name.replace("_", " ").capitalize()
