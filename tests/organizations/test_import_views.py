"""The people import pages: upload, preview (also through htmx), confirm."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from organizations.models import Employee, PeopleImport, Team
from tests.factories import EmployeeFactory, UserFactory
from tests.kit import (
    assert_method_not_allowed,
    assert_other_organisation_gets_404,
    assert_refused,
    assert_role_forbidden,
    import_page,
    people_file,
    stored_import,
    url,
)

pytestmark = pytest.mark.django_db


def state():
    return (
        sorted(Employee.objects.values_list("organization_id", "user__email", "first_name", "job_title", "manager_id")),
        sorted(Team.objects.values_list("organization_id", "name")),
        User.objects.count(),
    )


def test_the_upload_page_explains_the_file_and_labels_its_input(tenant_a, hr):
    response = hr.get(url("organizations:import_upload", tenant_a.organization))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<label for="id_file">People file (CSV):</label>' in html or 'for="id_file"' in html
    assert 'hx-encoding="multipart/form-data"' in html
    assert "manager_email" in html and "semicolons" in html
    assert html.count("<h1") == 1


def test_uploading_a_file_stores_it_and_shows_the_preview_without_changing_anyone(tenant_a, hr):
    before = state()
    response = hr.post(
        url("organizations:import_upload", tenant_a.organization),
        {"file": people_file("piet@example.org;Piet;;;Verkoop;;")},
    )
    people_import = PeopleImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == import_page("preview", people_import)
    assert people_import.organization == tenant_a.organization
    assert people_import.uploaded_by == tenant_a.hr
    assert people_import.file_name == "people.csv"
    assert state() == before

    page = hr.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert "piet@example.org" in html
    assert "Confirm the import" in html
    assert "Verkoop" in html and "new team" in html


def test_the_happy_path_creates_exactly_the_people_in_the_file(tenant_a, hr):
    hr.post(
        url("organizations:import_upload", tenant_a.organization),
        {
            "file": people_file(
                "piet@example.org;Piet;P;;Verkoop;baas@example.org;", "baas@example.org;Bea;B;;;;manager"
            )
        },
    )
    people_import = PeopleImport.objects.get()
    people_before = set(Employee.objects.values_list("pk", flat=True))

    response = hr.post(import_page("apply", people_import), follow=True)

    assert response.redirect_chain[-1][0] == url("organizations:people_list", tenant_a.organization)
    assert "The people have been imported: 2 new, 0 updated, 0 unchanged." in response.content.decode()
    created = Employee.objects.exclude(pk__in=people_before).select_related("user", "manager")
    assert sorted((e.user.email, e.organization_id, e.manager.first_name if e.manager else None) for e in created) == [
        ("baas@example.org", tenant_a.organization.pk, None),
        ("piet@example.org", tenant_a.organization.pk, "Bea"),
    ]
    assert list(
        Team.objects.filter(organization=tenant_a.organization).order_by("name").values_list("name", flat=True)
    ) == [
        "Klantenservice",
        "Verkoop",
    ]


def test_an_htmx_upload_returns_the_preview_partial_and_pushes_its_address(tenant_a, hr):
    response = hr.post(
        url("organizations:import_upload", tenant_a.organization),
        {"file": people_file("piet@example.org;Piet;;;;;")},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    people_import = PeopleImport.objects.get()
    assert response.status_code == 200
    assert "<html" not in html and "<h1" not in html
    assert 'id="import-preview"' in html
    assert "Preview of people.csv" in html
    assert response["HX-Push-Url"] == import_page("preview", people_import)


def test_an_htmx_upload_of_a_bad_file_swaps_only_the_form_with_its_error(tenant_a, hr):
    binary = SimpleUploadedFile("people.xlsx", b"PK\x03\x04\x00\x00binary", content_type="application/octet-stream")
    response = hr.post(
        url("organizations:import_upload", tenant_a.organization), {"file": binary}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#import-form"
    assert response["HX-Reswap"] == "outerHTML"
    assert html.lstrip().startswith("<form") and "This is not a CSV text file." in html
    assert not PeopleImport.objects.exists()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("big.csv", b"email,first_name\n" + b"x" * 3000), "This file is larger than"),
        (SimpleUploadedFile("photo.csv", b"\x89PNG\r\n\x1a\n\x00\x00"), "This is not a CSV text file."),
        (SimpleUploadedFile("wrong.csv", b"name;title\nJan;x\n"), "the column email, first_name is missing"),
        (SimpleUploadedFile("empty.csv", b""), "The submitted file is empty."),
    ],
)
def test_an_unusable_file_gets_a_field_error_and_saves_nothing(tenant_a, hr, settings, upload, message):
    settings.PEOPLE_IMPORT_MAX_BYTES = 2000
    before = state()
    response = hr.post(url("organizations:import_upload", tenant_a.organization), {"file": upload})
    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert any(message in error for error in errors)
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not PeopleImport.objects.exists()
    assert state() == before


def test_a_tampered_form_without_a_file_gets_a_field_error(tenant_a, hr):
    response = hr.post(url("organizations:import_upload", tenant_a.organization), {"file": "not a file"})
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == ["This field is required."]
    assert not PeopleImport.objects.exists()


def test_a_preview_with_problems_highlights_the_rows_and_offers_the_upload_form_instead_of_confirming(tenant_a, hr):
    people_import = stored_import(tenant_a, "piet@example.org;Piet;;;;;", "kapot;Kapot;;;;;directeur")
    html = hr.get(import_page("preview", people_import)).content.decode()
    assert html.count('class="row-problem"') == 1
    assert "“kapot” is not a valid email address." in html
    assert "“directeur” is not a role" in html
    assert "Nothing can be imported yet." in html
    assert "Confirm the import" not in html
    assert 'id="import-form"' in html and 'type="file"' in html


def test_an_applied_import_says_so_and_offers_no_confirm_button(tenant_a, hr):
    people_import = stored_import(tenant_a, "piet@example.org;Piet;;;;;")
    hr.post(import_page("apply", people_import))
    html = hr.get(import_page("preview", people_import)).content.decode()
    assert "This file was imported on" in html
    assert "Confirm the import" not in html


def test_confirming_twice_applies_once_with_a_clear_message(tenant_a, hr):
    people_import = stored_import(tenant_a, "piet@example.org;Piet;;;;;")
    hr.post(import_page("apply", people_import))
    after_first = state()
    response = hr.post(import_page("apply", people_import), follow=True)
    assert response.redirect_chain[-1][0] == import_page("preview", people_import)
    assert "This file has already been imported." in response.content.decode()
    assert state() == after_first


def test_confirming_a_file_that_now_has_problems_saves_nothing_and_says_why(tenant_a, hr):
    people_import = stored_import(tenant_a, f"piet@example.org;Piet;;;;{tenant_a.manager.user.email};")
    Employee.objects.filter(pk=tenant_a.manager.pk).update(is_active=False)
    before = state()
    response = hr.post(import_page("apply", people_import), follow=True)
    assert "Nothing was imported" in response.content.decode()
    assert state() == before


def test_hr_of_another_organisation_gets_404_and_changes_nothing(client, tenant_a, tenant_b, stranger):
    people_import = stored_import(tenant_a, "piet@example.org;Piet;;;;;")
    # Through their own organisation's address, and through org A's.
    for name, method in (("organizations:import_preview", "get"), ("organizations:import_apply", "post")):
        own = url(name, tenant_b.organization, import_id=people_import.pk)
        assert_refused(client, stranger, own, 404, method)
        theirs = url(name, tenant_a.organization, import_id=people_import.pk)
        assert_other_organisation_gets_404(client, stranger, theirs, method)
    assert_other_organisation_gets_404(client, stranger, url("organizations:import_upload", tenant_a.organization))


@pytest.mark.parametrize("role", ["employee", "manager"])
def test_people_without_the_hr_role_get_403(client, tenant_a, role):
    people_import = stored_import(tenant_a, "piet@example.org;Piet;;;;;")
    member = tenant_a.member(role)
    upload = url("organizations:import_upload", tenant_a.organization)
    assert_role_forbidden(client, member, upload)
    assert_role_forbidden(client, member, upload, "post", {"file": people_file("x@example.org;X;;;;;")})
    assert_role_forbidden(client, member, import_page("preview", people_import))
    assert_role_forbidden(client, member, import_page("apply", people_import), "post")


def test_wrong_methods_get_405(tenant_a, hr):
    people_import = stored_import(tenant_a, "piet@example.org;Piet;;;;;")
    preview = import_page("preview", people_import)
    apply = import_page("apply", people_import)
    assert_method_not_allowed(hr, url("organizations:import_upload", tenant_a.organization), "delete")
    assert_method_not_allowed(hr, preview, "post")
    assert_method_not_allowed(hr, apply, ["get", "put"])


@pytest.mark.parametrize("import_id", ["abc", "-1", "0", "99999999999999999999999999", "1.5"])
def test_malformed_or_unknown_import_ids_get_404(client, tenant_a, import_id):
    for name, method in (("organizations:import_preview", "get"), ("organizations:import_apply", "post")):
        assert_refused(client, tenant_a.hr, url(name, tenant_a.organization, import_id=import_id), 404, method)


def test_an_htmx_request_for_the_preview_gets_the_partial(tenant_a, hr):
    people_import = stored_import(tenant_a, "piet@example.org;Piet;;;;;")
    response = hr.get(
        import_page("preview", people_import),
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "<html" not in response.content.decode()


def test_the_preview_page_reads_as_many_queries_for_40_rows_as_for_2(tenant_a, hr):
    people = [
        EmployeeFactory(organization=tenant_a.organization, user=UserFactory(), with_team=True) for _ in range(40)
    ]

    def lines(count):
        return [
            f"{p.user.email};{p.first_name};New;Job;{p.team.name};{tenant_a.manager.user.email};manager"
            for p in people[:count]
        ] + [f"new{n}@example.org;N;;;Nieuw;;" for n in range(count)]

    hr.get(url("organizations:people_list", tenant_a.organization))  # the session remembers this organisation once
    counts = []
    for count in (2, 40):
        people_import = stored_import(tenant_a, *lines(count))
        with CaptureQueriesContext(connection) as queries:
            response = hr.get(import_page("preview", people_import))
        assert response.status_code == 200
        assert response.content.decode().count('<span class="badge badge-warn">Update</span>') == count
        counts.append(len(queries))
    assert counts[0] == counts[1]
