"""What an outcome means in euros (pay.outcomes): hand-worked examples and the properties the pay table promises.

Every pay page and the export compute through ``figures``; these tests fix its arithmetic by hand and hold its
promises for any scale, step and consequence.
"""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pay.money import cents, euro, percent
from pay.outcomes import Consequence, Problem, Standing, Terms, figures

SCHAAL_8 = {number: Decimal(amount) for number, amount in enumerate(("3000", "3100", "3200", "3300", "3400", "3500"))}
HOLIDAY_ONLY = Terms(holiday_allowance=Decimal("8"), thirteenth_month=False)
WITH_13TH = Terms(holiday_allowance=Decimal("8"), thirteenth_month=True)
ONE_STEP = Consequence(steps=1, top_one_off_percent=Decimal("3"))


def on_schaal_8(step):
    return Standing(scale="Schaal 8", step=step, steps=SCHAAL_8)


# --- hand-worked -------------------------------------------------------------------------------------------------


def test_mid_scale_one_step_up():
    result = figures(on_schaal_8(3), ONE_STEP, HOLIDAY_ONLY)
    # 3,300 → 3,400; a year is 12 months plus 8 % holiday allowance on them: 12.96 months.
    assert (result.old_step, result.new_step) == (3, 4)
    assert (result.old_monthly, result.new_monthly, result.increase_month) == (
        Decimal("3300"),
        Decimal("3400"),
        Decimal("100"),
    )
    assert result.increase_year == Decimal("1296.00")
    assert result.one_off == Decimal("0.00") and not result.top_bites


def test_the_thirteenth_month_adds_one_more_month_to_the_year():
    assert figures(on_schaal_8(3), ONE_STEP, WITH_13TH).increase_year == Decimal("1396.00")  # 100 × 13.96


def test_one_step_below_the_top_two_steps_up_takes_one_and_pays_the_other():
    result = figures(on_schaal_8(4), Consequence(steps=2, top_one_off_percent=Decimal("3")), HOLIDAY_ONLY)
    assert (result.new_step, result.steps_missed) == (5, 1)
    assert result.new_monthly == Decimal("3500")
    # 3 % of the annual salary before the change: 3,400 × 12.96 = 44,064.00 → 1,321.92.
    assert result.top_one_off == result.one_off == Decimal("1321.92")


def test_at_the_top_the_step_becomes_a_one_off_payment():
    result = figures(on_schaal_8(5), ONE_STEP, HOLIDAY_ONLY)
    assert (result.new_step, result.steps_missed, result.increase_month) == (5, 1, Decimal("0"))
    assert result.one_off == Decimal("1360.80")  # 3 % of 3,500 × 12.96 = 45,360.00
    assert result.top_bites


def test_at_the_top_with_a_rule_that_pays_nothing_instead():
    result = figures(on_schaal_8(5), Consequence(steps=1, top_one_off_percent=Decimal("0")), HOLIDAY_ONLY)
    assert result.top_bites and result.one_off == Decimal("0.00") and result.increase_year == Decimal("0.00")


def test_a_one_off_payment_is_a_share_of_the_annual_salary_before_the_change():
    result = figures(on_schaal_8(3), Consequence(steps=1, one_off_percent=Decimal("2")), WITH_13TH)
    assert result.one_off == Decimal("921.36")  # 2 % of 3,300 × 13.96 = 46,068.00


def test_outside_the_scales_the_salary_rises_by_the_percentage_rounded_half_up_to_cents():
    standing = Standing(salary=Decimal("2875.45"))
    result = figures(standing, Consequence(raise_percent=Decimal("2.5")), HOLIDAY_ONLY)
    assert result.new_monthly == Decimal("2947.34")  # 2,947.33625
    assert result.increase_month == Decimal("71.89")
    assert result.increase_year == Decimal("38197.53") - Decimal("37265.83")
    assert result.old_step is None and result.new_step is None


def test_steps_do_not_apply_outside_the_scales_nor_a_raise_on_them():
    assert figures(Standing(salary=Decimal("3000")), Consequence(steps=2), HOLIDAY_ONLY).increase_month == 0
    assert figures(on_schaal_8(2), Consequence(raise_percent=Decimal("10")), HOLIDAY_ONLY).increase_month == 0


