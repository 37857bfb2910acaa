"""The people import places people too: the scale and step columns pay adds (pay.import_columns), and the
employee number column of organizations itself."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from organizations import importing
from organizations.audit_models import AuditEntry
from organizations.importing import people_import_apply
from organizations.models import Employee
from pay import import_columns
from pay.models import Placement
from tests.factories import EmployeeFactory, PlacementFactory, SalaryTableFactory, UserFactory, scale_with_steps
from tests.kit import assert_nothing_changes, import_page, import_preview, stored_import, uploaded_through_the_page

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english", "pay_columns")]

HEADER = "email;first_name;last_name;employee_number;scale;step"
SCHAAL_8 = [f"{3000 + 100 * number}.00" for number in range(11)]  # steps 0 to 10


@pytest.fixture
def pay_columns():
    """pay's columns in the import, as pay.hooks.register adds them (taken out again if this fixture added them)."""
    added = import_columns.COLUMN_SET.name not in {column_set.name for column_set in importing.column_sets()}
    import_columns.register()
    yield
    if added:
        importing.unregister_columns(import_columns.COLUMN_SET.name)


@pytest.fixture
def scales(tenant_a):
    table = SalaryTableFactory(organization=tenant_a.organization)
    return {
        "Schaal 8": scale_with_steps(table, "Schaal 8", SCHAAL_8),
        "Schaal 10": scale_with_steps(table, "Schaal 10", ("4000.00", "4150.00", "4300.00"), first=1),
    }


def placements():
    return sorted(
        Placement.objects.values_list("employee__user__email", "scale__name", "step", "monthly_salary", "step_date")
    )


def numbers(tenant):
    return dict(
        Employee.objects.filter(organization=tenant.organization)
        .exclude(employee_number="")
        .values_list("user__email", "employee_number")
    )


def problems(preview):
    return {row.line: row.problems for row in preview.rows if row.problems}


# --- what a file with the new columns does -------------------------------------------------------------------------


def test_a_file_with_numbers_scales_and_steps_creates_people_placements_and_numbers(tenant_a, scales):
    PlacementFactory(employee=tenant_a.employee, monthly_salary=Decimal("2900"))
    PlacementFactory(employee=tenant_a.manager, scale=scales["Schaal 10"], step=1)
    eva = tenant_a.employee.user.email
    people_import = stored_import(
        tenant_a,
        "nina@example.org;Nina;Nieuw;P-001;schaal 8;3",
        f"{eva};Eva;{tenant_a.employee.last_name};P-002;Schaal 10;2",
        f"{tenant_a.manager.user.email};Mark;{tenant_a.manager.last_name};P-003;;",
        header=HEADER,
    )

    summary = people_import_apply(people_import=people_import, actor=tenant_a.hr)

    assert (summary["new"], summary["updated"]) == (1, 2)
    assert numbers(tenant_a) == {"nina@example.org": "P-001", eva: "P-002", tenant_a.manager.user.email: "P-003"}
    assert placements() == sorted(
        [
            (eva, "Schaal 10", 2, None, None),  # the salary outside the scales gave way
            (tenant_a.manager.user.email, "Schaal 10", 1, None, None),  # an empty pair keeps the placement
            ("nina@example.org", "Schaal 8", 3, None, None),
        ]
    )
    entries = AuditEntry.objects.filter(content_type__model="placement", additional_data__via="people_import")
    assert sorted(entries.values_list("action", flat=True)) == [AuditEntry.Action.CREATE, AuditEntry.Action.UPDATE]


def test_dutch_headers_name_the_same_columns(tenant_a, scales):
    preview = import_preview(
        tenant_a, "nina@example.org;Nina;7;Schaal 8;0", header="email;first_name;Personeelsnummer;Salarisschaal;Trede"
    )
    assert preview.columns == ("email", "first_name", "employee_number", "scale", "step")
    assert not preview.has_problems and not preview.notices
    assert preview.rows[0].values["employee_number"] == "7"


def test_the_preview_shows_a_placement_change_as_an_update(tenant_a, scales):
    PlacementFactory(employee=tenant_a.employee, scale=scales["Schaal 8"], step=3)
    email = tenant_a.employee.user.email
    preview = import_preview(tenant_a, f"{email};Eva;{tenant_a.employee.last_name};;Schaal 8;4", header=HEADER)
    row = preview.rows[0]
    assert row.action == "update"
    assert [(change.field, change.old, change.new) for change in row.changes] == [
        ("Salary scale and step", "Schaal 8, step 3", "Schaal 8, step 4")
    ]
    same = import_preview(tenant_a, f"{email};Eva;{tenant_a.employee.last_name};;Schaal 8;3", header=HEADER)
    assert same.rows[0].action == "unchanged"


