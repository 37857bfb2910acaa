"""Addresses of calibration's calibration pages; part of the "calibration" namespace."""

urlpatterns = []
