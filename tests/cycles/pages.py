"""What the cycle page tests share: addresses, a person's language, and reading errors and messages off a page."""

import html
import re

from django.urls import reverse


def url(name, organization, **kwargs):
    return reverse(f"cycles:{name}", kwargs={"org_slug": organization.slug, **kwargs})


def in_english(*employees):
    for employee in employees:
        employee.user.language = "en"
        employee.user.save(update_fields=["language"])


def field_error(response, field):
    """The error text shown at ``field`` (inside its errorlist), or None."""
    match = re.search(rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', response.content.decode(), re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", match.group(1)).strip()) if match else None


def nonfield_errors(response):
    match = re.search(r'<ul class="errorlist nonfield"[^>]*>(.*?)</ul>', response.content.decode(), re.S)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(1))).strip()) if match else ""


def shown_messages(response):
    return [str(message) for message in response.context["messages"]]
