"""HR's placements: the list of who stands where (and who is not placed), and one person's placement page."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from organizations.audit_models import AuditEntry
from pay import services_placements as services
from pay.models import Placement, SalaryTable
from tests.factories import EmployeeFactory, PlacementFactory, SalaryTableFactory, scale_with_steps
from tests.kit import (
    assert_flat_queries,
    assert_method_not_allowed,
    assert_nothing_changes,
    assert_other_organisation_gets_404,
    assert_role_forbidden,
    client_for,
    field_error,
    nonfield_errors,
    shown_messages,
    tables_changed,
    url,
)

pytestmark = pytest.mark.django_db

SCHAAL_8 = [f"{3000 + 100 * number}.00" for number in range(11)]  # steps 0 to 10
SCHAAL_10 = ("4000.00", "4150.00", "4300.00")  # steps 1 to 3


class Scales:
    def __init__(self, tenant):
        self.tenant = tenant
        self.table = SalaryTableFactory(organization=tenant.organization)
        self.schaal_8 = scale_with_steps(self.table, "Schaal 8", SCHAAL_8)
        self.schaal_10 = scale_with_steps(self.table, "Schaal 10", SCHAAL_10, first=1)


@pytest.fixture
def scales(tenant_a):
    """Alfa's salary table in force since 1 January: Schaal 8 (steps 0 to 10) and Schaal 10 (steps 1 to 3)."""
    return Scales(tenant_a)


def listing(organization, **params):
    address = url("pay:placements", organization)
    return address + ("?" + "&".join(f"{key}={value}" for key, value in params.items()) if params else "")


def edit(person):
    return url("pay:placement_edit", person.organization, employee_id=person.pk)


def on_scale(scale, number, day="", /, **changes):
    return {"kind": "scale", "scale": scale.pk, "step": number, "step_date": day, "monthly_salary": "", **changes}


def outside(amount):
    return {"kind": "salary", "scale": "", "step": "", "step_date": "", "monthly_salary": amount}


def placement_values(person):
    return Placement.objects.filter(employee=person).values_list("scale__name", "step", "monthly_salary", "step_date")


# --- who may open the pages -------------------------------------------------------------------------------------


def test_another_organisations_hr_gets_404_on_both_pages(tenant_a, scales, client, stranger):
    assert_other_organisation_gets_404(client, stranger, listing(tenant_a.organization))
    assert_other_organisation_gets_404(client, stranger, edit(tenant_a.employee))
    assert_other_organisation_gets_404(client, stranger, edit(tenant_a.employee), "post", on_scale(scales.schaal_8, 2))


def test_a_person_of_another_organisation_is_404_for_hr_here(tenant_a, tenant_b, scales, hr):
    with assert_nothing_changes():
        assert hr.get(edit(tenant_b.employee)).status_code == 404
        assert hr.post(edit(tenant_b.employee), on_scale(scales.schaal_8, 2)).status_code == 404


@pytest.mark.parametrize("role", ["employee", "manager"])
def test_employees_and_managers_are_refused(tenant_a, scales, client, role):
    member = tenant_a.member(role)
    assert_role_forbidden(client, member, listing(tenant_a.organization))
    assert_role_forbidden(client, member, edit(tenant_a.employee))
    assert_role_forbidden(client, member, edit(tenant_a.employee), "post", on_scale(scales.schaal_8, 2))


def test_other_methods_are_refused(tenant_a, hr):
    assert_method_not_allowed(hr, listing(tenant_a.organization), ["post", "put", "delete"])
    assert_method_not_allowed(hr, edit(tenant_a.employee), ["put", "patch", "delete"])


# --- the list ---------------------------------------------------------------------------------------------------


def test_the_list_shows_scale_step_amount_and_date_and_counts_who_is_not_placed(tenant_a, scales, hr):
    PlacementFactory(employee=tenant_a.employee, scale=scales.schaal_8, step=3, step_date=datetime.date(2026, 4, 1))
    PlacementFactory(employee=tenant_a.manager, monthly_salary=Decimal("4125.50"))
    response = hr.get(listing(tenant_a.organization))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Schaal 8, step 3" in page and "€3,300.00" in page and "1 April 2026" in page
    assert "Outside the scales" in page and "€4,125.50" in page
    assert "2 people are not placed yet" in page  # Hanna (HR) and Olaf
    assert listing(tenant_a.organization, show="not_placed") in page