@pytest.mark.parametrize(
    "standing",
    [
        Standing(problem=Problem.NOT_PLACED),
        Standing(scale="Schaal 8", step=9, steps=SCHAAL_8, problem=Problem.STEP_MISSING),
        Standing(scale="Schaal 8", step=2, problem=Problem.NO_TABLE),
    ],
)
def test_without_a_known_salary_there_are_no_figures(standing):
    assert standing.monthly is None
    assert figures(standing, ONE_STEP, HOLIDAY_ONLY) is None


def test_cents_round_half_up_and_refuse_floats():
    assert cents(Decimal("2.345")) == Decimal("2.35")
    assert cents(Decimal("-2.345")) == Decimal("-2.35")
    assert cents(Decimal("2.344")) == Decimal("2.34")
    with pytest.raises(TypeError):
        cents(2.5)


def test_euros_and_percentages_read_as_each_language_writes_them():
    assert euro(Decimal("3250.5"), "nl") == "€\u00a03.250,50"
    assert euro(Decimal("3250.5"), "en") == "€3,250.50"
    assert percent(Decimal("8.00"), "nl") == "8\u00a0%"
    assert percent(Decimal("2.50"), "nl") == "2,5\u00a0%"
    assert percent(Decimal("2.50"), "en") == "2.5%"


# --- properties --------------------------------------------------------------------------------------------------

amounts = st.decimals(min_value=Decimal("1000"), max_value=Decimal("9000"), places=2)
percentages = st.decimals(min_value=Decimal("0"), max_value=Decimal("100"), places=2)


@st.composite
def scales(draw):
    """Steps numbered from 0 or 1, each paying at least the step below."""
    first = draw(st.sampled_from((0, 1)))
    raises = draw(st.lists(st.decimals(min_value=Decimal("0"), max_value=Decimal("300"), places=2), max_size=14))
    amount = draw(amounts)
    steps = {first: amount}
    for number, extra in enumerate(raises, start=first + 1):
        amount += extra
        steps[number] = amount
    return steps


@st.composite
def standings(draw):
    if draw(st.booleans()):
        return Standing(salary=draw(amounts))
    steps = draw(scales())
    return Standing(scale="Schaal", step=draw(st.sampled_from(sorted(steps))), steps=steps)


consequences = st.builds(
    Consequence,
    steps=st.integers(min_value=0, max_value=2),
    raise_percent=percentages,
    one_off_percent=percentages,
    top_one_off_percent=percentages,
)
terms = st.builds(Terms, holiday_allowance=percentages, thirteenth_month=st.booleans())


@given(standing=standings(), consequence=consequences, terms=terms)
def test_a_consequence_never_lowers_the_salary_nor_lifts_it_above_the_top_step(standing, consequence, terms):
    result = figures(standing, consequence, terms)
    assert result.new_monthly >= result.old_monthly
    assert result.increase_year >= 0 and result.one_off >= 0
    if standing.on_scale:
        assert result.new_monthly <= standing.steps[standing.top]
        assert result.new_step <= standing.top


@st.composite
def better_and_worse(draw):
    worse = draw(consequences)
    better = Consequence(
        steps=draw(st.integers(min_value=worse.steps, max_value=2)),
        raise_percent=draw(st.decimals(min_value=worse.raise_percent, max_value=Decimal("100"), places=2)),
        one_off_percent=draw(st.decimals(min_value=worse.one_off_percent, max_value=Decimal("100"), places=2)),
        top_one_off_percent=worse.top_one_off_percent,  # one table: one top-of-scale rule for every band
    )
    return worse, better


@given(standing=standings(), pair=better_and_worse(), terms=terms)
def test_with_a_monotone_table_a_better_band_never_yields_less(standing, pair, terms):
    worse, better = (figures(standing, consequence, terms) for consequence in pair)
    assert better.new_monthly >= worse.new_monthly
    assert better.increase_year >= worse.increase_year
    assert better.one_off >= worse.one_off
    assert better.cost_year >= worse.cost_year
