"""Addresses of pay's table pages; part of the "pay" namespace."""

urlpatterns = []
