"""Starting an organisation: the create_organization command and the platform pages for superusers."""

from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from organizations.models import Employee, Invitation, Organization, Role
from tests.kit import assert_nothing_changes, field_error, invitation_path, shown_messages

pytestmark = pytest.mark.django_db

START = {
    "name": "Acme BV",
    "slug": "acme",
    "language": "nl",
    "time_zone": "Europe/Amsterdam",
    "hr_email": "anna@acme.example",
    "hr_first_name": "Anna",
    "hr_last_name": "de Boer",
}


def run(*args):
    out = StringIO()
    call_command("create_organization", *args, stdout=out)
    return out.getvalue()


COMMAND = ["--slug", "acme", "--name", "Acme BV", "--time-zone", "Europe/Amsterdam", "--hr-email", "anna@acme.example"]


@pytest.fixture
def operator(client):
    user = User.objects.create_superuser("ops@helder.example", "secret-password-1")
    user.language = "en"
    user.save(update_fields=["language"])
    client.force_login(user)
    client.user = user
    return client


def test_the_command_creates_the_organisation_and_invites_its_first_hr_admin(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        out = run(*COMMAND, "--language", "en")

    organization = Organization.objects.get(slug="acme")
    admin = Employee.objects.get(organization=organization)
    assert (organization.name, organization.language, organization.time_zone) == ("Acme BV", "en", "Europe/Amsterdam")
    assert (admin.role, admin.user.email, admin.first_name, admin.has_joined) == (
        Role.HR_ADMIN,
        "anna@acme.example",
        "anna",
        False,
    )
    assert [message.to for message in mail.outbox] == [["anna@acme.example"]]
    assert invitation_path(mail.outbox[0]) in out  # the printed link is the mailed one


def test_running_the_command_twice_creates_nothing_and_invites_again_until_they_join(
    django_capture_on_commit_callbacks,
):
    run(*COMMAND)

    with django_capture_on_commit_callbacks(execute=True):
        out = run(*COMMAND)

    assert "nothing created" in out
    assert Organization.objects.filter(slug="acme").count() == 1
    assert Invitation.objects.filter(accepted_at__isnull=True, revoked_at__isnull=True).count() == 1
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (["--slug", "Bad_Slug"], "lower-case letters"),
        (["--slug", "platform"], "reserved"),
        (["--time-zone", "Mars/Olympus"], "not a known time zone"),
        (["--hr-email", "nobody"], "email address"),
    ],
)
def test_the_command_refuses_bad_values_with_a_clear_error_and_creates_nothing(change, message, tenant_a):
    arguments = list(COMMAND)
    index = arguments.index(change[0])
    arguments[index + 1] = change[1]

    with assert_nothing_changes(), pytest.raises(CommandError, match=message):
        run(*arguments)


def test_a_taken_slug_is_refused(tenant_a):
    arguments = ["--slug", tenant_a.organization.slug, "--name", "Another", "--hr-email", "x@example.org"]

    with assert_nothing_changes(), pytest.raises(CommandError, match="is taken"):
        run(*arguments)


def test_the_operator_lists_organisations_and_starts_one(operator, tenant_a, django_capture_on_commit_callbacks):
    listing = operator.get(reverse("platform:organization_list"))
    assert listing.status_code == 200
    assert tenant_a.organization.name in listing.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = operator.post(reverse("platform:organization_create"), START, follow=True)

    organization = Organization.objects.get(slug="acme")
    assert organization.employees.get().user.email == "anna@acme.example"
    assert "Acme BV is ready" in " ".join(shown_messages(response))
    assert [message.to for message in mail.outbox] == [["anna@acme.example"]]


def test_bad_input_on_the_platform_form_is_shown_translated_and_saves_nothing(operator, tenant_a):
    operator.user.language = "nl"
    operator.user.save(update_fields=["language"])

    with assert_nothing_changes():
        response = operator.post(
            reverse("platform:organization_create"), {**START, "slug": tenant_a.organization.slug, "time_zone": "X/Y"}
        )

    assert response.status_code == 200
    assert "geen bekende tijdzone" in field_error(response, "time_zone")


def test_a_taken_slug_on_the_platform_form_is_an_error_on_the_field(operator, tenant_a):
    with assert_nothing_changes():
        response = operator.post(reverse("platform:organization_create"), {**START, "slug": tenant_a.organization.slug})

    assert "is taken" in field_error(response, "slug")


def test_the_operator_sends_the_first_invitation_again_until_an_hr_admin_joined(
    operator, django_capture_on_commit_callbacks
):
    operator.post(reverse("platform:organization_create"), START)
    organization = Organization.objects.get(slug="acme")
    invite = reverse("platform:organization_invite", kwargs={"organization_id": organization.pk})

    with django_capture_on_commit_callbacks(execute=True):
        response = operator.post(invite, follow=True)

    assert "A new invitation went to anna@acme.example" in " ".join(shown_messages(response))
    admin = Employee.objects.get(organization=organization)
    admin.user.set_password("a-password-of-her-own")
    admin.user.save()
    Employee.objects.filter(pk=admin.pk).update(joined_at=timezone.now())
    with assert_nothing_changes():
        response = operator.post(invite, follow=True)
    assert "has already joined" in " ".join(shown_messages(response))


def test_an_unknown_organisation_id_gets_404(operator):
    assert operator.post(reverse("platform:organization_invite", kwargs={"organization_id": 999999})).status_code == 404
