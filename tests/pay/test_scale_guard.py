"""A new salary table that is or will be in force holds every step people stand on; an older one is no one's."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from pay import services_scales
from pay.models import SalaryTable
from pay.scale_import import FileScale
from tests.factories import PlacementFactory, SalaryTableFactory, scale_with_steps
from tests.kit import assert_nothing_changes

pytestmark = pytest.mark.django_db


@pytest.fixture
def placed(tenant_a):
    """Eva on Schaal 8 step 3, Schaal 7 with nobody on it, in the table in force since last year."""
    today = timezone.localdate()
    table = SalaryTableFactory(organization=tenant_a.organization, applies_from=datetime.date(today.year - 1, 1, 1))
    schaal_8 = scale_with_steps(table, "Schaal 8", ("3000", "3100", "3200", "3300"))
    scale_with_steps(table, "Schaal 7", ("2800", "2900"))
    PlacementFactory(employee=tenant_a.employee, scale=schaal_8, step=3)
    return tenant_a.organization


def only_schaal_8_to(step):
    return [FileScale(name="Schaal 8", first_step=0, amounts=tuple(Decimal(3000 + 100 * n) for n in range(step + 1)))]


@pytest.mark.parametrize("years_ahead", [0, 1])
def test_a_new_table_from_now_on_without_a_step_people_stand_on_is_refused(placed, years_ahead):
    day = datetime.date(timezone.localdate().year + years_ahead, 1, 1)
    with translation.override("en"), assert_nothing_changes(), pytest.raises(ValidationError) as refused:
        services_scales.import_apply(organization=placed, applies_from=day, scales=only_schaal_8_to(2))
    assert refused.value.message_dict["file"] == [
        "1 person is placed on Schaal 8 at a step this table would lack (step 3). A table that is or will be in "
        "force holds every step people stand on: add it to the file."
    ]


def test_a_new_table_with_every_step_people_stand_on_is_made(placed):
    day = datetime.date(timezone.localdate().year + 1, 1, 1)
    services_scales.import_apply(organization=placed, applies_from=day, scales=only_schaal_8_to(3))
    assert SalaryTable.objects.filter(organization=placed, applies_from=day).exists()


def test_an_older_table_is_no_ones_so_it_may_lack_steps(placed):
    day = datetime.date(timezone.localdate().year - 3, 1, 1)
    services_scales.import_apply(organization=placed, applies_from=day, scales=only_schaal_8_to(1))
    assert SalaryTable.objects.filter(organization=placed, applies_from=day).exists()
