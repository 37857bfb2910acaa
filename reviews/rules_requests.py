"""Rules of reviews: requests (see reviews/rules.py)."""
