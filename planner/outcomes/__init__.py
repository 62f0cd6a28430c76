"""What came of the meetings: held or not at the table, and the feedback form after the round."""
