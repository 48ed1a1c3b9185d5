"""Engine and session, models, Alembic migrations."""