def test_the_filter_shows_who_is_not_placed_placed_outside_or_on_one_scale(tenant_a, scales, hr):
    PlacementFactory(employee=tenant_a.employee, scale=scales.schaal_8, step=3)
    PlacementFactory(employee=tenant_a.outsider, scale=scales.schaal_10, step=2)
    PlacementFactory(employee=tenant_a.manager, monthly_salary=Decimal("4000"))

    def shown(**params):
        response = hr.get(listing(tenant_a.organization, **params))
        return {person.pk for person, _placement, _monthly in response.context["people"]}

    a = tenant_a
    assert shown() == {a.hr.pk, a.manager.pk, a.employee.pk, a.outsider.pk}
    assert shown(show="not_placed") == {a.hr.pk}
    assert shown(show="placed") == {a.manager.pk, a.employee.pk, a.outsider.pk}
    assert shown(show="outside") == {a.manager.pk}
    assert shown(show=f"scale-{scales.schaal_10.pk}") == {a.outsider.pk}
    assert shown(q="Eva") == {a.employee.pk}
    assert shown(show="scale-999999") == shown()  # not a choice: everyone, not an error


def test_the_search_finds_an_employee_number_and_leaves_out_deactivated_people(tenant_a, hr):
    EmployeeFactory(organization=tenant_a.organization, first_name="Ruud", employee_number="P-0042")
    EmployeeFactory(organization=tenant_a.organization, first_name="Weg", is_active=False)
    response = hr.get(listing(tenant_a.organization, q="0042"))
    assert [person.first_name for person, _p, _m in response.context["people"]] == ["Ruud"]
    everyone = hr.get(listing(tenant_a.organization)).context["people"]
    assert "Weg" not in [person.first_name for person, _p, _m in everyone]


def test_without_a_salary_table_the_list_says_so(tenant_a, hr):
    page = hr.get(listing(tenant_a.organization)).content.decode()
    assert "There is no salary table in force today" in page


def test_the_list_is_paged_by_50(tenant_a, hr):
    EmployeeFactory.create_batch(50, organization=tenant_a.organization)
    response = hr.get(listing(tenant_a.organization))
    assert len(response.context["people"]) == 50
    assert response.context["page"].paginator.num_pages == 2
    assert len(hr.get(listing(tenant_a.organization, page=2)).context["people"]) == 4


def test_the_list_makes_as_many_queries_for_40_people_as_for_2(tenant_a, scales, hr):
    def add_people(numbers):
        for number in numbers:
            person = EmployeeFactory(organization=tenant_a.organization, employee_number=f"N{number}")
            if number % 3 == 0:
                PlacementFactory(employee=person, scale=scales.schaal_8, step=number % 11)
            elif number % 3 == 1:
                PlacementFactory(employee=person, monthly_salary=Decimal("3000"))

    response = assert_flat_queries(lambda: hr.get(listing(tenant_a.organization)), add_people)
    assert len(response.context["people"]) == 44
    partial = assert_flat_queries(
        lambda: hr.get(listing(tenant_a.organization, show="placed"), headers={"HX-Request": "true"}), lambda _n: None
    )
    assert "<h1>" not in partial.content.decode()


# --- placing one person -----------------------------------------------------------------------------------------


def test_hr_places_someone_on_a_scale_and_only_that_placement_changes(tenant_a, scales, hr):
    with tables_changed() as changed:
        response = hr.post(edit(tenant_a.outsider), on_scale(scales.schaal_8, 10, "2027-03-01"))
    assert response.status_code == 302
    assert response["Location"] == listing(tenant_a.organization)
    assert sorted(changed) == ["organizations.auditentry", "pay.placement"]
    assert list(placement_values(tenant_a.outsider)) == [("Schaal 8", 10, None, datetime.date(2027, 3, 1))]
    placement = Placement.objects.get(employee=tenant_a.outsider)
    entry = AuditEntry.objects.get(content_type__model="placement", object_id=placement.pk)
    assert entry.action == AuditEntry.Action.CREATE and entry.actor_employee == tenant_a.hr


def test_the_edit_page_shows_the_placement_and_the_steps_each_scale_has(tenant_a, scales, hr):
    PlacementFactory(employee=tenant_a.employee, scale=scales.schaal_10, step=2)
    response = hr.get(edit(tenant_a.employee))
    form = response.context["form"]
    assert (form["kind"].value(), form["scale"].value(), form["step"].value()) == ("scale", scales.schaal_10.pk, 2)
    page = response.content.decode()
    assert "Schaal 8 (steps 0 to 10)" in page and "Schaal 10 (steps 1 to 3)" in page
    assert "Schaal 10, step 2" in page and "€4,150.00 a month" in page


