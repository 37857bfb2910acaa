"""HR's salary scale pages: the table in force and all tables, one table, a new table, a scale's steps, a new scale.

The clock stands at 4 January 2027 (the ``january_2027`` fixture), so the table from 1 January 2027 is in force,
one from 2026 is past and one from 2028 is to come.
"""

import datetime
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from organizations.audit_models import AuditEntry
from pay.models import SalaryScale, SalaryTable, ScaleStep
from tests.factories import PlacementFactory, SalaryTableFactory, scale_with_steps
from tests.kit import (
    assert_flat_queries,
    assert_nothing_changes,
    assert_other_organisation_gets_404,
    assert_role_forbidden,
    field_error,
    nonfield_errors,
    shown_messages,
    url,
)

pytestmark = pytest.mark.django_db

JAN_2026, JAN_2027, JAN_2028 = datetime.date(2026, 1, 1), datetime.date(2027, 1, 1), datetime.date(2028, 1, 1)
SCHAAL_8 = ("3000.00", "3100.00", "3200.00")


@pytest.fixture(autouse=True)
def _clock(january_2027):
    """4 January 2027: the table from 1 January 2027 is in force."""


@pytest.fixture
def table(tenant_a):
    return SalaryTableFactory(organization=tenant_a.organization, applies_from=JAN_2027)


@pytest.fixture
def schaal_8(table):
    return scale_with_steps(table, "Schaal 8", SCHAAL_8)


def steps_of(table, scale):
    return [(step.number, step.monthly_amount) for step in ScaleStep.objects.filter(table=table, scale=scale)]


def amounts(*texts, first=0):
    return [(first + index, Decimal(text)) for index, text in enumerate(texts)]


def entries(model, action=None):
    found = AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(model))
    return found.filter(action=action) if action is not None else found


def scale_post(name, values, *, first=0, numbers=None):
    """What the scale form posts: the name and a row per value (numbers consecutive from ``first`` by default)."""
    data = {"name": name}
    for row, value in enumerate(values):
        data[f"step-{row}-number"] = str(first + row) if numbers is None else numbers[row]
        data[f"step-{row}-amount"] = value
    return data


def more_scales(table, numbers):
    for number in numbers:
        scale_with_steps(table, f"Extra {number}", ("2000.00", "2100.00", "2200.00"))


# --- the scales page ------------------------------------------------------------------------------------------


def test_the_scales_page_shows_the_table_in_force_as_a_grid_and_every_table(hr, tenant_a, table, schaal_8):
    SalaryTableFactory(organization=tenant_a.organization, applies_from=JAN_2026)
    SalaryTableFactory(organization=tenant_a.organization, applies_from=JAN_2028)
    response = hr.get(url("pay:scales", tenant_a.organization))
    page = response.content.decode()
    assert response.status_code == 200
    assert "In force today: the salary table from 1 January 2027" in page
    assert "Step 0" in page and "Step 2" in page
    assert "€3,000.00" in page and "€3,200.00" in page
    assert 'class="table-wrap"' in page
    assert "from 1 January 2028" in page
    assert "until 31 December 2026" in page
    assert "in force" in page
    assert url("pay:salary_table_new", tenant_a.organization) in page
    assert url("pay:scale_import", tenant_a.organization) in page


def test_without_tables_the_scales_page_explains_scales_and_steps(hr, tenant_a):
    response = hr.get(url("pay:scales", tenant_a.organization))
    page = response.content.decode()
    assert "There are no salary scales yet" in page
    assert "divided into steps" in page
    assert url("pay:scale_import", tenant_a.organization) in page
    assert url("pay:salary_table_new", tenant_a.organization) in page


def test_the_scales_page_is_hrs(client, tenant_a, stranger, table, schaal_8):
    page = url("pay:scales", tenant_a.organization)
    assert_other_organisation_gets_404(client, stranger, page)
    assert_role_forbidden(client, tenant_a.manager, page)
    assert_role_forbidden(client, tenant_a.employee, page)


