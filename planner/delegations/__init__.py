"""Visiting regions and delegations (visits): the organiser's pages and the head's view."""
