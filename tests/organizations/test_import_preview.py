"""The import preview: what each row would do, and every row problem, before anything is saved."""

import pytest

from organizations.importing import ACTION_NEW, ACTION_UNCHANGED, ACTION_UPDATE, people_import_preview
from organizations.models import Employee, Role, Team
from tests.factories import EmployeeFactory, TeamFactory, UserFactory
from tests.kit import import_preview, people_csv

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def only_row(result):
    assert len(result.rows) == 1
    return result.rows[0]


def test_a_new_person_is_shown_as_new(tenant_a):
    result = import_preview(tenant_a, "nieuw@example.org;Nina;Nieuw;Adviseur;Klantenservice;;")
    row = only_row(result)
    assert row.action == ACTION_NEW
    assert row.problems == []
    assert row.role_label == "Employee"
    assert result.counts == {"rows": 1, "new": 1, "updated": 0, "unchanged": 0, "problems": 0, "new_teams": 0}
    assert not result.has_problems


def test_an_existing_person_with_other_values_is_an_update_listing_the_changed_fields(tenant_a):
    eva = tenant_a.employee
    line = f"{eva.user.email.upper()};{eva.first_name};{eva.last_name};Teamleider;Klantenservice;;manager"
    row = only_row(import_preview(tenant_a, line))
    assert row.action == ACTION_UPDATE
    assert [(change.field, change.old, change.new) for change in row.changes] == [
        ("Job title", "Adviseur", "Teamleider"),
        ("Role", "Employee", "Manager"),
        ("Manager", tenant_a.manager.user.email, ""),
    ]


def test_an_existing_person_with_the_same_values_is_unchanged(tenant_a):
    eva = tenant_a.employee
    line = f"{eva.user.email};{eva.first_name};{eva.last_name};Adviseur;klantenservice;{tenant_a.manager.user.email};"
    row = only_row(import_preview(tenant_a, line))
    assert row.action == ACTION_UNCHANGED, row.changes
    assert row.team_name == "Klantenservice"  # matched ignoring case, no new team
    assert not row.new_team


def test_columns_left_out_keep_what_is_there(tenant_a):
    eva = tenant_a.employee
    row = only_row(import_preview(tenant_a, f"{eva.user.email};{eva.first_name}", header="email;first_name"))
    assert row.action == ACTION_UNCHANGED


def test_a_blank_role_keeps_the_existing_role(tenant_a):
    mark = tenant_a.manager
    row = only_row(import_preview(tenant_a, f"{mark.user.email};{mark.first_name}", header="email;first_name;role"))
    assert row.action == ACTION_UNCHANGED
    assert row.role_label == "Manager"


def test_an_unknown_team_becomes_a_new_team(tenant_a):
    result = import_preview(tenant_a, "a@example.org;A;;;Nieuw team;;", "b@example.org;B;;;nieuw TEAM;;")
    assert result.new_teams == ["Nieuw team"]
    assert all(row.new_team and row.team_name == "Nieuw team" for row in result.rows)
    assert result.counts["new_teams"] == 1


def test_a_missing_email_is_a_problem(tenant_a):
    row = only_row(import_preview(tenant_a, ";Jan;;;;;"))
    assert row.problems == ["The email address is missing."]
    assert row.action is None


@pytest.mark.parametrize("email", ["jan", "jan@", "jan@@example.org", "jan @example.org", "@example.org"])
def test_a_malformed_email_is_a_problem(tenant_a, email):
    row = only_row(import_preview(tenant_a, f"{email};Jan;;;;;"))
    assert row.problems == [f"“{email.strip()}” is not a valid email address."]


def test_a_missing_first_name_is_a_problem(tenant_a):
    row = only_row(import_preview(tenant_a, "jan@example.org;;Jansen;;;;"))
    assert row.problems == ["The first name is missing."]


def test_an_unknown_role_is_a_problem(tenant_a):
    row = only_row(import_preview(tenant_a, "jan@example.org;Jan;;;;;directeur"))
    assert row.problems == ["“directeur” is not a role; use employee, manager or hr_admin."]