def test_the_scales_page_makes_as_many_queries_for_40_scales_as_for_2(hr, tenant_a, table):
    response = assert_flat_queries(
        lambda: hr.get(url("pay:scales", tenant_a.organization)), lambda numbers: more_scales(table, numbers)
    )
    assert "Extra 39" in response.content.decode()


# --- one table ----------------------------------------------------------------------------------------------------


def test_a_tables_page_links_each_scale_to_its_steps_and_offers_a_new_scale(hr, tenant_a, table, schaal_8):
    response = hr.get(url("pay:salary_table", tenant_a.organization, salary_table_id=table.pk))
    page = response.content.decode()
    assert "Salary scales from 1 January 2027" in page
    assert url("pay:scale_edit", tenant_a.organization, salary_table_id=table.pk, scale_id=schaal_8.pk) in page
    assert url("pay:scale_add", tenant_a.organization, salary_table_id=table.pk) in page
    assert "€3,100.00" in page


def test_a_tables_page_is_hrs_and_this_organisations(client, tenant_a, tenant_b, stranger, table):
    page = url("pay:salary_table", tenant_a.organization, salary_table_id=table.pk)
    assert_other_organisation_gets_404(client, stranger, page)
    assert_role_forbidden(client, tenant_a.manager, page)
    assert_role_forbidden(client, tenant_a.employee, page)
    # In their own organisation, another organisation's table is not there.
    client.force_login(stranger.user)
    assert client.get(url("pay:salary_table", tenant_b.organization, salary_table_id=table.pk)).status_code == 404


def test_a_tables_page_makes_as_many_queries_for_40_scales_as_for_2(hr, tenant_a, table):
    response = assert_flat_queries(
        lambda: hr.get(url("pay:salary_table", tenant_a.organization, salary_table_id=table.pk)),
        lambda numbers: more_scales(table, numbers),
    )
    assert "Extra 39" in response.content.decode()


# --- a new table ------------------------------------------------------------------------------------------------


def test_next_years_table_starts_as_a_copy_of_this_years(hr, tenant_a, table, schaal_8):
    created_before = entries(ScaleStep, AuditEntry.Action.CREATE).count()
    response = hr.post(
        url("pay:salary_table_new", tenant_a.organization),
        {"applies_from": "2028-01-01", "copy_from": table.pk},
        follow=True,
    )
    new = SalaryTable.objects.get(organization=tenant_a.organization, applies_from=JAN_2028)
    assert steps_of(new, schaal_8) == amounts(*SCHAAL_8)
    assert steps_of(table, schaal_8) == amounts(*SCHAAL_8)  # the old one is kept
    assert entries(ScaleStep, AuditEntry.Action.CREATE).count() == created_before + 3
    assert shown_messages(response) == ["The salary table from 1 January 2028 has been made."]


def test_a_new_table_without_a_copy_is_empty(hr, tenant_a, table, schaal_8):
    hr.post(url("pay:salary_table_new", tenant_a.organization), {"applies_from": "2028-01-01", "copy_from": ""})
    new = SalaryTable.objects.get(organization=tenant_a.organization, applies_from=JAN_2028)
    assert not ScaleStep.objects.filter(table=new).exists()


@pytest.mark.parametrize(
    ("applies_from", "message"),
    [
        ("2027-01-01", "There are already salary scales from this date."),
        ("2032-01-05", "Enter a date between 4 January 2022 and 4 January 2032 (five years either side of today)."),
        ("", "This field is required."),
        ("1-1-99999", "Enter a valid date."),
    ],
)
def test_a_new_table_needs_a_free_date_within_five_years(hr, tenant_a, table, applies_from, message):
    with assert_nothing_changes():
        response = hr.post(url("pay:salary_table_new", tenant_a.organization), {"applies_from": applies_from})
    assert response.status_code == 200
    assert field_error(response, "applies_from") == message


