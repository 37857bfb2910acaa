"""Addresses of calibration's mine pages; part of the "calibration" namespace."""

urlpatterns = []
