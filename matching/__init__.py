"""The ranking engine: a pure library (no database, no web), usable from a notebook or a batch job."""
