"""Addresses of pay's scales pages; part of the "pay" namespace."""

urlpatterns = []
