"""The audit trail: every registered change is filed under its own organisation, with who made it, and no secret."""

import datetime
import json
import secrets

import pytest
from auditlog.registry import auditlog
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django_scopes import ScopeError, scope, scopes_disabled

from accounts.models import User
from cycles import reminder_rules
from cycles import services as cycle_services
from cycles.models import CycleStatus, ReminderRule
from expectations import services as expectation_services
from expectations.models import Expectation, ExpectationVersion
from organizations import audit, invitations, selectors
from organizations import services as people_services
from organizations.audit_models import AuditEntry
from organizations.models import Employee, Role
from tests.factories import (
    PASSWORD,
    ConversationFactory,
    CoreValueFactory,
    CycleFactory,
    EmployeeFactory,
    ExpectationFactory,
    MomentFactory,
    OrganizationFactory,
    TeamFactory,
)
from tests.kit import person_form, url

pytestmark = pytest.mark.django_db

D, T = datetime.date, datetime.time


def entries_of(instance, pk=None):
    """The entries about ``instance`` (deleted: give its ``pk``), oldest first (read unscoped, as fixtures run)."""
    content_type = ContentType.objects.get_for_model(instance)
    return list(AuditEntry.objects.filter(content_type=content_type, object_id=pk or instance.pk).order_by("pk"))


def test_hrs_change_of_a_persons_role_team_and_manager_is_filed_under_the_organisation_as_hrs(tenant_a, hr):
    other_team = TeamFactory(organization=tenant_a.organization, name="Ontwikkeling")
    person = tenant_a.employee
    response = hr.post(
        url("organizations:person_edit", tenant_a.organization, employee_id=person.pk),
        person_form(person, role=Role.MANAGER, team=other_team.pk, manager=tenant_a.hr.pk),
    )
    assert response.status_code == 302
    entry = entries_of(person)[-1]
    assert entry.organization_id == tenant_a.organization.pk
    assert entry.actor_employee == tenant_a.hr
    assert entry.actor_id == tenant_a.hr.user_id
    assert entry.action == AuditEntry.Action.UPDATE
    assert entry.changes == {
        "role": ["employee", "manager"],
        "team": [tenant_a.team.pk, other_team.pk],
        "manager": [tenant_a.manager.pk, tenant_a.hr.pk],
    }


# Each registered model, changed through its own service while HR acts: (what changed, a field it must name).


def _expectation(tenant):
    expectation = ExpectationFactory(organization=tenant.organization)
    version = expectation.current_version
    other_value = CoreValueFactory(organization=tenant.organization)
    expectation_services.expectation_update(
        expectation=expectation,
        actor=tenant.hr,
        core_value=other_value,
        weight=version.weight,
        **{name: getattr(version, name) for name in expectation_services.VERSION_FIELDS},
    )
    return expectation, "core_value"


def _expectation_version(tenant):
    expectation = ExpectationFactory(organization=tenant.organization)
    version = expectation.current_version
    expectation_services.expectation_update(
        expectation=expectation,
        actor=tenant.hr,
        core_value=expectation.core_value,
        weight=version.weight,
        **{
            **{name: getattr(version, name) for name in expectation_services.VERSION_FIELDS},
            "title_en": "Listens first",
        },
    )
    # A published expectation gets a new version: its creation is the entry, with the new wording.
    return ExpectationVersion.objects.get(expectation=expectation, number=2), "title_en"


def _cycle(tenant):
    cycle = cycle_services.cycle_create(
        organization=tenant.organization, name="2027", starts_on=D(2027, 1, 1), ends_on=D(2027, 12, 31)
    )
    cycle_services.cycle_update(
        cycle=cycle, name="Jaar 2027", starts_on=cycle.starts_on, ends_on=cycle.ends_on, for_everyone=True, teams=[]
    )
    return cycle, "name"


def _moment(tenant):
    moment = MomentFactory(cycle=CycleFactory(organization=tenant.organization))
    cycle_services.moment_save(cycle=moment.cycle, moment=moment, purpose_en="Look back on the first half year.")
    return moment, "purpose_en"


def _conversation(tenant):
    cycle = CycleFactory(organization=tenant.organization, status=CycleStatus.ACTIVE)
    moment = MomentFactory(cycle=cycle, opens_on=D(2027, 3, 1), closes_on=D(2027, 11, 30))
    conversation = ConversationFactory(moment=moment, employee=tenant.employee)
    cycle_services.conversation_schedule(conversation=conversation, day=D(2027, 6, 8), at=T(10, 0), location="Zaal 2")
    return conversation, "state"


