"""The server bench/pages.py measures: Helder's settings and URLs plus a bare page and a query counter.

Only the bench uses it (DJANGO_SETTINGS_MODULE=bench.pages_site.settings); the product's URLconf has no bench route.
"""
