"""Evaluation of an IPS programme from its logs: outcome rates, time to contact and job, IPS-25
fidelity items, ranking quality, small-group suppression and reports.

Metric modules are pure functions over DataFrames; :mod:`evaluation.loaders` is the only module
that reads the database. Typical use::

    from evaluation.loaders import load_frames
    from evaluation.report import build_report, evaluation_summary

    frames = load_frames(session, date_from=start, date_to=end)
    data = evaluation_summary(frames)            # JSON-able dict for /api/evaluation
    build_report(frames, start, end, out_dir)    # HTML + PNG + CSV + XLSX + JSON
"""

from evaluation.fidelity import (
    FidelityItem,
    caseload_size,
    competitive_jobs,
    diversity_of_employers,
    diversity_of_job_types,
    employer_contacts_per_week,
    fidelity_table,
    follow_along_supports,
    rapid_job_search,
)
from evaluation.frames import EvaluationFrames
from evaluation.metrics import (
    IPS_BANDS,
    ips_band,
    job_endings,
    job_tenure,
    job_tenure_summary,
    quarterly_outcome_rates,
    time_to_event,
    time_to_event_summary,
)
from evaluation.ranking_quality import (
    acceptance_by_rank,
    bootstrap_difference,
    compare_settings,
    ndcg_at_k,
    per_list_scores,
    placement_rank_summary,
    placement_ranks,
    precision_at_k,
    with_relevance,
)
from evaluation.suppression import MIN_GROUP_SIZE, breakdown, suppress_small_groups
from evaluation.survival import KaplanMeierResult, kaplan_meier, kaplan_meier_by_group

__all__ = [
    "IPS_BANDS",
    "MIN_GROUP_SIZE",
    "EvaluationFrames",
    "FidelityItem",
    "KaplanMeierResult",
    "acceptance_by_rank",
    "bootstrap_difference",
    "breakdown",
    "caseload_size",
    "compare_settings",
    "competitive_jobs",
    "diversity_of_employers",
    "diversity_of_job_types",
    "employer_contacts_per_week",
    "fidelity_table",
    "follow_along_supports",
    "ips_band",
    "job_endings",
    "job_tenure",
    "job_tenure_summary",
    "kaplan_meier",
    "kaplan_meier_by_group",
    "ndcg_at_k",
    "per_list_scores",
    "placement_rank_summary",
    "placement_ranks",
    "precision_at_k",
    "quarterly_outcome_rates",
    "rapid_job_search",
    "suppress_small_groups",
    "time_to_event",
    "time_to_event_summary",
    "with_relevance",
]
