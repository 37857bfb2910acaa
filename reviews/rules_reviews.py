"""Rules of reviews: reviews (see reviews/rules.py)."""
