"""The event day: check-in passes and the desk, no-shows, and backfill of the rest of the day."""