def test_the_preview_page_shows_the_new_columns_and_their_problems(tenant_a, scales, hr):
    people_import = uploaded_through_the_page(
        hr, tenant_a.organization, "nina@example.org;Nina;N;P-9;Schaal 8;12", header=HEADER
    )
    page = hr.get(import_page("preview", people_import)).content.decode()
    for heading in ("Employee number", "Salary scale", "Step"):
        assert f'<th scope="col">{heading}</th>' in page
    assert "<td>P-9</td>" in page and "<td>Schaal 8</td>" in page and "<td>12</td>" in page
    assert "Schaal 8 has steps 0 to 10; step 12 is not one of them." in page


def test_the_upload_page_describes_the_new_columns(tenant_a, hr):
    from tests.kit import url

    page = hr.get(url("organizations:import_upload", tenant_a.organization)).content.decode()
    assert "<code>employee_number</code>" in page and "<code>scale</code>" in page and "<code>step</code>" in page


# --- row problems: nothing is applied ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scale", "step", "problem"),
    [
        ("Schaal 8", "11", "Schaal 8 has steps 0 to 10; step 11 is not one of them."),
        ("Schaal 10", "0", "Schaal 10 has steps 1 to 3; step 0 is not one of them."),
        (
            "Schaal 9",
            "2",
            "“Schaal 9” is not a salary scale of this organisation; the scales are: Schaal 8, Schaal 10.",
        ),
        ("Schaal 8", "", "Give both the scale and the step, or leave both empty."),
        ("", "2", "Give both the scale and the step, or leave both empty."),
        ("Schaal 8", "twee", "The step “twee” is not a whole number, such as 3."),
        ("Schaal 8", "=1+1", "The step “=1+1” is not a whole number, such as 3."),
    ],
)
def test_a_scale_or_step_that_does_not_fit_is_a_row_problem_and_nothing_is_applied(
    tenant_a, scales, scale, step, problem
):
    people_import = stored_import(
        tenant_a, "goed@example.org;Goed;G;;Schaal 8;1", f"fout@example.org;Fout;F;;{scale};{step}", header=HEADER
    )
    assert problems(import_preview(tenant_a, *_lines(people_import), header=HEADER)) == {3: [problem]}
    with assert_nothing_changes(), pytest.raises(ValidationError):
        people_import_apply(people_import=people_import, actor=tenant_a.hr)


def _lines(people_import):
    return people_import.content.splitlines()[1:]


def test_without_a_salary_table_a_scale_and_step_are_a_row_problem(tenant_a):
    scale_with_steps(SalaryTableFactory(organization=tenant_a.organization), "Schaal 8", SCHAAL_8)
    from pay.models import SalaryTable

    SalaryTable.objects.update(applies_from="2999-01-01")
    preview = import_preview(tenant_a, "nina@example.org;Nina;N;;Schaal 8;1", header=HEADER)
    assert problems(preview)[2][0].startswith("There is no salary table in force today")


def test_an_unknown_scale_where_there_are_no_scales_says_so(tenant_a):
    preview = import_preview(tenant_a, "nina@example.org;Nina;N;;Schaal 8;1", header=HEADER)
    assert problems(preview) == {2: ["“Schaal 8” is not a salary scale of this organisation; there are no scales yet."]}


def test_a_duplicate_employee_number_in_the_file_is_a_problem_on_both_lines(tenant_a, scales):
    people_import = stored_import(
        tenant_a, "a@example.org;A;A;P-1;;", "b@example.org;B;B;P-1;;", "c@example.org;C;C;P-2;;", header=HEADER
    )
    assert problems(import_preview(tenant_a, *_lines(people_import), header=HEADER)) == {
        2: ["The employee number P-1 is also on line 3; each number belongs to one person."],
        3: ["The employee number P-1 is also on line 2; each number belongs to one person."],
    }
    with assert_nothing_changes(), pytest.raises(ValidationError):
        people_import_apply(people_import=people_import, actor=tenant_a.hr)


def test_a_number_someone_else_has_is_a_problem_but_one_of_another_organisation_is_not(tenant_a, tenant_b):
    Employee.objects.filter(pk=tenant_a.outsider.pk).update(employee_number="P-7")
    Employee.objects.filter(pk=tenant_b.employee.pk).update(employee_number="P-8")
    people_import = stored_import(tenant_a, "a@example.org;A;A;P-7;;", "b@example.org;B;B;P-8;;", header=HEADER)
    assert problems(import_preview(tenant_a, *_lines(people_import), header=HEADER)) == {
        2: [f"{tenant_a.outsider.full_name} already has the employee number P-7 in this organisation."]
    }
    with assert_nothing_changes(), pytest.raises(ValidationError):
        people_import_apply(people_import=people_import, actor=tenant_a.hr)