def _reminder_rule(tenant):
    cycle = CycleFactory(organization=tenant.organization)
    reminder_rules.reminder_rules_default(cycle=cycle)
    rule = ReminderRule.objects.filter(cycle=cycle).first()
    reminder_rules.reminder_rule_save(cycle=cycle, rule=rule, offset_days=rule.offset_days - 1)
    return rule, "offset_days"


@pytest.mark.parametrize(
    "change",
    [_expectation, _expectation_version, _cycle, _moment, _conversation, _reminder_rule],
    ids=lambda f: f.__name__,
)
def test_each_audited_kind_of_row_records_its_change_with_its_organisation_and_the_acting_person(
    tenant_a, tenant_b, change
):
    with audit.acting_as(tenant_a.hr):
        changed, field = change(tenant_a)
    entry = entries_of(changed)[-1]
    assert field in entry.changes
    assert entry.organization_id == tenant_a.organization.pk
    assert (entry.actor_employee, entry.actor_id) == (tenant_a.hr, tenant_a.hr.user_id)


def test_a_change_made_without_anyone_acting_reads_as_helders_own(tenant_a):
    with translation.override("en"):
        cycle = CycleFactory(organization=tenant_a.organization)
        entry = selectors.history(organization=tenant_a.organization, objects=[cycle]).object_list[0]
    assert entries_of(cycle)[0].actor_employee is None
    assert entry.actor == "Helder (automatic)"


def test_someone_acting_in_another_organisation_is_not_stored_as_the_actor(tenant_a, tenant_b):
    with audit.acting_as(tenant_b.hr):
        cycle = CycleFactory(organization=tenant_a.organization)
    entry = entries_of(cycle)[0]
    assert entry.organization_id == tenant_a.organization.pk
    assert entry.actor_employee is None  # only the login, whose name in Alfa the history looks up


def test_teams_joining_and_leaving_a_cycle_are_recorded_by_name(tenant_a):
    cycle = CycleFactory(organization=tenant_a.organization)
    dates = {"name": cycle.name, "starts_on": cycle.starts_on, "ends_on": cycle.ends_on}
    cycle_services.cycle_update(cycle=cycle, for_everyone=False, teams=[tenant_a.team], **dates)
    cycle_services.cycle_update(cycle=cycle, for_everyone=True, teams=[], **dates)
    teams = [entry.changes["teams"] for entry in entries_of(cycle) if "teams" in entry.changes]
    team = tenant_a.team.pk
    assert teams == [
        {"type": "m2m", "operation": "add", "objects": ["Klantenservice"], "pks": [team]},
        {"type": "m2m", "operation": "delete", "objects": ["Klantenservice"], "pks": [team]},
    ]


def test_clearing_an_audience_names_only_the_teams_it_had_never_another_organisations(tenant_a, tenant_b):
    TeamFactory(organization=tenant_b.organization, name="Bravo geheim")
    second = TeamFactory(organization=tenant_a.organization, name="Ontwikkeling")
    expectation = ExpectationFactory(organization=tenant_a.organization)
    expectation.teams.set([tenant_a.team, second])
    expectation.teams.clear()
    last = entries_of(expectation)[-1]
    assert last.changes == {
        "teams": {
            "type": "m2m",
            "operation": "delete",
            "objects": ["Klantenservice", "Ontwikkeling"],
            "pks": [tenant_a.team.pk, second.pk],
        }
    }


def test_a_team_added_from_the_teams_side_is_recorded_on_the_cycle(tenant_a):
    cycle = CycleFactory(organization=tenant_a.organization)
    tenant_a.team.cycles.add(cycle)
    assert entries_of(cycle)[-1].changes == {
        "teams": {"type": "m2m", "operation": "add", "objects": ["Klantenservice"], "pks": [tenant_a.team.pk]}
    }


def test_a_conditional_update_is_recorded_with_the_values_it_replaced(tenant_a):
    person = tenant_a.employee  # as loaded: active
    now = datetime.datetime(2027, 5, 3, 9, 0, tzinfo=datetime.UTC)
    with audit.acting_as(tenant_a.hr):
        Employee.objects.filter(pk=person.pk, is_active=True).update(is_active=False, deactivated_at=now)
        entry = audit.record_update(person, is_active=False, deactivated_at=now)
    assert entry.changes == {"is_active": [True, False]}  # deactivated_at is not a logged field
    assert (entry.organization_id, entry.actor_employee) == (tenant_a.organization.pk, tenant_a.hr)


