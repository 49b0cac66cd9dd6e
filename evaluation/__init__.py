"""Evaluation of an IPS programme from its logs: outcome rates, time to contact and job, IPS-25
fidelity items, ranking quality, small-group suppression and reports.

Metric modules are pure functions over DataFrames; :mod:`evaluation.loaders` is the only module
that reads the database.
"""
