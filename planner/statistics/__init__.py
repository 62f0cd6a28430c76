"""Statistics of a round and across rounds, their charts, and the chamber's report (xlsx, PDF)."""