def test_a_new_table_cannot_copy_another_organisations(hr, tenant_a, tenant_b):
    theirs = SalaryTableFactory(organization=tenant_b.organization, applies_from=JAN_2027)
    with assert_nothing_changes():
        response = hr.post(
            url("pay:salary_table_new", tenant_a.organization), {"applies_from": "2028-01-01", "copy_from": theirs.pk}
        )
    assert field_error(response, "copy_from") == "Choose one of the salary tables in the list."


def test_the_new_table_page_is_hrs(client, tenant_a, stranger):
    page = url("pay:salary_table_new", tenant_a.organization)
    body = {"applies_from": "2028-01-01"}
    assert_other_organisation_gets_404(client, stranger, page, "post", body)
    assert_role_forbidden(client, tenant_a.manager, page, "post", body)
    assert_role_forbidden(client, tenant_a.employee, page)


def test_the_new_table_page_makes_as_many_queries_for_40_scales_as_for_2(hr, tenant_a, table):
    assert_flat_queries(
        lambda: hr.get(url("pay:salary_table_new", tenant_a.organization)), lambda numbers: more_scales(table, numbers)
    )


# --- a scale's steps --------------------------------------------------------------------------------------------


def edit_url(tenant, table, scale):
    return url("pay:scale_edit", tenant.organization, salary_table_id=table.pk, scale_id=scale.pk)


def test_the_scale_form_shows_the_steps_in_the_readers_way_of_writing(hr, tenant_a, table, schaal_8):
    response = hr.get(edit_url(tenant_a, table, schaal_8))
    page = response.content.decode()
    assert 'value="3,100.00"' in page
    assert 'name="step-3-number"' in page and 'value="3"' in page  # an empty row for a new step, numbered


def test_saving_a_scale_changes_exactly_its_steps_and_records_each_change(hr, tenant_a, table, schaal_8):
    other = scale_with_steps(table, "Schaal 9", ("4000.00",))
    updated_before = entries(ScaleStep, AuditEntry.Action.UPDATE).count()
    created_before = entries(ScaleStep, AuditEntry.Action.CREATE).count()
    response = hr.post(
        edit_url(tenant_a, table, schaal_8),
        scale_post("Schaal 8a", ["3.000,00", "3150", "3.200,00", "3,300.50", "", ""]),
        follow=True,
    )
    schaal_8.refresh_from_db()
    assert schaal_8.name == "Schaal 8a"
    assert steps_of(table, schaal_8) == amounts("3000.00", "3150.00", "3200.00", "3300.50")
    assert steps_of(table, other) == amounts("4000.00")
    assert entries(ScaleStep, AuditEntry.Action.UPDATE).count() == updated_before + 1
    assert entries(ScaleStep, AuditEntry.Action.CREATE).count() == created_before + 1
    assert entries(SalaryScale, AuditEntry.Action.UPDATE).filter(object_id=schaal_8.pk).exists()
    assert shown_messages(response) == ["Schaal 8a has been saved in the salary table from 1 January 2027."]


