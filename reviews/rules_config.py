"""Rules of reviews: config (see reviews/rules.py)."""
