"""What the pay tests share beyond tests/kit.py: salary scales, placements and a published pay table.

Built on the reviews tests' active cycle (tests/reviews/conftest.make_assessment), with its three default
outcome bands: below (0), meets (1), exceeds (2) expectations.
"""

from dataclasses import dataclass
from decimal import Decimal

import pytest

from reviews import scales
from tests.factories import PayRuleFactory, PayTableFactory, PlacementFactory, SalaryTableFactory, scale_with_steps
from tests.reviews.conftest import Assessment, make_assessment

# Schaal 8: steps 0 to 5. The employee stands on step 3, the manager on the top step (5).
SCHAAL_8 = ("3000.00", "3100.00", "3200.00", "3300.00", "3400.00", "3500.00")
SCHAAL_10 = ("4000.00", "4150.00", "4300.00")


@dataclass
class Pay:
    assessment: Assessment
    table: object  # SalaryTable in force on the effective date
    schaal_8: object
    schaal_10: object
    pay_table: object  # published, version 1
    bands: list  # the cycle's outcome bands, low to high
    rules: list  # one PayRule per band: 0 steps; 1 step + 1 %; 2 steps + 2 % one-off, promotion

    @property
    def tenant(self):
        return self.assessment.tenant

    @property
    def cycle(self):
        return self.assessment.cycle


def make_pay(tenant) -> Pay:
    assessment = make_assessment(tenant)
    organization = tenant.organization
    # From long before the cycle, so it is in force on the effective date (1 January after the cycle ends).
    table = SalaryTableFactory(organization=organization, applies_from=assessment.cycle.starts_on.replace(day=1))
    schaal_8 = scale_with_steps(table, "Schaal 8", SCHAAL_8)
    schaal_10 = scale_with_steps(table, "Schaal 10", SCHAAL_10, first=1)
    PlacementFactory(employee=tenant.employee, scale=schaal_8, step=3)
    PlacementFactory(employee=tenant.manager, scale=schaal_8, step=5)
    bands = scales.cycle_bands(cycle=assessment.cycle)
    pay_table = PayTableFactory(cycle=assessment.cycle, published_by=tenant.hr)
    consequences = (
        {"steps": 0, "sentence_nl": "Geen trede erbij.", "sentence_en": "No step up."},
        {"steps": 1, "raise_percent": Decimal("2"), "sentence_nl": "Een trede erbij.", "sentence_en": "One step up."},
        {
            "steps": 2,
            "raise_percent": Decimal("4"),
            "one_off_percent": Decimal("2"),
            "promotion": True,
            "sentence_nl": "Twee treden erbij en een eenmalige uitkering.",
            "sentence_en": "Two steps up and a one-off payment.",
        },
    )
    rules = [
        PayRuleFactory(table=pay_table, band=band, **fields) for band, fields in zip(bands, consequences, strict=True)
    ]
    return Pay(
        assessment=assessment,
        table=table,
        schaal_8=schaal_8,
        schaal_10=schaal_10,
        pay_table=pay_table,
        bands=bands,
        rules=rules,
    )


@pytest.fixture
def pay(tenant_a) -> Pay:
    return make_pay(tenant_a)
