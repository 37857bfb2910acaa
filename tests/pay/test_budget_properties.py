"""Properties: the budget and the export agree with each person's own figures, whatever the placements and bands.

A person's own figures are what their page shows: pay.outcomes.figures of pay.standing.standing_of in the salary
table in force, with the consequence of their band in the published pay table. Hypothesis draws the people
(on Schaal 8 or 10 at any step, at a step the scale lacks, outside the scales at any salary, or not placed),
their bands, teams and review states, and the organisation's terms; each example is rolled back.
"""

import csv
import io
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pay.models import PaySettings, PayTable, TopRule
from pay.outcomes import figures
from pay.selectors_budget import ZERO, budget_of
from pay.standing import consequence_of, published_table, settings_for, standing_of, table_in_force, terms_for
from reviews.models import ReviewState
from tests.factories import EmployeeFactory, PlacementFactory, TeamFactory
from tests.kit import url
from tests.pay.budget_kit import review_of

pytestmark = pytest.mark.django_db

placements = st.one_of(
    st.tuples(st.just("schaal_8"), st.integers(0, 5)),
    st.tuples(st.just("schaal_10"), st.integers(1, 3)),
    st.tuples(st.sampled_from(["schaal_8", "schaal_10"]), st.integers(6, 9)),  # a step the scale lacks
    st.tuples(st.just("salary"), st.decimals(Decimal("1000.00"), Decimal("20000.00"), places=2)),
    st.tuples(st.just("none"), st.none()),
)
people = st.lists(
    st.fixed_dictionaries(
        {
            "placement": placements,
            "band": st.integers(0, 2),
            "team": st.sampled_from([None, 0, 1]),
            "finalised": st.booleans(),
        }
    ),
    min_size=1,
    max_size=8,
)
terms = st.fixed_dictionaries(
    {
        "holiday_allowance": st.decimals(Decimal("0"), Decimal("10"), places=2),
        "thirteenth_month": st.booleans(),
        "top_rule": st.sampled_from(TopRule.values),
        "top_one_off_percent": st.decimals(Decimal("0"), Decimal("5"), places=2),
    }
)
EXAMPLES = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def build(pay, drawn, chosen):
    """The drawn terms and people in ``pay``'s cycle; each person with their review, their own figures and team."""
    organization = pay.tenant.organization
    PaySettings.objects.get_or_create(organization_id=organization.pk)
    PaySettings.objects.filter(organization=organization).update(
        holiday_allowance=chosen["holiday_allowance"], thirteenth_month=chosen["thirteenth_month"]
    )
    PayTable.objects.filter(pk=pay.pay_table.pk).update(
        holiday_allowance=chosen["holiday_allowance"],  # the terms a version keeps when it is published
        thirteenth_month=chosen["thirteenth_month"],
        top_rule=chosen["top_rule"],
        top_one_off_percent=chosen["top_one_off_percent"],
    )
    teams = [TeamFactory(organization=organization), TeamFactory(organization=organization)]
    made = []
    for person in drawn:
        team = None if person["team"] is None else teams[person["team"]]
        employee = EmployeeFactory(organization=organization, team=team)
        kind, value = person["placement"]
        if kind == "salary":
            PlacementFactory(employee=employee, monthly_salary=value)
        elif kind != "none":
            PlacementFactory(employee=employee, scale=getattr(pay, kind), step=value)
        state = ReviewState.FINALISED if person["finalised"] else ReviewState.SIGNED
        made.append((employee, review_of(pay, employee, person["band"], state=state)))
    return made


def own_figures(pay, employee, review):
    """What ``employee``'s own page shows for their band: figures() of standing_of, or None."""
    terms = terms_for(settings=settings_for(organization_id=employee.organization_id), cycle=pay.cycle)
    table = table_in_force(organization_id=employee.organization_id, on=terms.effective_on)
    pay_table = published_table(cycle=pay.cycle)
    rule = next(rule for rule in pay_table.rules.all() if rule.band_id == review.band_id)
    standing, _placement = standing_of(employee=employee, table=table)
    return figures(standing, consequence_of(rule, pay_table), terms)


@EXAMPLES
@given(drawn=people, chosen=terms)
def test_the_budget_is_the_sum_of_each_persons_own_figures(pay, drawn, chosen):
    with transaction.atomic():
        made = build(pay, drawn, chosen)
        summary = budget_of(cycle=pay.cycle)
        expected = {"increase_month": ZERO, "increase_year": ZERO, "one_off": ZERO}
        by_team: dict = {}
        counted = 0
        for employee, review in made:
            own = own_figures(pay, employee, review)
            if own is None:
                continue
            counted += 1
            team = by_team.setdefault(employee.team_id, dict.fromkeys(expected, ZERO))
            for name in expected:
                expected[name] += getattr(own, name)
                team[name] += getattr(own, name)
        assert (summary.total.people, summary.total.counted) == (len(made), counted)
        assert {name: getattr(summary.total, name) for name in expected} == expected
        for row in summary.teams:
            nothing = dict.fromkeys(expected, ZERO)
            assert {name: getattr(row, name) for name in expected} == by_team.get(row.team_id, nothing)
        assert summary.total.cost == sum((row.cost for row in summary.teams), ZERO)
        transaction.set_rollback(True)


@EXAMPLES
@given(drawn=people, chosen=terms)
def test_the_exports_figures_are_each_persons_own(pay, hr, drawn, chosen):
    with transaction.atomic():
        made = build(pay, drawn, chosen)
        response = hr.get(url("pay:export_csv", pay.tenant.organization, cycle_id=pay.cycle.pk))
        rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
        by_email = {row["Email"]: row for row in rows}
        finalised = [(employee, review) for employee, review in made if review.state == ReviewState.FINALISED]
        assert sorted(by_email) == sorted(employee.user.email for employee, _review in finalised)
        for employee, review in finalised:
            own, row = own_figures(pay, employee, review), by_email[employee.user.email]
            if own is None:
                assert (row["New monthly salary"], row["One-off payment"]) == ("", "")
                continue
            assert Decimal(row["Old monthly salary"]) == own.old_monthly
            assert Decimal(row["New monthly salary"]) == own.new_monthly
            assert Decimal(row["One-off payment"]) == own.one_off
            assert row["New step"] == ("" if own.new_step is None else str(own.new_step))
        transaction.set_rollback(True)