def test_a_scale_can_start_at_step_1_and_lose_its_last_steps(hr, tenant_a, table, schaal_8):
    hr.post(edit_url(tenant_a, table, schaal_8), scale_post("Schaal 8", ["3100", "3200"], first=1))
    assert steps_of(table, schaal_8) == amounts("3100.00", "3200.00", first=1)
    assert entries(ScaleStep, AuditEntry.Action.DELETE).count() == 1


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            scale_post("Schaal 8", ["3000", "3100"], numbers=["1", "0"]),
            "step-1-number",
            "Steps out of order: step 0 comes after step 1.",
        ),
        (
            scale_post("Schaal 8", ["3000", "3100"], numbers=["0", "0"]),
            "step-1-number",
            "Steps out of order: step 0 comes after step 0.",
        ),
        (
            scale_post("Schaal 8", ["3000", "3100"], numbers=["0", "2"]),
            "step-1-number",
            "Step 1 is missing: after step 0 comes step 2.",
        ),
        (
            scale_post("Schaal 8", ["3000", "", "3100"]),
            "step-2-number",
            "Step 1 is missing: after step 0 comes step 2.",
        ),
        (scale_post("Schaal 8", ["3000", "3100"], first=2), "step-0-number", "The first step is 0 or 1."),
        (scale_post("Schaal 8", ["3000", "-3100"]), "step-1-amount", "An amount cannot be negative."),
        (
            scale_post("Schaal 8", ["3000", "0"]),
            "step-1-amount",
            "A step pays more than nothing: the amount cannot be 0.",
        ),
        (scale_post("Schaal 8", ["3000", "2999,99"]), "step-1-amount", "Step 1 pays less than step 0."),
        (scale_post("Schaal 8", ["3000", "drie"]), "step-1-amount", "Enter an amount in euros, such as 3.250,50."),
        (scale_post("Schaal 8", ["3000", "3100,505"]), "step-1-amount", "An amount has at most two decimals (cents)."),
        (scale_post("Schaal 8", ["100.000.000,00"]), "step-0-amount", "This amount is too large."),
        (scale_post("Schaal 8", ["9" * 35]), "step-0-amount", "This amount is too large."),
        (scale_post("Schaal 8", ["3000"], numbers=[""]), "step-0-number", "Give this amount its step number."),
        (scale_post("Schaal 8", ["3000"], numbers=["x"]), "step-0-number", "Enter a whole number."),
        (scale_post("", ["3000"]), "name", "This field is required."),
        (scale_post("schaal 9", ["3000"]), "name", "There is already a scale with this name."),
    ],
)
def test_a_scales_steps_are_refused_with_a_message_at_the_row(hr, tenant_a, table, schaal_8, data, field, message):
    scale_with_steps(SalaryTableFactory(organization=tenant_a.organization, applies_from=JAN_2026), "Schaal 9", ["1"])
    with assert_nothing_changes():
        response = hr.post(edit_url(tenant_a, table, schaal_8), data)
    assert response.status_code == 200
    assert field_error(response, field) == message


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (scale_post("Schaal 8", [f"{3000 + step}" for step in range(41)]), "A scale has at most 40 steps."),
        (scale_post("Schaal 8", [""] * 5), "A scale has at least one step: fill in a monthly amount."),
        (
            {"name": "Schaal 8", "step-0-number": "0", "step-0-amount": "3000", "step-500-amount": "3100"},
            "A scale has at most 40 steps.",
        ),
    ],
)
def test_a_scale_has_one_to_forty_steps(hr, tenant_a, table, schaal_8, data, message):
    with assert_nothing_changes():
        response = hr.post(edit_url(tenant_a, table, schaal_8), data)
    assert nonfield_errors(response) == [message]


def test_steps_that_placed_people_stand_on_stay_in_the_table_in_force(hr, tenant_a, table, schaal_8):
    PlacementFactory(employee=tenant_a.employee, scale=schaal_8, step=2)
    PlacementFactory(employee=tenant_a.manager, scale=schaal_8, step=2)
    with assert_nothing_changes():
        response = hr.post(edit_url(tenant_a, table, schaal_8), scale_post("Schaal 8", ["3000", "3100"]))
    assert nonfield_errors(response) == [
        "2 people are placed on Schaal 8 at steps that would be removed (step 2) from a salary table that is or "
        "will be in force. Place them on other steps first."
    ]


def test_steps_people_stand_on_stay_in_next_years_table_too(hr, tenant_a, table, schaal_8):
    # Next year's table is the one the active cycle's figures will use: a step people stand on stays in it.
    PlacementFactory(employee=tenant_a.employee, scale=schaal_8, step=2)
    next_year = SalaryTableFactory(organization=tenant_a.organization, applies_from=JAN_2028)
    hr.post(edit_url(tenant_a, next_year, schaal_8), scale_post("Schaal 8", ["3000", "3100", "3200"]))
    with assert_nothing_changes():
        hr.post(edit_url(tenant_a, next_year, schaal_8), scale_post("Schaal 8", ["3000", "3100"]))
    assert steps_of(next_year, schaal_8) == amounts("3000.00", "3100.00", "3200.00")