def test_dutch_and_english_role_labels_are_accepted(tenant_a):
    result = import_preview(
        tenant_a,
        "a@example.org;A;;;;;Medewerker",
        "b@example.org;B;;;;;leidinggevende",
        "c@example.org;C;;;;;HR admin",
        "d@example.org;D;;;;;HR-beheerder",
    )
    assert [row.role for row in result.rows] == [Role.EMPLOYEE, Role.MANAGER, Role.HR_ADMIN, Role.HR_ADMIN]
    assert not result.has_problems


def test_a_manager_neither_in_the_file_nor_the_organisation_is_a_problem(tenant_a, tenant_b):
    # tenant_b's manager exists, but in another organisation: to this one it is unknown.
    row = only_row(import_preview(tenant_a, f"jan@example.org;Jan;;;;{tenant_b.manager.user.email};"))
    assert row.problems == [
        f"The manager {tenant_b.manager.user.email} is neither in this file nor an active member of this organisation."
    ]


def test_a_deactivated_member_cannot_be_a_manager(tenant_a):
    Employee.objects.filter(pk=tenant_a.manager.pk).update(is_active=False)
    row = only_row(import_preview(tenant_a, f"jan@example.org;Jan;;;;{tenant_a.manager.user.email};"))
    assert "neither in this file nor an active member" in row.problems[0]


def test_a_manager_may_be_an_existing_member_or_someone_further_down_the_file(tenant_a):
    result = import_preview(
        tenant_a,
        f"jan@example.org;Jan;;;;{tenant_a.manager.user.email.upper()};",
        "piet@example.org;Piet;;;;baas@example.org;",
        "baas@example.org;Baas;;;;;manager",
    )
    assert not result.has_problems
    assert [row.manager_email for row in result.rows] == [tenant_a.manager.user.email, "baas@example.org", None]


def test_a_malformed_manager_email_is_a_problem(tenant_a):
    row = only_row(import_preview(tenant_a, "jan@example.org;Jan;;;;baas at example.org;"))
    assert row.problems == ["The manager's email address “baas at example.org” is not a valid email address."]


def test_a_person_managing_themselves_is_a_problem(tenant_a):
    row = only_row(import_preview(tenant_a, "jan@example.org;Jan;;;;JAN@example.org;"))
    assert row.problems == ["A person cannot be their own manager."]


def test_two_people_managing_each_other_are_both_problems(tenant_a):
    result = import_preview(tenant_a, "a@example.org;A;;;;b@example.org;", "b@example.org;B;;;;a@example.org;")
    assert result.rows[0].problems == [
        "The reporting line would go round in a circle: a@example.org → b@example.org → a@example.org."
    ]
    assert result.rows[1].problems == [
        "The reporting line would go round in a circle: b@example.org → a@example.org → b@example.org."
    ]


def test_a_longer_cycle_flags_every_member_but_not_people_below_it(tenant_a):
    result = import_preview(
        tenant_a,
        "a@example.org;A;;;;b@example.org;",
        "b@example.org;B;;;;c@example.org;",
        "c@example.org;C;;;;d@example.org;",
        "d@example.org;D;;;;a@example.org;",
        "e@example.org;E;;;;a@example.org;",  # reports into the circle, is not part of it
    )
    assert [bool(row.problems) for row in result.rows] == [True, True, True, True, False]
    assert "c@example.org → d@example.org → a@example.org → b@example.org → c@example.org" in result.rows[2].problems[0]


def test_a_cycle_through_an_existing_member_is_found(tenant_a):
    # Now: Eva reports to Mark. The file makes Mark report to Eva, without mentioning Eva.
    mark, eva = tenant_a.manager, tenant_a.employee
    row = only_row(import_preview(tenant_a, f"{mark.user.email};Mark;;;;{eva.user.email};"))
    assert row.problems == [
        f"The reporting line would go round in a circle: {mark.user.email} → {eva.user.email} → {mark.user.email}."
    ]


def test_the_file_can_untangle_existing_lines_it_overrides(tenant_a):
    # Eva reports to Mark now; the file turns that around in one go, which is no cycle.
    mark, eva = tenant_a.manager, tenant_a.employee
    result = import_preview(tenant_a, f"{mark.user.email};Mark;;;;{eva.user.email};", f"{eva.user.email};Eva;;;;;")
    assert not result.has_problems