@pytest.mark.parametrize("typed", ["3.250,50", "3250,50", "3,250.50", "€ 3250.50"])
def test_a_salary_outside_the_scales_is_read_the_dutch_and_the_english_way(tenant_a, scales, hr, typed):
    PlacementFactory(employee=tenant_a.employee, scale=scales.schaal_8, step=3, step_date=datetime.date(2026, 5, 1))
    response = hr.post(edit(tenant_a.employee), outside(typed))
    assert response.status_code == 302
    assert list(placement_values(tenant_a.employee)) == [(None, None, Decimal("3250.50"), None)]


def test_a_salary_can_be_saved_without_any_salary_table(tenant_a, hr):
    assert hr.post(edit(tenant_a.employee), outside("2800")).status_code == 302
    assert list(placement_values(tenant_a.employee)) == [(None, None, Decimal("2800.00"), None)]


def test_a_step_the_scale_lacks_is_refused_naming_the_steps_it_has(tenant_a, scales, hr):
    with assert_nothing_changes():
        response = hr.post(edit(tenant_a.employee), on_scale(scales.schaal_8, 11))
    assert response.status_code == 200
    assert field_error(response, "step") == "Schaal 8 has steps 0 to 10; step 11 is not one of them."


def test_a_step_of_a_scale_without_steps_in_the_table_in_force_is_refused(tenant_a, scales, hr):
    SalaryTableFactory(organization=tenant_a.organization, applies_from=scales.table.applies_from.replace(year=2020))
    later = SalaryTableFactory(
        organization=tenant_a.organization, applies_from=timezone.localdate() - datetime.timedelta(days=1)
    )
    scale_with_steps(later, "Schaal 12", ("5000.00",))
    with assert_nothing_changes():
        response = hr.post(edit(tenant_a.employee), on_scale(scales.schaal_8, 2))
    assert field_error(response, "step") == (
        "Schaal 8 has no steps in the salary table in force today; add its amounts first."
    )


def test_without_any_salary_table_a_scale_cannot_be_chosen_and_the_page_says_where_to_add_one(tenant_a, scales, hr):
    SalaryTable.objects.filter(pk=scales.table.pk).update(applies_from=timezone.localdate() + datetime.timedelta(1))
    with assert_nothing_changes():
        response = hr.post(edit(tenant_a.employee), on_scale(scales.schaal_8, 2))
    assert response.status_code == 200
    assert nonfield_errors(response) == [
        "There is no salary table in force today, so there are no steps to choose from yet. Add the salary scales "
        "and their amounts first."
    ]


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("abc", "Enter an amount in euros, such as 3.250,50."),
        ("0", "A monthly salary is more than € 0."),
        ("0,00", "A monthly salary is more than € 0."),
        ("-2500", "An amount cannot be negative."),
        ("", "Enter the monthly salary."),
        ("3250,505", "An amount has at most two decimals (cents)."),
        ("123.456.789,00", "This amount is too large."),
    ],
)
def test_a_salary_that_is_no_positive_amount_is_refused(tenant_a, scales, hr, typed, message):
    PlacementFactory(employee=tenant_a.employee, scale=scales.schaal_8, step=3)
    with assert_nothing_changes():
        response = hr.post(edit(tenant_a.employee), outside(typed))
    assert response.status_code == 200
    assert field_error(response, "monthly_salary") == message


def test_a_date_of_the_yearly_step_more_than_five_years_away_is_refused(tenant_a, scales, time_machine):
    time_machine.move_to(datetime.datetime(2027, 6, 15, 10, tzinfo=datetime.UTC), tick=False)
    hr = client_for(tenant_a.hr)  # logged in after the clock moved, so the session has not expired
    scales.table.applies_from = datetime.date(2027, 1, 1)
    scales.table.save()
    for day in ("2022-06-14", "2032-06-16"):
        with assert_nothing_changes():
            response = hr.post(edit(tenant_a.employee), on_scale(scales.schaal_8, 2, day))
        assert field_error(response, "step_date") == (
            "The date of the yearly step lies between 15 June 2022 and 15 June 2032: at most five years back or ahead."
        )
    assert hr.post(edit(tenant_a.employee), on_scale(scales.schaal_8, 2, "2032-06-15")).status_code == 302


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"scale": ""}, "scale", "Choose a scale."),
        ({"step": ""}, "step", "Enter the step on the scale."),
        ({"step": "drie"}, "step", "Enter a whole number."),
        ({"step": "-1"}, "step", "Ensure this value is greater than or equal to 0."),
        ({"step_date": "gisteren"}, "step_date", "Enter a valid date."),
        ({"kind": "elsewhere"}, "kind", "Select a valid choice. elsewhere is not one of the available choices."),
    ],
)
def test_a_scale_placement_missing_a_part_is_refused(tenant_a, scales, hr, changes, field, message):
    with assert_nothing_changes():
        response = hr.post(edit(tenant_a.employee), on_scale(scales.schaal_8, 2, **changes))
    assert field_error(response, field) == message


