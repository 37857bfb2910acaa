"""Addresses of pay's budget pages; part of the "pay" namespace."""

urlpatterns = []