def test_a_duplicate_email_marks_every_occurrence(tenant_a):
    result = import_preview(tenant_a, "jan@example.org;Jan;;;;;", "x@example.org;X;;;;;", "JAN@Example.org;Jan;;;;;")
    assert result.rows[0].problems == ["This email address is also on line 4; each person may appear once."]
    assert result.rows[1].problems == []
    assert result.rows[2].problems == ["This email address is also on line 2; each person may appear once."]


def test_values_longer_than_their_fields_are_row_problems(tenant_a):
    line = ";".join(["a" * 245 + "@example.org", "F" * 101, "L" * 151, "J" * 151, "T" * 121, "", ""])
    problems = only_row(import_preview(tenant_a, line)).problems
    assert problems == [
        "The email is too long: at most 254 characters, this one has 257.",
        "The first_name is too long: at most 100 characters, this one has 101.",
        "The last_name is too long: at most 150 characters, this one has 151.",
        "The job_title is too long: at most 150 characters, this one has 151.",
        "The team is too long: at most 120 characters, this one has 121.",
    ]


def test_values_at_their_limits_are_fine(tenant_a):
    line = ";".join(["a" * 242 + "@example.org", "F" * 100, "L" * 150, "J" * 150, "T" * 120, "", ""])
    assert not import_preview(tenant_a, line).has_problems


def test_a_deactivated_member_in_the_file_is_a_problem(tenant_a):
    olaf = tenant_a.outsider
    Employee.objects.filter(pk=olaf.pk).update(is_active=False)
    row = only_row(import_preview(tenant_a, f"{olaf.user.email};Olaf;;;;;"))
    assert "has been deactivated in this organisation" in row.problems[0]


def test_someone_with_a_login_elsewhere_is_simply_new_here(tenant_a, tenant_b):
    row = only_row(import_preview(tenant_a, f"{tenant_b.hr.user.email};Hanna;;;;;"))
    assert row.action == ACTION_NEW
    assert row.problems == []


def test_a_file_that_leaves_no_hr_admin_is_refused(tenant_a):
    hr = tenant_a.hr
    result = import_preview(tenant_a, f"{hr.user.email};Hanna;;;;;employee")
    assert result.problems == [
        "An organisation always keeps at least one active HR admin who can log in. Make someone else HR admin first."
    ]
    assert result.has_problems


def test_an_unreadable_stored_file_is_a_file_problem_not_an_error(tenant_a):
    result = people_import_preview(organization=tenant_a.organization, content="naam;functie\nJan;x\n")
    assert result.rows == []
    assert "email, first_name" in result.problems[0]


def test_the_preview_reads_the_same_number_of_queries_for_2_and_40_rows(tenant_a, django_assert_num_queries):
    teams = TeamFactory.create_batch(5, organization=tenant_a.organization)
    people = [
        EmployeeFactory(organization=tenant_a.organization, team=teams[n % 5], user=UserFactory()) for n in range(40)
    ]

    def lines(count):
        return [
            f"{person.user.email};{person.first_name};X;Y;{person.team.name};{tenant_a.manager.user.email};manager"
            for person in people[:count]
        ]

    with django_assert_num_queries(2):
        small = people_import_preview(organization=tenant_a.organization, content=people_csv(*lines(2)))
    with django_assert_num_queries(2):
        large = people_import_preview(organization=tenant_a.organization, content=people_csv(*lines(40)))
    assert small.counts["updated"] == 2
    assert large.counts["updated"] == 40


def test_the_preview_writes_nothing(tenant_a):
    before = (Employee.objects.count(), Team.objects.count())
    import_preview(tenant_a, "nieuw@example.org;Nina;;;Nieuw team;;")
    assert (Employee.objects.count(), Team.objects.count()) == before


def test_a_very_long_cycle_is_named_in_short(tenant_a):
    lines = [f"p{n}@example.org;P;;;;p{(n + 1) % 50}@example.org;" for n in range(50)]
    result = import_preview(tenant_a, *lines)
    assert all(row.problems for row in result.rows)
    assert result.rows[10].problems == [
        "The reporting line would go round in a circle: p10@example.org → p11@example.org → p12@example.org → "
        "p13@example.org → p14@example.org → p15@example.org → … → p10@example.org."
    ]
