"""Demo pay for Voorbeeld BV and for the large demo (seed_demo; the caller disables scopes).

Salary scales Schaal 5 to 10 with steps 0 to 10, in two tables: from 1 January of this year and, 2.5 % higher,
from 1 January of next year (the one in force when this year's outcomes take effect). Everyone is placed on a
scale by their role, except one person paid outside the scales and one HR has not placed yet; everyone gets an
employee number. The active cycle has a published pay table, changed once (version 2), so employees see that and
when, and a budget. Last year's closed cycle has none: its outcomes were settled before Helder had pay (today's
placements are where those outcomes left people).

Rows are written directly, in states the services would have produced; running it twice creates nothing new.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from cycles.models import Cycle, CycleStatus
from organizations.demo_time import working_before
from organizations.models import Employee, Role
from reviews import scales as review_scales

from .models import PayBudget, PayRule, PaySettings, PayTable, Placement, SalaryScale, SalaryTable, ScaleStep, TopRule
from .money import cents

SCALES = range(5, 11)  # Schaal 5 … Schaal 10
STEPS = range(0, 11)  # treden 0 … 10
NEXT_YEAR_RAISE = Decimal("1.025")
ROLE_SCALES = {Role.EMPLOYEE: (6, 7, 8), Role.MANAGER: (9, 10), Role.HR_ADMIN: (9,)}

# Per band, low to high: (steps, raise % off the scales, one-off %, promotion, sentence nl, sentence en).
CONSEQUENCES = (
    (
        0,
        Decimal("0"),
        Decimal("0"),
        False,
        "Je blijft op je trede; samen met je leidinggevende maak je een ontwikkelplan.",
        "You stay on your step; you and your manager make a development plan.",
    ),
    (
        1,
        Decimal("2"),
        Decimal("0"),
        False,
        "Je gaat één trede omhoog in je salarisschaal.",
        "You move one step up your salary scale.",
    ),
    (
        2,
        Decimal("4"),
        Decimal("1.5"),
        True,
        "Je gaat twee treden omhoog, krijgt een eenmalige uitkering en komt in aanmerking voor promotie.",
        "You move two steps up, receive a one-off payment and are eligible for promotion.",
    ),
)


def _amount(scale: int, step: int) -> Decimal:
    """A plausible monthly amount: Schaal 5 starts at € 2.600, each scale 12 % higher, each step 3 % higher."""
    return cents(Decimal(2600) * Decimal("1.12") ** (scale - 5) * Decimal("1.03") ** step)


def _tables(organization, year: int) -> dict[int, SalaryScale]:
    scales = {
        number: SalaryScale.objects.create(organization=organization, name=f"Schaal {number}", position=number)
        for number in SCALES
    }
    for applies_from, factor in ((datetime.date(year, 1, 1), 1), (datetime.date(year + 1, 1, 1), NEXT_YEAR_RAISE)):
        table = SalaryTable.objects.create(organization=organization, applies_from=applies_from)
        ScaleStep.objects.bulk_create(
            ScaleStep(
                organization=organization,
                table=table,
                scale=scales[number],
                number=step,
                monthly_amount=cents(_amount(number, step) * factor),
            )
            for number in SCALES
            for step in STEPS
        )
    return scales


def _placements(organization, people, scales, year: int) -> int:
    """Everyone on a scale by role (step by position); the last but one outside the scales, the last not placed."""
    placements = []
    numbered = []
    for index, person in enumerate(people):
        if not person.employee_number:
            person.employee_number = f"P{10000 + person.pk}"
            numbered.append(person)
        if index == len(people) - 1 and len(people) > 2:
            continue  # not placed yet: the pages and the budget say so
        if index == len(people) - 2 and len(people) > 2:
            placements.append(Placement(organization=organization, employee=person, monthly_salary=Decimal("4125.00")))
            continue
        choices = ROLE_SCALES.get(person.role, ROLE_SCALES[Role.EMPLOYEE])
        placements.append(
            Placement(
                organization=organization,
                employee=person,
                scale=scales[choices[index % len(choices)]],
                step=(index * 3) % len(STEPS),
                step_date=datetime.date(year - index % 6, 1 + index % 12, 1),
            )
        )
    Employee.objects.bulk_update(numbered, ["employee_number"], batch_size=1000)
    Placement.objects.bulk_create(placements, batch_size=1000)
    return len(placements)


def _pay_table(cycle, hr, *, versions: int) -> int:
    """Published pay tables for ``cycle``: version 1, and a version 2 with a higher one-off when ``versions`` is 2."""
    bands = review_scales.cycle_bands(cycle=cycle)
    settings = PaySettings.objects.get(organization=cycle.organization)
    now = timezone.now()
    created = 0
    for version in range(1, versions + 1):
        # Published before the cycle ended (a closed cycle's table was read during that cycle), weeks apart.
        published_at = min(now, timezone.make_aware(datetime.datetime.combine(cycle.ends_on, datetime.time(9))))
        published_at -= datetime.timedelta(days=7 * (versions - version + 1) + 20)
        published_at = working_before(published_at, cycle.organization.zone)  # on a working day, in working hours
        table = PayTable.objects.create(
            organization=cycle.organization,
            cycle=cycle,
            version=version,
            top_rule=TopRule.ONE_OFF,
            top_one_off_percent=Decimal("3"),
            published_at=published_at,
            published_by=hr,
            holiday_allowance=settings.holiday_allowance,
            thirteenth_month=settings.thirteenth_month,
            effective_on=settings.effective_date(cycle),
        )
        rules = []
        for band, (steps, raise_percent, one_off, promotion, nl, en) in zip(bands, CONSEQUENCES, strict=False):
            one_off = one_off + Decimal("0.5") * (version - 1) if one_off else one_off
            rules.append(
                PayRule(
                    organization=cycle.organization,
                    table=table,
                    band=band,
                    steps=steps,
                    raise_percent=raise_percent,
                    one_off_percent=one_off,
                    promotion=promotion,
                    sentence_nl=nl,
                    sentence_en=en,
                )
            )
        PayRule.objects.bulk_create(rules)
        created += 1 + len(rules)
    return created


def seed(organization, *, budget: Decimal = Decimal("25000")) -> int:
    """Scales, placements, pay tables and a budget for ``organization``; returns how many rows it made."""
    if SalaryTable.objects.filter(organization=organization).exists():
        return 0
    year = timezone.localdate().year
    PaySettings.objects.get_or_create(organization=organization)
    scales = _tables(organization, year)
    people = list(Employee.objects.filter(organization=organization, is_active=True).order_by("pk"))
    created = len(SCALES) * (1 + 2 * len(STEPS)) + 2
    created += _placements(organization, people, scales, year)
    hr = next((person for person in people if person.role == Role.HR_ADMIN), None)
    for cycle in Cycle.objects.filter(organization=organization, status=CycleStatus.ACTIVE).order_by("starts_on"):
        created += _pay_table(cycle, hr, versions=2)
        PayBudget.objects.create(organization=organization, cycle=cycle, amount=budget)
        created += 1
    return created
