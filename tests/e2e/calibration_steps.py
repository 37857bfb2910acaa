"""What the calibration journey (tests/e2e/test_calibration_journey.py) builds and reads.

Alfa's active cycle with a planning moment behind it and an open assessment moment, two expectations (60 % and
40 %) and the default scale and bands. Two managers, each with five reports whose draft reviews were rated and given
an outcome through the reviews services (as tests/reviews/review_steps.py does), so every review page, score and
flag is what a manager's own work would give:

- Mila Dekker (lenient): four reviews the rule puts in "exceeds", and Fleur's, which the rule puts in "meets" but
  Mila raised to "exceeds" with a justification (the one deviation);
- Bas Jansen (severe): two in "below", three in "meets", each as the rule gives.

The organisation: 5 of 10 in "exceeds" (50 %), 3 in "meets" (30 %), 2 in "below" (20 %). Mila's top share (100 %)
and Bas's (0 %) each differ from it by more than the default 15 points, and both have the default five reviews:
one lenient manager and one severe one. HR moves Fleur's outcome back to "meets": then Mila has 4 of 5 in
"exceeds" (80 %) and 1 in "meets" (20 %), the organisation 40 % / 40 % / 20 %.

Below the data: how the journey reads a page (its menus, its h1, a region by its translated name, a table's rows,
the messages, the Share button or the window's refusal on a review) and checks that it fits 390px.
"""

import datetime
from dataclasses import dataclass, field

from django.utils import formats, timezone, translation

from cycles.models import CycleStatus, MomentKind
from organizations.models import Role
from reviews import scales
from reviews import services_reviews as services
from reviews.services_reviews import RatingInput
from tests.factories import (
    ConversationFactory,
    CycleFactory,
    ExpectationFactory,
    MomentFactory,
    NotCountedFactory,
    ObservationFactory,
    TeamFactory,
)
from tests.reviews import review_steps

from .conftest import alfa_organisation, check_a11y, check_response, fits_a_phone, follow, person
from .pay_steps import said

BELOW, MEETS, EXCEEDS = 0, 1, 2  # positions of the cycle's default bands, low to high
# (first name, last name, levels of the 60 % and the 40 % expectation); weighted score 4.0 / 3.6 / 3.0 / 2.6 / 2.0
MILA_REPORTS = (
    ("Eva", "van der Berg", (4, 3)),
    ("Daan", "Visser", (4, 4)),
    ("Noor", "Smit", (4, 3)),
    ("Lars", "de Boer", (4, 4)),
    ("Fleur", "Mulder", (3, 3)),  # meets by the rule; Mila chooses exceeds
)
BAS_REPORTS = (
    ("Sem", "Bos", (2, 2)),
    ("Lotte", "Meijer", (2, 3)),
    ("Jesse", "de Graaf", (3, 2)),
    ("Iris", "Koster", (3, 3)),
    ("Ruben", "Prins", (3, 2)),
)
JUSTIFICATION = "Fleur nam in het najaar het grootste klantproject over toen haar collega uitviel."
REASON = "Vergeleken met de andere teams past dit gedrag bij 'voldoet': het project liep goed, maar zonder meer."
NOT_COUNTED = "Overuren boven je contract"
PLANNING_PURPOSE = "Afspreken wat je dit jaar laat zien."
ASSESSMENT_PURPOSE = "Terugkijken op het jaar en het eindoordeel bespreken."


@dataclass
class Alfa:
    hr: object
    mila: object  # the lenient manager, whose review HR moves
    bas: object  # the severe one
    employee: object  # Eva, one of Mila's reports, who reads the rules
    cycle: object
    moments: list  # planning, assessment
    bands: list  # below, meets, exceeds
    reviews: dict = field(default_factory=dict)  # first name → review

    @property
    def moved(self):
        """Fleur's review: the deviation HR moves back to the rule."""
        return self.reviews["Fleur"]


def _review(manager, conversation, levels, **outcome):
    """The report's review, started and rated by ``manager`` through the services, one observation as evidence."""
    review, _made = services.review_start(conversation=conversation, actor=manager)
    seen = ObservationFactory(employee=conversation.employee, author=manager)
    given = {
        row.pk: RatingInput(level=level, evidence=[seen.pk])
        for row, level in zip(review_steps.ratings(review), levels, strict=True)
    }
    return services.review_save(review=review, actor=manager, ratings=given, **outcome)


