"""Addresses of calibration's window pages; part of the "calibration" namespace."""

urlpatterns = []