def test_a_file_may_swap_numbers_and_pass_one_on_to_someone_new(tenant_a):
    a, b = tenant_a.employee, tenant_a.outsider
    Employee.objects.filter(pk=a.pk).update(employee_number="1")
    Employee.objects.filter(pk=b.pk).update(employee_number="2")
    people_import = stored_import(
        tenant_a,
        f"{a.user.email};{a.first_name};{a.last_name};2;;",
        f"{b.user.email};{b.first_name};{b.last_name};3;;",
        "nieuw@example.org;Nieuw;N;1;;",
        header="email;first_name;last_name;employee number;schaal;trede",
    )
    people_import_apply(people_import=people_import, actor=tenant_a.hr)
    assert numbers(tenant_a) == {a.user.email: "2", b.user.email: "3", "nieuw@example.org": "1"}


def test_a_number_that_looks_like_a_formula_is_stored_as_typed(tenant_a):
    people_import = stored_import(tenant_a, "a@example.org;A;A;=1+2;;", header=HEADER)
    people_import_apply(people_import=people_import, actor=tenant_a.hr)
    assert numbers(tenant_a) == {"a@example.org": "=1+2"}


def test_an_empty_number_clears_it_like_any_other_cell_and_a_file_without_the_column_keeps_it(tenant_a):
    employee = tenant_a.employee
    Employee.objects.filter(pk=employee.pk).update(employee_number="P-5")
    kept = stored_import(tenant_a, f"{employee.user.email};Eva", header="email;first_name")
    people_import_apply(people_import=kept, actor=tenant_a.hr)
    assert numbers(tenant_a) == {employee.user.email: "P-5"}
    cleared = stored_import(tenant_a, f"{employee.user.email};Eva;", header="email;first_name;personeelsnummer")
    people_import_apply(people_import=cleared, actor=tenant_a.hr)
    assert numbers(tenant_a) == {}


def test_a_number_too_long_is_a_row_problem(tenant_a):
    preview = import_preview(tenant_a, f"a@example.org;A;A;{'9' * 41};;", header=HEADER)
    assert problems(preview) == {2: ["The employee_number is too long: at most 40 characters, this one has 41."]}


# --- no query per row ------------------------------------------------------------------------------------------


def _file(tenant, scales, count):
    """``count`` rows: half of them people already here (every other one placed), half new, each with a number."""
    people = [EmployeeFactory(organization=tenant.organization, user=UserFactory()) for _n in range(count // 2)]
    for person in people[::2]:
        PlacementFactory(employee=person, scale=scales["Schaal 8"], step=1)
    lines = [
        f"{person.user.email};{person.first_name};{person.last_name};N-{person.pk};Schaal 10;{1 + n % 3}"
        for n, person in enumerate(people)
    ]
    new = count - len(people)
    lines += [f"nieuw{n}-{count}@example.org;Nieuw;N;M-{n}-{count};Schaal 8;{n % 11}" for n in range(new)]
    return lines


def _counted(run):
    with CaptureQueriesContext(connection) as captured:
        run()
    return len(captured)


def test_the_preview_and_the_apply_make_as_many_queries_for_40_rows_as_for_2(tenant_a, scales):
    # Once unmeasured: what the receivers of person_changed read once per organisation settles first.
    people_import_apply(people_import=stored_import(tenant_a, *_file(tenant_a, scales, 1), header=HEADER), actor=None)
    counts = {}
    for count in (2, 40):
        lines = _file(tenant_a, scales, count)
        preview = _counted(lambda lines=lines: import_preview(tenant_a, *lines, header=HEADER))
        people_import = stored_import(tenant_a, *lines, header=HEADER)
        apply = _counted(
            lambda people_import=people_import: people_import_apply(people_import=people_import, actor=None)
        )
        counts[count] = (preview, apply)
    assert counts[2] == counts[40]
    assert counts[2][0] == 2 + 4  # people and teams, then the scales, the table in force, its steps and placements
    assert Placement.objects.filter(scale__name="Schaal 10").count() == 0 + 1 + 20
    assert Employee.objects.filter(employee_number__startswith="M-").count() == 1 + 1 + 20


def test_a_file_without_the_pay_columns_costs_no_query_more(tenant_a, scales, django_assert_num_queries):
    with django_assert_num_queries(2):
        import_preview(tenant_a, "a@example.org;A;A;;;;", header="email;first_name;last_name;team;manager_email;role;x")


# --- the registry ---------------------------------------------------------------------------------------------


def test_registering_twice_keeps_one_set_and_a_taken_column_name_is_refused():
    from django.core.exceptions import ImproperlyConfigured

    import_columns.register()
    import_columns.register()
    assert [column_set.name for column_set in importing.column_sets()].count("pay") == 1
    clash = importing.ColumnSet(
        name="other", columns=(importing.ExtraColumn(name="trede"),), check=lambda **_kw: None, apply=None
    )
    with pytest.raises(ImproperlyConfigured):
        importing.register_columns(clash)
    own = importing.ColumnSet(name="other", columns=(importing.ExtraColumn(name="email"),), check=None, apply=None)
    with pytest.raises(ImproperlyConfigured):
        importing.register_columns(own)
    assert "other" not in [column_set.name for column_set in importing.column_sets()]
