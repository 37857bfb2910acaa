"""Addresses of pay's mine pages; part of the "pay" namespace."""

urlpatterns = []
