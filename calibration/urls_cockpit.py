"""Addresses of calibration's cockpit pages; part of the "calibration" namespace."""

urlpatterns = []
