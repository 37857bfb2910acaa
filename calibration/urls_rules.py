"""Addresses of calibration's rules pages; part of the "calibration" namespace."""

urlpatterns = []