def test_a_conditional_update_that_changed_no_logged_field_records_nothing(tenant_a):
    before = len(entries_of(tenant_a.employee))
    assert audit.record_update(tenant_a.employee, is_active=True, deactivated_at=None) is None
    assert len(entries_of(tenant_a.employee)) == before


def test_an_activation_is_one_entry_on_the_cycle_that_says_how_many_conversations_it_created(tenant_a):
    cycle = CycleFactory(organization=tenant_a.organization)
    audit.record_update(cycle, status=CycleStatus.ACTIVE, via="cycle_activation", count=30)
    with translation.override("en"):
        entry = selectors.history(organization=tenant_a.organization, objects=[cycle]).object_list[0]
    assert entry.reason == "on activation: 30 conversations created"
    assert [(change.label, change.old, change.new) for change in entry.changes] == [
        ("Status", "Being prepared", "Active")
    ]


def test_an_unknown_reason_is_refused_rather_than_shown_as_nothing(tenant_a):
    with pytest.raises(ValueError, match="unknown audit reason"):
        audit.record_update(tenant_a.employee, role=Role.MANAGER, via="because")


def _bulk(organization, hr, count):
    team = TeamFactory(organization=organization)
    created = [EmployeeFactory(organization=organization) for _ in range(count)]
    with audit.acting_as(hr), CaptureQueriesContext(connection) as queries:
        audit.record_creates(created, via="people_import")
        audit.record_updates(
            [(person, {"team": team, "role": Role.MANAGER}) for person in created], via="people_import"
        )
    return created, len(queries)


def test_bulk_changes_record_one_entry_per_person_in_the_same_number_of_queries_for_3_as_for_30(tenant_a):
    _few, few_queries = _bulk(tenant_a.organization, tenant_a.hr, 3)
    many, many_queries = _bulk(tenant_a.organization, tenant_a.hr, 30)
    assert few_queries == many_queries
    entries = entries_of(many[0])
    created, updated = entries[-2], entries[-1]
    assert created.action == AuditEntry.Action.CREATE and created.changes["first_name"][1] == many[0].first_name
    assert set(updated.changes) == {"team", "role"}
    assert {entry.additional_data["via"] for entry in (created, updated)} == {"people_import"}
    assert {entry.actor_employee for entry in (created, updated)} == {tenant_a.hr}


def test_a_model_without_an_organisation_cannot_be_registered():
    with pytest.raises(ImproperlyConfigured):
        audit.register(User, fields=("email",))
    assert not auditlog.contains(User)


def test_an_entry_filed_under_another_organisation_never_shows_even_for_the_same_object(tenant_a, tenant_b):
    person = tenant_a.employee
    with audit.acting_as(tenant_a.hr):
        mine = audit.record_update(person, job_title="Teamleider")
    forged = AuditEntry.objects.create(
        organization=tenant_b.organization,
        content_type=ContentType.objects.get_for_model(person),
        object_pk=str(person.pk),
        object_id=person.pk,
        object_repr="Bravo's note",
        action=AuditEntry.Action.UPDATE,
        changes={"job_title": ["x", "Bravo geheim"]},
    )
    shown = selectors.history(organization=tenant_a.organization, objects=[Employee.objects.filter(pk=person.pk)])
    subjects = [entry.subject for entry in shown.object_list]
    assert forged.object_repr not in subjects
    assert mine.object_repr in subjects


@pytest.mark.scoped
def test_reading_the_trail_outside_a_scope_raises():
    with scopes_disabled():
        organization = OrganizationFactory(slug="alfa")
        person = EmployeeFactory(organization=organization)
    with pytest.raises(ScopeError):
        list(AuditEntry.objects.all())
    with pytest.raises(ScopeError):
        selectors.history(organization=organization, objects=[person])


@pytest.mark.scoped
def test_inside_a_scope_the_trail_holds_only_that_organisations_entries():
    with scopes_disabled():
        alfa, bravo = OrganizationFactory(slug="alfa"), OrganizationFactory(slug="bravo")
        mine = EmployeeFactory(organization=alfa)
        EmployeeFactory(organization=bravo)
    with scope(organization=alfa):
        entries = list(AuditEntry.objects.all())
    assert [(entry.organization_id, entry.object_id) for entry in entries] == [(alfa.pk, mine.pk)]


