"""Following up what is overdue, in a real browser: HR's home says how many conversations are overdue and links
straight to the overdue list; HR reminds Pieter's manager with one click (a plain form, no JavaScript needed), the
row then says who reminded and when, and Mila gets the email from the reminder dispatcher; Sara has no manager, so
her row says whom to contact instead; "remind all" asks first, with counts, and reminds the rest; the progress
page loads the same rows after itself.

The cycle's dates are relative to today (its first window closed ten days ago), so the journey reads the same
whatever day it runs. Actions are found by address rather than by button text, so it reads the same whether the
Dutch catalogue is compiled or not; the text it checks is data (names). Every page goes through axe
(conftest.follow and visit), under the real CSP, and the pages are checked at 390 px wide.
"""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from cycles.dispatch import reminders_dispatch
from cycles.models import ConversationState, CycleStatus, Nudge
from organizations.models import Role
from tests.factories import ConversationFactory, CycleFactory, MomentFactory

from .conftest import alfa_organisation, check_a11y, fits_a_phone, follow, log_in, person, screenshot, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ORG = "/o/alfa"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def alfa(live_server):
    """Alfa's active cycle: the "Startgesprek" window closed ten days ago. Pieter and Joost (Mila's reports) and
    Sara (no manager) have not had theirs; the "Voortgangsgesprek" window opens in a month."""
    organization, team, hr = alfa_organisation()
    mila = person(organization, "Mila", "Dekker", team=team, role=Role.MANAGER)
    pieter = person(organization, "Pieter", "Bakker", team=team, manager=mila)
    joost = person(organization, "Joost", "Smit", team=team, manager=mila)
    sara = person(organization, "Sara", "Visser", team=team)
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    cycle = CycleFactory(
        organization=organization,
        name="Jaarcyclus",
        status=CycleStatus.ACTIVE,
        starts_on=today - 60 * day,
        ends_on=today + 300 * day,
        activated_at=timezone.now(),
    )
    closed = MomentFactory(
        cycle=cycle, name_nl="Startgesprek", name_en="Start", opens_on=today - 40 * day, closes_on=today - 10 * day
    )
    later = MomentFactory(
        cycle=cycle,
        name_nl="Voortgangsgesprek",
        name_en="Progress",
        opens_on=today + 30 * day,
        closes_on=today + 60 * day,
    )
    rows = {who.first_name: ConversationFactory(moment=closed, employee=who) for who in (pieter, joost, sara)}
    ConversationFactory(moment=later, employee=pieter, state=ConversationState.TO_SCHEDULE)
    return hr, mila, cycle, rows


def test_hr_follows_up_overdue_conversations_from_home(new_page, alfa):
    hr, mila, cycle, rows = alfa
    overdue_list = f"{ORG}/cycles/{cycle.pk}/overdue/"
    page = new_page(bypass_csp=False, viewport={"width": 1280, "height": 900})
    log_in(page, hr.user)

    # 1. Home: "3 conversations overdue", one click to the list.
    visit(page, f"{ORG}/")
    card = page.locator("section[aria-labelledby=overdue-home]")
    expect(card).to_contain_text("3")
    follow(page, card.locator(f"a[href='{overdue_list}']"), url=re.compile(r"/overdue/$"))
    items = page.locator("ol.follow-up > li")
    expect(items).to_have_count(3)
    pieter_row = page.locator(f"#row-{rows['Pieter'].pk}")
    expect(pieter_row).to_contain_text("Pieter Bakker")
    expect(pieter_row).to_contain_text("Mila Dekker")
    expect(pieter_row).to_contain_text("Startgesprek")
    expect(pieter_row.locator(f"a[href='{ORG}/cycles/conversations/{rows['Pieter'].pk}/']")).to_have_count(1)

    # Sara has no manager: no button, a link to her page instead.
    sara_row = page.locator(f"#row-{rows['Sara'].pk}")
    expect(sara_row.locator("form")).to_have_count(0)
    expect(sara_row.locator(f"a[href='{ORG}/people/{rows['Sara'].employee_id}/']")).to_have_count(1)

    # 2. Remind Mila about Pieter: a plain POST, back on the list at his row, which says who reminded.
    remind = f"{ORG}/cycles/conversations/{rows['Pieter'].pk}/remind/"
    follow(page, pieter_row.locator(f"form[action='{remind}'] button[type=submit]"), url=re.compile(r"/overdue/"))
    assert page.url.endswith(f"#row-{rows['Pieter'].pk}")
    expect(page.locator(".message-success")).to_contain_text("Mila Dekker")
    expect(pieter_row).to_contain_text("Hanna de Vries")
    expect(pieter_row.locator("form")).to_have_count(0)  # not twice on a day
    screenshot(page, "overdue-list-reminded")
    [nudge] = Nudge.objects.all()
    assert (nudge.conversation_id, nudge.manager_id, nudge.sent_by_id) == (rows["Pieter"].pk, mila.pk, hr.pk)

    # The dispatcher sends it: one email to Mila about Pieter.
    assert reminders_dispatch().sent == 1
    [message] = mail.outbox
    assert message.to == [mila.user.email] and "Pieter Bakker" in message.body

    # 3. Remind all: it asks first with counts (Mila, about Joost; Pieter was reminded today; Sara has no manager).
    follow(page, page.locator(f"form[action='{overdue_list}remind-all/'] button[type=submit]"))
    what = page.locator("section[aria-labelledby=what-heading]")
    expect(what).to_contain_text("Mila Dekker")
    assert Nudge.objects.count() == 1
    follow(page, page.locator("form:has(input[name=confirm][value=yes]) button[type=submit]"), url=overdue_list)
    expect(page.locator(".message-success")).to_be_visible()
    expect(page.locator(f"#row-{rows['Joost'].pk}")).to_contain_text("Hanna de Vries")
    assert Nudge.objects.count() == 2

    # 4. The progress page loads its teams and the overdue rows after itself (htmx, under the real CSP).
    visit(page, f"{ORG}/cycles/{cycle.pk}/progress/")
    expect(page.locator("#progress-overdue ol.follow-up > li")).to_have_count(3)
    expect(page.locator("#progress-teams table tbody tr")).to_have_count(1)
    expect(page.locator(f"#progress-overdue #row-{rows['Joost'].pk}")).to_contain_text("Hanna de Vries")
    check_a11y(page)

    # At phone width: home, the list, the progress page and the confirmation fit without sideways scrolling.
    phone = new_page(viewport={**PHONE})
    log_in(phone, hr.user)
    visit(phone, f"{ORG}/")
    fits_a_phone(phone, "overdue-home-390")
    visit(phone, overdue_list)
    fits_a_phone(phone, "overdue-list-390")
    visit(phone, f"{ORG}/cycles/{cycle.pk}/progress/")
    expect(phone.locator("#progress-overdue ol.follow-up > li")).to_have_count(3)
    fits_a_phone(phone, "overdue-progress-390")
    Nudge.objects.all().delete()  # so that "remind all" has someone to remind again
    visit(phone, f"{overdue_list}remind-all/")
    fits_a_phone(phone, "overdue-remind-all-390")
