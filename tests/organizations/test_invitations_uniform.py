"""HR cannot tell from Helder whether an address already has a login elsewhere (issue 9's inference, closed).

Adding a person by hand always invites them; an import invites every new
person when HR ticks the box, and nobody when HR does not. A new address and
one known in another organisation get the same messages, the same emails and
the same state on the people list.
"""

import re

import pytest
from django.core import mail

from organizations.models import Employee, Invitation
from tests.kit import import_page, shown_messages, uploaded_through_the_page, url

pytestmark = pytest.mark.django_db

NEW_ADDRESS = "nog.onbekend@example.org"


@pytest.fixture
def addresses(tenant_b):
    """A new address, and one whose login is Bram's, a member of Bravo only."""
    return {"new": NEW_ADDRESS, "known elsewhere": tenant_b.employee.email}


def status_on_people_list(hr, organization, email):
    """The status badge the people list shows beside ``email``."""
    html = hr.get(url("organizations:people_list", organization), {"q": email}).content.decode()
    (row,) = [row for row in re.findall(r"<tr>.*?</tr>", html, re.S) if email in row]
    return re.search(r'<span class="badge[^"]*">([^<]+)</span>', row).group(1)


def emails_to(address):
    return [message for message in mail.outbox if message.to == [address]]


def anonymous(texts, name, email):
    return [text.replace(name, "NAME").replace(email, "EMAIL") for text in texts]


def add_by_hand(hr, organization, email, capture):
    with capture(execute=True):
        return hr.post(
            url("organizations:person_create", organization),
            {"email": email, "first_name": "Noor", "last_name": "Jacobs", "role": "employee"},
            follow=True,
        )


def import_file(hr, organization, email, capture, *, invite):
    people_import = uploaded_through_the_page(hr, organization, f"{email};Noor;Jacobs;;;;")
    data = {"send_invitations": "on"} if invite else {}
    with capture(execute=True):
        return hr.post(import_page("apply", people_import), data, follow=True)


def test_the_add_person_form_says_an_invitation_will_be_sent(tenant_a, hr):
    response = hr.get(url("organizations:person_create", tenant_a.organization))
    assert response.context["form"].fields["email"].help_text == "An invitation is sent to this address."
    assert "An invitation is sent to this address." in response.content.decode()


def test_adding_by_hand_invites_a_new_address_and_a_known_one_alike(
    tenant_a, hr, addresses, django_capture_on_commit_callbacks
):
    answers = {}
    for kind, email in addresses.items():
        response = add_by_hand(hr, tenant_a.organization, email, django_capture_on_commit_callbacks)
        answers[kind] = (
            [status for _url, status in response.redirect_chain],
            anonymous(shown_messages(response), "Noor Jacobs", email),
            status_on_people_list(hr, tenant_a.organization, email),
            len(emails_to(email)),
        )
    assert answers["new"] == answers["known elsewhere"]
    assert answers["new"] == ([302], ["NAME has been added, and an invitation has been sent to EMAIL."], "Invited", 1)
    for email in addresses.values():
        place = Employee.objects.get(organization=tenant_a.organization, user__email=email)
        assert place.joined_at is None  # nobody gets in before accepting
        assert Invitation.objects.get(employee=place).is_usable


@pytest.mark.parametrize(
    ("invite", "message", "status", "sent"),
    [
        (True, "1 invitation has been sent.", "Invited", 1),
        (False, "No invitations have been sent; you can invite each new person from their page.", "Not invited", 0),
    ],
)
def test_an_import_treats_a_new_address_and_a_known_one_alike(
    tenant_a, hr, addresses, django_capture_on_commit_callbacks, invite, message, status, sent
):
    answers = {}
    for kind, email in addresses.items():
        response = import_file(hr, tenant_a.organization, email, django_capture_on_commit_callbacks, invite=invite)
        answers[kind] = (
            shown_messages(response),
            status_on_people_list(hr, tenant_a.organization, email),
            len(emails_to(email)),
        )
    assert answers["new"] == answers["known elsewhere"]
    imported = "The people have been imported: 1 new, 0 updated, 0 unchanged."
    assert answers["new"] == ([f"{imported} {message}"], status, sent)


def test_one_import_with_the_box_ticked_invites_every_new_person_and_nobody_else(
    tenant_a, hr, addresses, django_capture_on_commit_callbacks
):
    eva = tenant_a.employee
    lines = [f"{email};Noor;Jacobs;;;;" for email in addresses.values()] + [f"{eva.email};Eva;Anders;;;;"]
    people_import = uploaded_through_the_page(hr, tenant_a.organization, *lines)
    preview = hr.get(import_page("preview", people_import))
    box = preview.context["confirm_form"]["send_invitations"]
    assert box.label == "Send invitations to the 2 new people now"
    assert box.value() is True  # ticked unless HR unticks it
    (checkbox,) = re.findall(r'<input type="checkbox" name="send_invitations"[^>]*>', preview.content.decode())
    assert " checked" in checkbox

    with django_capture_on_commit_callbacks(execute=True):
        response = hr.post(
            url("organizations:import_apply", tenant_a.organization, import_id=people_import.pk),
            {"send_invitations": "on"},
            follow=True,
        )
    assert shown_messages(response) == [
        "The people have been imported: 2 new, 1 updated, 0 unchanged. 2 invitations have been sent."
    ]
    assert sorted(message.to[0] for message in mail.outbox) == sorted(addresses.values())
    assert not Invitation.objects.filter(employee=eva).exists()
    people_import.refresh_from_db()
    assert people_import.summary["invited"] == 2


def test_a_preview_without_new_people_offers_no_box(tenant_a, hr):
    eva = tenant_a.employee
    people_import = uploaded_through_the_page(hr, tenant_a.organization, f"{eva.email};Eva;Anders;;;;")
    html = hr.get(import_page("preview", people_import)).content
    assert b"Confirm the import" in html
    assert b"send_invitations" not in html
