"""A role cell that names no role shows as invalid in the preview, never as the role the person would keep."""

import re

import pytest

from tests.kit import import_page, import_preview, stored_import

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

PROBLEM = "“directeur” is not a role; use employee, manager or hr_admin."


def test_an_unknown_role_for_someone_new_is_a_problem_and_not_shown_as_employee(tenant_a):
    (row,) = import_preview(tenant_a, "nieuw@example.org;Nina;;;;;directeur").rows
    assert row.problems == [PROBLEM]
    assert row.role_invalid
    assert row.role is None
    assert row.role_label == ""


def test_an_unknown_role_for_an_existing_manager_is_not_shown_as_keeping_their_role(tenant_a):
    mark = tenant_a.manager
    (row,) = import_preview(tenant_a, f"{mark.user.email};Mark;;;;;Directeur").rows
    assert row.problems == ["“Directeur” is not a role; use employee, manager or hr_admin."]
    assert row.role_label == ""
    assert row.action is None


def test_a_known_role_word_is_still_shown_by_its_label(tenant_a):
    (row,) = import_preview(tenant_a, "nieuw@example.org;Nina;;;;;leidinggevende").rows
    assert not row.role_invalid
    assert row.role_label == "Manager"


def test_the_preview_page_shows_the_word_as_no_role_in_the_role_column(tenant_a, hr):
    people_import = stored_import(tenant_a, "nieuw@example.org;Nina;;;;;directeur", "goed@example.org;Goed;;;;;")
    html = hr.get(import_page("preview", people_import)).content
    rows = re.findall(r"<tr[^>]*>.*?</tr>", html.decode(), re.S)
    invalid = next(row for row in rows if "nieuw@example.org" in row)
    valid = next(row for row in rows if "goed@example.org" in row)
    role_cell = re.findall(r"<td>(.*?)</td>", invalid, re.S)[6]
    assert re.sub(r"<[^>]+>", "", role_cell).split() == ["directeur", "not", "a", "role"]
    assert "Employee" not in invalid
    assert PROBLEM in invalid
    assert "<td>Employee</td>" in valid
