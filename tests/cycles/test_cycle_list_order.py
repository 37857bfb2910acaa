"""HR's cycle list (cycles:cycle_list) shows the cycles newest start first, then by name, then by id.

The list counts each cycle's moments (a GROUP BY), and with one Django leaves Cycle.Meta.ordering out of the query:
the order must be the selector's own (cycles.selectors.cycles), whatever order the cycles were made in.
"""

import datetime

import pytest

from cycles.models import CycleStatus
from tests.factories import CycleFactory, MomentFactory
from tests.kit import url

pytestmark = pytest.mark.django_db

D = datetime.date


def cycle(tenant, name, year, **fields):
    made = CycleFactory(
        organization=tenant.organization, name=name, starts_on=D(year, 1, 1), ends_on=D(year, 12, 31), **fields
    )
    MomentFactory(cycle=made, opens_on=D(year, 6, 1), closes_on=D(year, 6, 30))  # so the count groups rows
    return made


def test_the_list_shows_the_newest_start_first_then_by_name_then_by_id(tenant_a, tenant_b, hr):
    # Made in the order the unsorted list showed them: 2026, 2025, Extra, 2027; then two look-alikes.
    c2026 = cycle(tenant_a, "2026", 2026, status=CycleStatus.CLOSED)
    c2025 = cycle(tenant_a, "2025", 2025, status=CycleStatus.CLOSED)
    extra = cycle(tenant_a, "Extra", 2026, status=CycleStatus.ACTIVE)  # starts as 2026 does: by name after it
    c2027 = cycle(tenant_a, "2027", 2027)
    twin_b = cycle(tenant_a, "Twin", 2024)
    twin_a = cycle(tenant_a, "Twin", 2024)  # same name and start: the older id first
    cycle(tenant_b, "Bravo 2030", 2030)  # another organisation's: not listed

    response = hr.get(url("cycles:cycle_list", tenant_a.organization))

    assert response.status_code == 200
    expected = [c2027, c2026, extra, c2025, twin_b, twin_a]
    assert list(response.context["cycles"]) == expected
    page = response.content.decode()
    positions = [page.index(f'href="{made.get_absolute_url()}"') for made in expected]
    assert positions == sorted(positions), "the page shows the cycles in the list's order"
    assert "Bravo 2030" not in page


def test_the_newest_start_counts_not_the_newest_made_nor_the_name(tenant_a, hr):
    """A cycle made after another, starting later in the same year, comes first; the day counts, not only the year."""
    earlier = CycleFactory(organization=tenant_a.organization, name="A", starts_on=D(2027, 1, 1))
    later = CycleFactory(organization=tenant_a.organization, name="B", starts_on=D(2027, 7, 1), ends_on=D(2027, 12, 31))
    assert list(hr.get(url("cycles:cycle_list", tenant_a.organization)).context["cycles"]) == [later, earlier]
