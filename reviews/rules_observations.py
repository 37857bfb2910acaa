"""Rules of reviews: observations (see reviews/rules.py)."""
