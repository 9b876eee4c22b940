"""Django's PostgreSQL backend with a connection pool that survives database restarts (base.py)."""
