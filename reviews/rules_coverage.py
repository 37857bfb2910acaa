"""Rules of reviews: coverage (see reviews/rules.py)."""
