"""``{% load money %}``: ``{{ amount|euro }}`` and ``{{ value|percent }}`` in the active language (pay.money)."""

from django import template

from pay import money

register = template.Library()


@register.filter
def euro(amount):
    return money.euro(amount)


@register.filter
def percent(value):
    return money.percent(value)
