"""The calendar address on "My year": a one-click subscribe link (webcal://, the same feed) and a copy button that a
static script shows and works (the site's CSP allows no inline script); without it the address stays selectable."""

import re

import pytest
from django.contrib.staticfiles import finders

from cycles.models import CalendarFeed
from tests.kit import client_for, url

pytestmark = pytest.mark.django_db


def page(client, tenant):
    response = client.get(url("cycles:my_year", tenant.organization))
    assert response.status_code == 200
    return response


def test_the_subscribe_link_is_the_feed_address_with_the_webcal_scheme(tenant_a, employee):
    body = page(employee, tenant_a).content.decode()
    token = CalendarFeed.objects.get(employee=tenant_a.employee).token
    link = f'<a class="button" href="webcal://testserver/calendar/{token}.ics">Subscribe in your calendar app</a>'
    assert link in body
    # The address itself stays in a readonly field, to select and paste by hand.
    assert re.search(rf'<input type="url" id="feed-url" value="http://testserver/calendar/{token}.ics" readonly', body)


def test_the_subscribe_link_follows_a_new_address(tenant_a, employee):
    page(employee, tenant_a)
    old = CalendarFeed.objects.get(employee=tenant_a.employee).token
    employee.post(url("cycles:feed_regenerate", tenant_a.organization), {"confirm": "yes"})
    body = page(employee, tenant_a).content.decode()
    new = CalendarFeed.objects.get(employee=tenant_a.employee).token
    assert f"webcal://testserver/calendar/{new}.ics" in body and old not in body


def test_the_copy_button_waits_for_the_script_and_says_what_happened(tenant_a, employee):
    body = page(employee, tenant_a).content.decode()
    button = re.search(r"<button [^>]*data-copy=\"feed-url\"[^>]*>(.*?)</button>", body).group(0)
    assert 'type="button"' in button and " hidden " in button  # shown by the script only
    assert 'data-copy-status="feed-url-status"' in button
    assert 'data-copied="The address has been copied."' in button
    assert "Copy address" in button
    assert '<p class="help" id="feed-url-status" role="status"></p>' in body


def test_the_script_is_a_static_file_and_no_script_is_inline(tenant_a, employee):
    response = page(employee, tenant_a)
    body = response.content.decode()
    assert re.search(r'<script src="/static/js/copy(\.[0-9a-f]+)?\.js" defer></script>', body)
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", body, flags=re.S)
    assert all("src=" in attributes and not content.strip() for attributes, content in scripts)
    source = open(finders.find("js/copy.js"), encoding="utf-8").read()
    assert "navigator.clipboard" in source and "button.hidden = false" in source
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]


def test_the_page_speaks_dutch(tenant_a):
    body = page(client_for(tenant_a.employee, language="nl"), tenant_a).content.decode()
    assert "Abonneer je in je agenda-app" in body and "Adres kopiëren" in body
    assert 'data-copied="Het adres is gekopieerd."' in body
