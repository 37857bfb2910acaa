"""State moves that bypass save() (conditional and bulk updates) still reach the audit trail, through their service."""

import pytest
from django.contrib.contenttypes.models import ContentType

from expectations import services as expectation_services
from expectations.models import Status
from organizations import invitations
from organizations import services as people_services
from organizations.audit_models import AuditEntry
from organizations.importing import people_import_apply, people_import_create
from tests.factories import EmployeeFactory, ExpectationFactory, SuggestionFactory, TeamFactory

pytestmark = pytest.mark.django_db


def changes_of(instance):
    """The recorded changes about ``instance``, oldest first."""
    content_type = ContentType.objects.get_for_model(instance)
    return [
        entry.changes
        for entry in AuditEntry.objects.filter(content_type=content_type, object_id=instance.pk).order_by("pk")
    ]


def test_deactivating_and_reactivating_a_person_are_both_in_their_history(tenant_a):
    person = tenant_a.employee
    people_services.person_deactivate(employee=person, actor=tenant_a.hr)
    people_services.person_reactivate(employee=person)
    assert changes_of(person)[-2:] == [{"is_active": [True, False]}, {"is_active": [False, True]}]


def test_deleting_a_team_records_each_member_leaving_it(tenant_a):
    team = TeamFactory(organization=tenant_a.organization)
    members = [EmployeeFactory(organization=tenant_a.organization, team=team) for _ in range(2)]
    team_id = team.pk
    assert people_services.team_delete(team=team) == 2
    for member in members:
        assert changes_of(member)[-1] == {"team": [team_id, None]}


def test_accepting_an_invitation_records_when_the_person_joined(tenant_a):
    person = EmployeeFactory(organization=tenant_a.organization, joined_at=None)
    person.user.set_unusable_password()
    person.user.save()
    invitation = invitations.invitation_send(employee=person, actor=tenant_a.hr)
    token = "t0ken-for-the-test"
    invitation.token_hash = invitations.token_hash(token)
    invitation.save(update_fields=["token_hash"])
    invitations.invitation_accept(token=token, password="a long and fine password")
    (joined,) = [changes for changes in changes_of(person) if "joined_at" in changes]
    assert joined["joined_at"][0] is None and joined["joined_at"][1]


def test_an_import_records_new_people_changed_roles_and_new_managers(tenant_a):
    person = tenant_a.employee
    content = (
        "email,first_name,role,manager_email\n"
        f"{person.email},{person.first_name},manager,{tenant_a.hr.email}\n"
        f"nieuw@example.org,Nina,employee,{person.email}\n"
    )
    upload = people_import_create(
        organization=tenant_a.organization, uploaded_by=tenant_a.hr, file_name="mensen.csv", raw=content.encode()
    )
    people_import_apply(people_import=upload, actor=tenant_a.hr)
    changes = changes_of(person)
    assert {"role": ["employee", "manager"]} in changes
    assert {"manager": [tenant_a.manager.pk, tenant_a.hr.pk]} in changes
    newcomer = tenant_a.organization.employees.get(user__email="nieuw@example.org")
    assert changes_of(newcomer)[0]["first_name"] == [None, "Nina"]


def test_publishing_an_expectation_and_accepting_a_suggestion_are_recorded(tenant_a):
    expectation = ExpectationFactory(organization=tenant_a.organization, status=Status.SHARPENING)
    suggestion = SuggestionFactory(expectation=expectation, language="nl", text="Belt klanten binnen een dag terug.")
    expectation_services.suggestion_accept(suggestion=suggestion, actor=tenant_a.hr)
    assert changes_of(expectation.current_version)[-1]["behaviour_nl"][1] == "Belt klanten binnen een dag terug."
    expectation_services.expectation_back_to_draft(expectation=expectation)
    assert changes_of(expectation)[-1] == {"status": ["sharpening", "draft"]}