def test_a_scale_of_another_organisation_is_refused(tenant_a, tenant_b, scales, hr):
    theirs = Scales(tenant_b)
    with assert_nothing_changes():
        response = hr.post(edit(tenant_a.employee), on_scale(theirs.schaal_8, 2))
    assert field_error(response, "scale") == "Choose one of the scales in the list."


def test_moving_from_a_salary_to_a_scale_clears_the_salary(tenant_a, scales, hr):
    PlacementFactory(employee=tenant_a.employee, monthly_salary=Decimal("2900"))
    assert hr.post(edit(tenant_a.employee), on_scale(scales.schaal_10, 1)).status_code == 302
    assert list(placement_values(tenant_a.employee)) == [("Schaal 10", 1, None, None)]
    assert Placement.objects.count() == 1


# --- not placed -------------------------------------------------------------------------------------------------


def test_not_placed_asks_first_saying_whose_figures_disappear(tenant_a, scales, hr):
    PlacementFactory(employee=tenant_a.employee, scale=scales.schaal_8, step=3)
    with assert_nothing_changes():
        response = hr.post(edit(tenant_a.employee), {"kind": "none"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Eva" in page and "is no longer placed: Schaal 8, step 3 is removed." in page
    assert 'name="confirm" value="yes"' in page


def test_confirming_removes_the_placement_and_records_it(tenant_a, scales, hr):
    placement = PlacementFactory(employee=tenant_a.employee, scale=scales.schaal_8, step=3)
    response = hr.post(edit(tenant_a.employee), {"confirm": "yes"}, follow=True)
    assert not Placement.objects.filter(employee=tenant_a.employee).exists()
    assert f"{tenant_a.employee.full_name} is no longer placed." in shown_messages(response)
    removed = AuditEntry.objects.filter(content_type__model="placement", object_id=placement.pk)
    assert removed.filter(action=AuditEntry.Action.DELETE).exists()
    assert Placement.objects.count() == 0


def test_not_placed_for_someone_not_placed_changes_nothing(tenant_a, hr):
    with assert_nothing_changes():
        response = hr.post(edit(tenant_a.employee), {"kind": "none"}, follow=True)
    assert f"{tenant_a.employee.full_name} is not placed; nothing has changed." in shown_messages(response)


def test_a_confirmation_that_comes_with_a_placement_does_not_remove_it(tenant_a, scales, hr):
    PlacementFactory(employee=tenant_a.employee, scale=scales.schaal_8, step=3)
    hr.post(edit(tenant_a.employee), {**on_scale(scales.schaal_8, 4), "confirm": "yes"})
    assert list(placement_values(tenant_a.employee)) == [("Schaal 8", 4, None, None)]


# --- the services on their own ---------------------------------------------------------------------------------


def test_the_service_refuses_what_the_form_refuses_and_saves_nothing(tenant_a, scales, english):
    with assert_nothing_changes(), pytest.raises(ValidationError) as refused:
        services.placement_save(employee=tenant_a.employee, on_scale=True, scale=scales.schaal_10, step=0)
    assert refused.value.message_dict == {"step": ["Schaal 10 has steps 1 to 3; step 0 is not one of them."]}
    with assert_nothing_changes(), pytest.raises(ValidationError) as refused:
        services.placement_save(employee=tenant_a.employee, on_scale=False, monthly_salary=Decimal("0"))
    assert refused.value.message_dict == {"monthly_salary": ["A monthly salary is more than € 0."]}


def test_saving_the_same_placement_twice_records_one_change(tenant_a, scales):
    for _time in range(2):
        services.placement_save(employee=tenant_a.employee, on_scale=True, scale=scales.schaal_8, step=5)
    assert list(placement_values(tenant_a.employee)) == [("Schaal 8", 5, None, None)]
    assert AuditEntry.objects.filter(content_type__model="placement").count() == 1


def test_removing_twice_is_harmless(tenant_a, scales):
    PlacementFactory(employee=tenant_a.employee, scale=scales.schaal_8, step=3)
    assert services.placement_remove(employee=tenant_a.employee) is True
    assert services.placement_remove(employee=tenant_a.employee) is False
