"""The placement form guards against a forgotten choice: a scale and step typed under "Not placed" is not dropped."""

import pytest

from pay.models import Placement
from tests.kit import assert_nothing_changes, field_error
from tests.pay.test_placements import edit, on_scale, scales  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def test_a_person_not_placed_opens_on_a_salary_scale(tenant_a, scales, hr):  # noqa: F811
    assert hr.get(edit(tenant_a.employee)).context["form"]["kind"].value() == "scale"


def test_a_scale_and_step_typed_under_not_placed_are_refused_not_dropped(tenant_a, scales, hr):  # noqa: F811
    with assert_nothing_changes(Placement.objects.all()):
        response = hr.post(edit(tenant_a.employee), on_scale(scales.schaal_8, 3, kind="none"))
    assert field_error(response, "kind") == (
        "You filled in a scale, step or salary: choose “On a salary scale” or “A monthly salary outside the scales” "
        "to save it."
    )
