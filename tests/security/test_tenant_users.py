"""One organisation's HR cannot act on another organisation's users: not log them out, not learn their addresses."""

import pytest
from allauth.usersessions.models import UserSession
from django.contrib.sessions.models import Session
from django.core import mail

from accounts.models import User
from organizations import services
from organizations.models import Employee, Invitation
from tests.kit import browser_logged_in, person_form, shown_messages, url

pytestmark = pytest.mark.django_db


def edit_email(hr, person, email):
    page = url("organizations:person_edit", person.organization, employee_id=person.pk)
    return hr.post(page, person_form(person, email=email), follow=True)


def test_hr_adding_and_deactivating_another_organisations_login_leaves_its_session_there(
    tenant_a, tenant_b, hr, django_capture_on_commit_callbacks
):
    bram = tenant_b.employee
    browser = browser_logged_in(bram.email)
    bravo = url("organizations:home", tenant_b.organization)
    assert browser.get(bravo).status_code == 200
    session_key = browser.session.session_key

    with django_capture_on_commit_callbacks(execute=True):
        place = services.person_create(organization=tenant_a.organization, email=bram.email, first_name="Bram")
        response = hr.post(
            url("organizations:person_deactivate", tenant_a.organization, employee_id=place.pk), {"confirm": "yes"}
        )
    assert response.status_code == 302
    assert not Employee.objects.get(pk=place.pk).is_active

    assert Session.objects.filter(session_key=session_key).exists()
    assert UserSession.objects.filter(user=bram.user).exists()
    assert User.objects.get(pk=bram.user_id).is_active
    assert browser.get(bravo).status_code == 200


def test_doing_it_again_and_again_logs_nobody_out(tenant_a, tenant_b, hr, django_capture_on_commit_callbacks):
    bram = tenant_b.employee
    browser = browser_logged_in(bram.email)
    place = services.person_create(organization=tenant_a.organization, email=bram.email, first_name="Bram")
    for _attempt in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            hr.post(
                url("organizations:person_deactivate", tenant_a.organization, employee_id=place.pk), {"confirm": "yes"}
            )
            hr.post(url("organizations:person_reactivate", tenant_a.organization, employee_id=place.pk))
    assert browser.get(url("organizations:home", tenant_b.organization)).status_code == 200


def test_deactivating_a_login_used_only_here_still_logs_it_out(tenant_a, hr, django_capture_on_commit_callbacks):
    browser = browser_logged_in(tenant_a.employee.email)
    with django_capture_on_commit_callbacks(execute=True):
        hr.post(
            url("organizations:person_deactivate", tenant_a.organization, employee_id=tenant_a.employee.pk),
            {"confirm": "yes"},
        )
    assert not UserSession.objects.filter(user=tenant_a.employee.user).exists()
    assert browser.get(url("organizations:home", tenant_a.organization)).status_code == 302


def test_an_address_known_elsewhere_gets_the_same_answer_as_an_unknown_one(
    tenant_a, tenant_b, hr, django_capture_on_commit_callbacks
):
    eva, olaf = tenant_a.employee, tenant_a.outsider
    answers = []
    for person, address in [(eva, tenant_b.employee.email), (olaf, "nobody.yet@elsewhere.example")]:
        sent = len(mail.outbox)
        with django_capture_on_commit_callbacks(execute=True):
            response = edit_email(hr, person, address)
        page = hr.get(url("organizations:person_detail", tenant_a.organization, employee_id=person.pk))
        invitations = [message.to for message in mail.outbox[sent:] if message.to == [address]]
        answers.append(
            (
                [status for _url, status in response.redirect_chain],
                [text.replace(person.full_name, "NAME") for text in shown_messages(response)],
                "Invited; the link is valid until" in page.content.decode(),
                len(invitations),
            )
        )
    assert answers[0] == answers[1]
    assert answers[0] == ([302], ["The changes to NAME have been saved."], True, 1)


def test_a_membership_moved_to_a_login_of_another_organisation_stays_shut_until_its_owner_accepts(
    tenant_a, tenant_b, hr, django_capture_on_commit_callbacks
):
    eva, bram = tenant_a.employee, tenant_b.employee
    with django_capture_on_commit_callbacks(execute=True):
        edit_email(hr, eva, bram.email)
    place = Employee.objects.get(pk=eva.pk)
    assert place.user_id == bram.user_id and place.joined_at is None
    assert Invitation.objects.filter(employee=place, accepted_at=None, revoked_at=None).count() == 1
    assert browser_logged_in(bram.email).get(url("organizations:home", tenant_a.organization)).status_code == 404
    assert User.objects.get(pk=bram.user_id).email == bram.email  # the other organisation's login is untouched


@pytest.mark.parametrize(("language", "expected"), [("en", "en"), ("", "nl")])
def test_the_old_address_is_told_in_its_own_language_when_the_place_moves_away(
    tenant_a, hr, django_capture_on_commit_callbacks, language, expected
):
    eva = tenant_a.employee
    User.objects.filter(pk=eva.user_id).update(language=language)
    old_address = eva.email
    with django_capture_on_commit_callbacks(execute=True):
        edit_email(hr, eva, "eva.new@alfa.example")
    notices = [message for message in mail.outbox if message.to == [old_address]]
    assert len(notices) == 1
    assert f'<html lang="{expected}">' in notices[0].alternatives[0][0]
    if expected == "en":
        assert notices[0].subject == "Your access to Alfa BV in Helder has moved to another address"
    assert old_address in notices[0].body and "Alfa BV" in notices[0].body
    # The old login opened only Alfa, so it is switched off with the place gone.
    assert not User.objects.get(pk=eva.user_id).is_active


def test_a_login_nobody_ever_used_is_renamed_and_nobody_is_told(tenant_a, hr, django_capture_on_commit_callbacks):
    eva = tenant_a.employee
    User.objects.filter(pk=eva.user_id).update(password="!unusable")
    with django_capture_on_commit_callbacks(execute=True):
        edit_email(hr, eva, "eva.new@alfa.example")
    assert User.objects.get(pk=eva.user_id).email == "eva.new@alfa.example"
    assert [message.to for message in mail.outbox] == [["eva.new@alfa.example"]]  # the invitation only
