"""What the pay journey (tests/e2e/test_pay_journey.py) builds and reads: Alfa's cycle with its people, the salary
table file HR uploads, the review finalised through the services, and the page's texts in the reader's language.

Texts are looked up in the catalogue the live server uses (``said``), so a step finds a link or a label by the
words on the screen whether or not the Dutch of a new string is compiled yet.
"""

import datetime
import re
from dataclasses import dataclass
from types import SimpleNamespace

from django.utils import timezone, translation

from core.i18n import field_label
from cycles.models import CycleStatus, MomentKind
from organizations.models import Role
from reviews import scales
from tests.factories import ConversationFactory, CycleFactory, ExpectationFactory, MomentFactory
from tests.reviews import review_steps

from .conftest import alfa_organisation, fits_a_phone, person

PHONE = {"width": 390, "height": 844}

# Schaal 8 and Schaal 9 as a Dutch spreadsheet saves them: semicolons, thousands dots, decimal commas, CRLF.
SCALE_FILE = (
    "schaal;trede;bedrag\r\n"
    "Schaal 8;0;3.000,00\r\n"
    "Schaal 8;1;3.125,50\r\n"
    "Schaal 8;2;3.250,50\r\n"
    "Schaal 8;3;3.400,00\r\n"
    "Schaal 8;4;3.550,75\r\n"
    "Schaal 9;0;3.600,00\r\n"
    "Schaal 9;1;3.800,00\r\n"
).encode("cp1252")
SCHAAL_8 = ["€\xa03.000,00", "€\xa03.125,50", "€\xa03.250,50", "€\xa03.400,00", "€\xa03.550,75"]


@dataclass
class Alfa:
    hr: object
    manager: object
    employee: object
    cycle: object
    conversation: object  # the employee's assessment conversation
    bands: list  # the cycle's outcome bands, low to high: below, meets, exceeds


def alfa_with_a_cycle() -> Alfa:
    """Alfa's active cycle with an open assessment moment and its default bands; Eva reports to Mila; two expectations
    of 60 % and 40 %. Nobody is placed, there are no salary scales and no pay table yet."""
    organization, team, hr = alfa_organisation()
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    cycle = CycleFactory(
        organization=organization,
        name="Jaarcyclus",
        starts_on=today - 60 * day,
        ends_on=today + 300 * day,
        status=CycleStatus.ACTIVE,
        activated_at=timezone.now(),
    )
    moment = MomentFactory(
        cycle=cycle,
        kind=MomentKind.ASSESSMENT,
        produces_rating=True,
        opens_on=today - 5 * day,
        closes_on=today + 25 * day,
    )
    scales.cycle_levels(cycle=cycle)
    bands = scales.cycle_bands(cycle=cycle)
    ExpectationFactory(organization=organization, weight=60, title="Je vraagt de klant om feedback na elke oplevering")
    ExpectationFactory(organization=organization, weight=40, title="Je komt afspraken met collega's na")
    manager = person(organization, "Mila", "Dekker", team=team, role=Role.MANAGER)
    employee = person(organization, "Eva", "van der Berg", email="eva@alfa.example", team=team, manager=manager)
    employee.user.language = "nl"
    employee.user.save(update_fields=["language"])
    conversation = ConversationFactory(moment=moment, employee=employee)
    return Alfa(hr=hr, manager=manager, employee=employee, cycle=cycle, conversation=conversation, bands=bands)


def finalise_review(alfa: Alfa):
    """The employee's review rated 3 and 2 (a score of 2.60: "meets"), shared, held, signed by both and finalised by
    HR, through the reviews services as tests/reviews/review_steps does it."""
    assessment = SimpleNamespace(
        conversation=alfa.conversation,
        tenant=SimpleNamespace(manager=alfa.manager, employee=alfa.employee, hr=alfa.hr),
    )
    return review_steps.finalised(assessment)


def said(msgid: str, language: str = "nl", **values) -> str:
    """``msgid`` as the live server writes it in ``language`` (the catalogue's translation, or the English)."""
    with translation.override(language):
        text = translation.gettext(msgid)
    return text % values if values else text


def field(text: str) -> re.Pattern:
    """A form field's accessible name: its label exactly, with or without Django's label suffix (":")."""
    return re.compile(rf"^\s*{re.escape(text)}\s*:?\s*$")


def label_of(model, field: str, language: str = "nl") -> str:
    """A bilingual field's label as core.i18n.BilingualForm writes it in ``language``."""
    with translation.override(language):
        return str(field_label(model, field))


def fits(page, name: str) -> None:
    """The page does not scroll sideways at the viewport's width (tests/e2e/conftest.fits_a_phone)."""
    fits_a_phone(page, f"pay-{name}-390")


FACTS = "dl => [...dl.querySelectorAll('dt')].map(dt => [dt.innerText, dt.nextElementSibling.innerText])"


def facts(article) -> dict[str, str]:
    """The ``dl.facts`` in ``article`` as {term: value}, as the reader sees them."""
    return {term.strip(): value.strip() for term, value in article.locator("dl.facts").evaluate(FACTS)}
