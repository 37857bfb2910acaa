"""The pages that put together what every app offers: the home page per role, and the navigation menu.

``home`` is the top of the import order (core, accounts, organizations,
expectations, cycles, then home): it asks each app for its part through that
app's selectors and rules, and no app imports it.
"""
