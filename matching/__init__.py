"""The ranking engine: a pure library (no database, no web), for notebooks and batch jobs."""