def alfa_in_calibration() -> Alfa:
    """Alfa, its cycle and ten draft reviews with outcomes (see the module's docstring); no calibration yet."""
    organization, team, hr = alfa_organisation()
    techniek = TeamFactory(organization=organization, name="Techniek")
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
    planning = MomentFactory(
        cycle=cycle,
        kind=MomentKind.PLANNING,
        name_nl="Planningsgesprek",
        name_en="Planning conversation",
        purpose_nl=PLANNING_PURPOSE,
        purpose_en="Agree on what you show this year.",
        opens_on=today - 50 * day,
        closes_on=today - 20 * day,
    )
    assessment = MomentFactory(
        cycle=cycle,
        kind=MomentKind.ASSESSMENT,
        produces_rating=True,
        name_nl="Beoordelingsgesprek",
        name_en="Assessment conversation",
        purpose_nl=ASSESSMENT_PURPOSE,
        purpose_en="Look back on the year and discuss the outcome.",
        opens_on=today - 5 * day,
        closes_on=today + 25 * day,
    )
    scales.cycle_levels(cycle=cycle)
    bands = scales.cycle_bands(cycle=cycle)
    ExpectationFactory(organization=organization, weight=60, title="Je vraagt de klant om feedback na elke oplevering")
    ExpectationFactory(organization=organization, weight=40, title="Je komt afspraken met collega's na")
    NotCountedFactory(organization=organization, text_nl=NOT_COUNTED, text_en="Hours beyond your contract")
    mila = person(organization, "Mila", "Dekker", team=team, role=Role.MANAGER)
    bas = person(organization, "Bas", "Jansen", team=techniek, role=Role.MANAGER)
    alfa = Alfa(hr=hr, mila=mila, bas=bas, employee=None, cycle=cycle, moments=[planning, assessment], bands=bands)
    for manager, reports, report_team in ((mila, MILA_REPORTS, team), (bas, BAS_REPORTS, techniek)):
        for first_name, last_name, levels in reports:
            email = f"{first_name.lower()}@alfa.example"
            report = person(organization, first_name, last_name, email=email, team=report_team, manager=manager)
            conversation = ConversationFactory(moment=assessment, employee=report)
            outcome = {"band": bands[EXCEEDS], "justification": JUSTIFICATION} if first_name == "Fleur" else {}
            alfa.reviews[first_name] = _review(manager, conversation, levels, **outcome)
    alfa.employee = alfa.reviews["Eva"].employee
    alfa.employee.user.language = "nl"
    alfa.employee.user.save(update_fields=["language"])
    return alfa


def said_count(singular: str, plural: str, number: int, language: str = "nl", **values) -> str:
    """A plural msgid as the live server writes it in ``language`` for ``number``, its placeholders filled."""
    with translation.override(language):
        text = translation.ngettext(singular, plural, number)
    return text % values


def day_of(value, language: str = "nl") -> str:
    """A date (or an aware moment, in local time) as templates write it with DATE_FORMAT."""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date()
    with translation.override(language):
        return formats.date_format(value, "DATE_FORMAT")


def fits(page, name: str) -> None:
    """The page does not scroll sideways at the viewport's width (tests/e2e/conftest.fits_a_phone)."""
    fits_a_phone(page, f"calibration-{name}-390")


ROWS = (
    "table => [...table.querySelectorAll('tbody tr')].map(row => [...row.children].map(cell => cell.innerText.trim()))"
)


def rows_of(region) -> list[list[str]]:
    """The body rows of the table in ``region`` (a .table-wrap), each as the texts of its cells, as read."""
    return region.locator("table").evaluate(ROWS)


# --- reading the pages ------------------------------------------------------------------------------------------------

SHARE = "Share with the employee…"


def from_menu(page, msgid):
    """Open the folded main menu (a disclosure at 390px) and follow its entry ``msgid``."""
    page.locator("details.nav-menu > summary").click()
    menu = page.get_by_role("navigation", name=said("Main"))
    follow(page, menu.get_by_role("link", name=said(msgid), exact=True))


def from_user_menu(page, msgid):
    """Open the menu under the person's name and follow its entry ``msgid``."""
    page.locator("details.user-menu > summary").click()
    follow(page, page.locator("details.user-menu").get_by_role("link", name=said(msgid), exact=True))


def reload(page):
    check_response(page, page.reload())
    check_a11y(page)


def heading(page) -> str:
    return page.get_by_role("heading", level=1).inner_text()


def region(page, msgid, **values):
    return page.get_by_role("region", name=said(msgid, **values), exact=True)


def flash(page) -> str:
    return page.locator("main .messages").inner_text()


def share_state(page) -> tuple[int, int]:
    """On a review page: (how many Share buttons, how many refusal sentences of calibration's window)."""
    share = page.get_by_role("button", name=said(SHARE), exact=True).count()
    refusal = page.get_by_text(
        said("HR is calibrating the outcomes of this cycle: reviews can be shared once the calibration window closes.")
    ).count()
    return share, refusal