def test_steps_people_stand_on_may_go_from_an_earlier_table(hr, tenant_a, table, schaal_8):
    PlacementFactory(employee=tenant_a.employee, scale=schaal_8, step=2)
    # A table in force today, and one before it: the earlier one's figures are no one's any more.
    today = timezone.localdate()
    SalaryTableFactory(organization=tenant_a.organization, applies_from=datetime.date(today.year - 1, 1, 1))
    earlier = SalaryTableFactory(organization=tenant_a.organization, applies_from=datetime.date(today.year - 2, 1, 1))
    hr.post(edit_url(tenant_a, earlier, schaal_8), scale_post("Schaal 8", ["3000", "3100", "3200"]))
    hr.post(edit_url(tenant_a, earlier, schaal_8), scale_post("Schaal 8", ["3000", "3100"]))
    assert steps_of(earlier, schaal_8) == amounts("3000.00", "3100.00")


def test_the_scale_form_is_hrs_and_this_organisations(client, tenant_a, tenant_b, stranger, table, schaal_8):
    page = edit_url(tenant_a, table, schaal_8)
    body = scale_post("Overgenomen", ["1"])
    assert_other_organisation_gets_404(client, stranger, page, "post", body)
    assert_role_forbidden(client, tenant_a.manager, page, "post", body)
    assert_role_forbidden(client, tenant_a.employee, page)
    client.force_login(stranger.user)
    with assert_nothing_changes():
        assert client.post(edit_url(tenant_b, table, schaal_8), body).status_code == 404


def test_the_scale_form_makes_as_many_queries_for_40_scales_as_for_2(hr, tenant_a, table, schaal_8):
    assert_flat_queries(
        lambda: hr.get(edit_url(tenant_a, table, schaal_8)), lambda numbers: more_scales(table, numbers)
    )


# --- a new scale ------------------------------------------------------------------------------------------------


def test_a_new_scale_is_added_after_the_others(hr, tenant_a, table, schaal_8):
    hr.post(url("pay:scale_add", tenant_a.organization, salary_table_id=table.pk), scale_post("Schaal 9", ["4000"]))
    new = SalaryScale.objects.get(organization=tenant_a.organization, name="Schaal 9")
    assert new.position > schaal_8.position
    assert steps_of(table, new) == amounts("4000.00")


def test_a_new_scale_with_the_name_of_one_in_another_table_is_that_scale(hr, tenant_a, table):
    old = scale_with_steps(
        SalaryTableFactory(organization=tenant_a.organization, applies_from=JAN_2026), "Schaal 9", ["3900"]
    )
    hr.post(url("pay:scale_add", tenant_a.organization, salary_table_id=table.pk), scale_post("SCHAAL 9", ["4000"]))
    assert SalaryScale.objects.filter(organization=tenant_a.organization).count() == 1
    assert steps_of(table, old) == amounts("4000.00")


def test_a_new_scale_may_not_have_the_name_of_one_in_this_table(hr, tenant_a, table, schaal_8):
    with assert_nothing_changes():
        response = hr.post(
            url("pay:scale_add", tenant_a.organization, salary_table_id=table.pk), scale_post("schaal 8", ["4000"])
        )
    assert (
        field_error(response, "name") == "This salary table has a scale with this name already; change its steps there."
    )


def test_the_new_scale_form_is_hrs(client, tenant_a, stranger, table):
    page = url("pay:scale_add", tenant_a.organization, salary_table_id=table.pk)
    body = scale_post("Overgenomen", ["1"])
    assert_other_organisation_gets_404(client, stranger, page, "post", body)
    assert_role_forbidden(client, tenant_a.manager, page, "post", body)
    assert_role_forbidden(client, tenant_a.employee, page)


def test_the_new_scale_form_makes_as_many_queries_for_40_scales_as_for_2(hr, tenant_a, table):
    assert_flat_queries(
        lambda: hr.get(url("pay:scale_add", tenant_a.organization, salary_table_id=table.pk)),
        lambda numbers: more_scales(table, numbers),
    )