def test_no_token_token_hash_or_password_ever_reaches_the_trail(
    tenant_a, monkeypatch, django_capture_on_commit_callbacks
):
    made = []
    real = secrets.token_urlsafe

    def remembered(size=None):
        made.append(real(size))
        return made[-1]

    monkeypatch.setattr(secrets, "token_urlsafe", remembered)
    new_password = "a new password nobody may read 42"
    with audit.acting_as(tenant_a.hr), django_capture_on_commit_callbacks(execute=True):
        person = people_services.person_create(
            organization=tenant_a.organization, email="nieuw@example.org", first_name="Nina", actor=tenant_a.hr
        )
        people_services.invitation_send(employee=person, actor=tenant_a.hr)
        invitations.invitation_accept(token=made[-1], password=new_password)
        people_services.person_update(employee=person, email="nina@example.org", actor=tenant_a.hr)
        cycle_services.feed_for(employee=person)
        cycle_services.feed_regenerate(employee=person)
        tenant_a.employee.user.set_password(new_password)
        tenant_a.employee.user.save()
    assert len(made) >= 4  # two invitations, two calendar addresses
    with scopes_disabled():
        trail = json.dumps(
            [
                [entry.changes, entry.additional_data, entry.serialized_data, entry.object_repr, entry.changes_text]
                for entry in AuditEntry.objects.all()
            ],
            default=str,
        )
    assert "Nina" in trail  # the trail did record these people
    secrets_seen = made + [invitations.token_hash(token) for token in made]
    secrets_seen += [new_password, PASSWORD] + list(User.objects.values_list("password", flat=True))
    assert [secret for secret in secrets_seen if secret in trail] == []


def test_no_logged_field_is_named_like_a_secret():
    logged = {
        model.__name__: auditlog.get_model_fields(model)["include_fields"]
        for model in auditlog.get_models()
        if model in (Employee, Expectation, ExpectationVersion) or model._meta.app_label == "cycles"
    }
    assert len(logged) == 8  # Employee, Expectation, ExpectationVersion and five of cycles (Nudge included)
    named = [(model, name) for model, names in logged.items() for name in names if "token" in name or "pass" in name]
    assert named == []


def test_removing_a_moment_from_a_cycle_being_prepared_is_recorded(tenant_a):
    moment = MomentFactory(cycle=CycleFactory(organization=tenant_a.organization))
    pk = moment.pk
    with audit.acting_as(tenant_a.hr):
        cycle_services.moment_delete(moment=moment)
    entry = entries_of(moment, pk)[-1]
    assert entry.action == AuditEntry.Action.DELETE
    assert (entry.organization_id, entry.actor_employee) == (tenant_a.organization.pk, tenant_a.hr)


def test_a_cycles_conversations_go_with_it_without_an_entry_each(tenant_a):
    cycle = CycleFactory(organization=tenant_a.organization)
    conversation = ConversationFactory(moment=MomentFactory(cycle=cycle), employee=tenant_a.employee)
    cycle_pk, conversation_pk = cycle.pk, conversation.pk
    cycle.delete()
    assert entries_of(cycle, cycle_pk)[-1].action == AuditEntry.Action.DELETE
    assert [entry.action for entry in entries_of(conversation, conversation_pk)] == [AuditEntry.Action.CREATE]


def test_deleting_an_organisation_takes_its_trail_with_it(tenant_a, tenant_b):
    MomentFactory(cycle=CycleFactory(organization=tenant_a.organization))
    organization_id = tenant_a.organization.pk
    tenant_a.organization.delete()
    connection.check_constraints()  # no entry written in the cascade points at the removed organisation
    assert not AuditEntry.objects.filter(organization_id=organization_id).exists()
    assert AuditEntry.objects.filter(organization=tenant_b.organization).exists()


@pytest.mark.scoped
def test_a_change_saved_outside_any_scope_is_still_recorded_only_reading_needs_a_scope():
    with scopes_disabled():
        organization = OrganizationFactory(slug="alfa")
        cycle = CycleFactory(organization=organization)
    cycle.name = "Jaar 2027"
    cycle.save()  # a command that forgot its scope: the change is not refused, and not lost from the trail
    with scope(organization=organization):
        last = AuditEntry.objects.filter(object_id=cycle.pk).latest("pk")
    assert last.changes["name"][1] == "Jaar 2027"
