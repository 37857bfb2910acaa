"""Rules of reviews: sheet (see reviews/rules.py)."""
