"""Bulk onboarding: firms, people, offers, needs, days, delegation membership and meeting wishes from .xlsx or .csv (preview, then all or nothing), the same format exported."""
