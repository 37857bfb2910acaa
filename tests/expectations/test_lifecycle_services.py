"""The lifecycle services: the cap, versions, what publishing needs, retiring, weights, managers' proposals, races."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import override

from expectations import selectors, services
from expectations.models import Expectation, ExpectationVersion, Status
from organizations.models import Role
from tests.factories import (
    CoreValueFactory,
    EmployeeFactory,
    EndorsementFactory,
    ExpectationFactory,
    TeamFactory,
    draft_expectation,
)

pytestmark = pytest.mark.django_db

WORDING = {
    "title_nl": "Feedback vragen",
    "title_en": "Asking for feedback",
    "behaviour_nl": "Je vraagt binnen een week na oplevering feedback aan de klant.",
    "behaviour_en": "You ask the customer for feedback within a week of delivery.",
    "examples_yes_nl": "Je belt de klant op vrijdag.",
    "examples_yes_en": "You call the customer on Friday.",
    "examples_not_yet_nl": "Je wacht tot de klant klaagt.",
    "examples_not_yet_en": "You wait until the customer complains.",
}


def published(tenant, count, **kwargs):
    return [ExpectationFactory(organization=tenant.organization, **kwargs) for _ in range(count)]


def test_publishing_a_sixth_applicable_expectation_is_refused_naming_the_team_and_people(tenant_a):
    published(tenant_a, 5, weight=20)
    sixth = draft_expectation(tenant_a.organization)
    with override("en"), pytest.raises(ValidationError) as excinfo:
        services.expectation_publish(expectation=sixth)
    assert excinfo.value.messages == [
        "This would give more than 5 expectations to people in: Klantenservice (2 people, would have 6); "
        "people without a team (2 people, would have 6). "
        "Retire an expectation for them first, narrow the audience, or raise the maximum."
    ]
    sixth.refresh_from_db()
    assert sixth.status == Status.DRAFT
    assert sixth.current_version.published_at is None


def test_the_cap_message_says_person_for_a_team_of_one(tenant_a):
    solo = TeamFactory(organization=tenant_a.organization, name="Solo")
    EmployeeFactory(organization=tenant_a.organization, team=solo)
    published(tenant_a, 5, teams=[solo])
    with override("en"), pytest.raises(ValidationError) as excinfo:
        services.expectation_publish(expectation=draft_expectation(tenant_a.organization, teams=[solo]))
    assert "Solo (1 person, would have 6)" in excinfo.value.messages[0]
    assert "Klantenservice" not in excinfo.value.messages[0]


def test_a_team_only_expectation_counts_only_for_that_team(tenant_a):
    other = TeamFactory(organization=tenant_a.organization, name="Ontwikkeling")
    EmployeeFactory(organization=tenant_a.organization, team=other)
    published(tenant_a, 5, teams=[tenant_a.team])
    # Another team has room: publishing for it is fine.
    for_other = draft_expectation(tenant_a.organization, teams=[other])
    services.expectation_publish(expectation=for_other)
    assert Expectation.objects.get(pk=for_other.pk).status == Status.PUBLISHED
    # For everyone it would push Klantenservice to 6 (the others have 1 or 2): only that team is named.
    with override("en"), pytest.raises(ValidationError) as excinfo:
        services.expectation_publish(expectation=draft_expectation(tenant_a.organization))
    message = excinfo.value.messages[0]
    assert "Klantenservice (2 people, would have 6)" in message
    assert "Ontwikkeling" not in message
    assert "without a team" not in message


def test_a_team_without_people_never_blocks_publishing(tenant_a):
    empty = TeamFactory(organization=tenant_a.organization, name="Leeg")
    published(tenant_a, 5, teams=[empty])
    services.expectation_publish(expectation=draft_expectation(tenant_a.organization, teams=[empty]))


def test_editing_a_published_expectation_creates_version_2_and_leaves_version_1_as_it_was(tenant_a):
    expectation = ExpectationFactory(organization=tenant_a.organization, weight=30, title="Oud")
    version_1 = expectation.current_version
    before = {field: getattr(version_1, field) for field in WORDING} | {"weight": 30, "number": 1}
    revision = expectation.wording_revision
    services.expectation_update(
        expectation=expectation,
        actor=tenant_a.hr,
        core_value=expectation.core_value,
        weight=25,
        **{**WORDING, "title_nl": "Nieuw"},
    )
    expectation.refresh_from_db()
    assert expectation.status == Status.PUBLISHED
    assert list(expectation.versions.order_by("number").values_list("number", flat=True)) == [1, 2]
    current = expectation.current_version
    assert (current.number, current.title_nl, current.weight) == (2, "Nieuw", 25)
    assert current.published_at is not None
    assert current.created_by == tenant_a.hr
    version_1.refresh_from_db()
    assert {field: getattr(version_1, field) for field in WORDING} | {
        "weight": version_1.weight,
        "number": version_1.number,
    } == before
    # A published expectation's versions carry the wording; the sharpening revision is for drafts.
    assert expectation.wording_revision == revision


def test_editing_a_draft_edits_in_place_and_bumps_the_revision_only_when_the_wording_changes(tenant_a):
    expectation = draft_expectation(tenant_a.organization)
    version = expectation.current_version
    wording = {field: getattr(version, field) for field in WORDING}
    services.expectation_update(
        expectation=expectation, actor=tenant_a.hr, core_value=expectation.core_value, weight=35, **wording
    )
    expectation.refresh_from_db()
    assert expectation.versions.count() == 1
    assert expectation.current_version_id == version.pk
    assert expectation.current_version.weight == 35
    assert expectation.wording_revision == 1  # only the weight changed
    services.expectation_update(
        expectation=expectation,
        actor=tenant_a.hr,
        core_value=expectation.core_value,
        weight=35,
        **{**wording, "behaviour_nl": "Je belt de klant binnen vijf werkdagen."},
    )
    expectation.refresh_from_db()
    assert expectation.versions.count() == 1
    assert expectation.current_version.behaviour_nl == "Je belt de klant binnen vijf werkdagen."
    assert expectation.wording_revision == 2


def test_a_changed_wording_in_sharpening_needs_new_endorsements(tenant_a):
    expectation = draft_expectation(tenant_a.organization)
    Expectation.objects.filter(pk=expectation.pk).update(
        status=Status.SHARPENING, sharpening_closes_on=timezone.localdate()
    )
    EndorsementFactory(expectation=expectation, employee=tenant_a.employee)
    services.expectation_update(
        expectation=expectation,
        actor=tenant_a.hr,
        core_value=expectation.core_value,
        **{**WORDING, "behaviour_nl": "Anders geformuleerd."},
    )
    expectation = selectors.expectation(organization=tenant_a.organization, expectation_id=expectation.pk)
    support = selectors.support(expectation=expectation)
    assert (support.endorsed, support.earlier) == (0, 1)


@pytest.mark.parametrize(
    ("blank", "empty", "field", "message"),
    [
        ("behaviour", " \n ", "behaviour_nl", "Describe the observable behaviour before publishing."),
        # A bullet without text is not an example.
        ("examples_yes", " \n- \n", "examples_yes_nl", "Give at least one “this is it” example before publishing."),
        ("examples_not_yet", "", "examples_not_yet_nl", "Give at least one “not yet” example before publishing."),
    ],
)
def test_publishing_needs_the_behaviour_and_an_example_of_each_kind(tenant_a, blank, empty, field, message):
    expectation = draft_expectation(tenant_a.organization)
    ExpectationVersion.objects.filter(pk=expectation.current_version_id).update(
        **{f"{blank}_nl": empty, f"{blank}_en": empty}
    )
    with override("en"), pytest.raises(ValidationError) as excinfo:
        services.expectation_publish(expectation=expectation)
    assert excinfo.value.message_dict == {field: [message]}
    assert Expectation.objects.get(pk=expectation.pk).status == Status.DRAFT


def test_one_language_is_enough_to_publish(tenant_a):
    expectation = draft_expectation(tenant_a.organization)
    ExpectationVersion.objects.filter(pk=expectation.current_version_id).update(
        behaviour_nl="", examples_yes_nl="", examples_not_yet_en=""
    )
    services.expectation_publish(expectation=expectation)
    assert Expectation.objects.get(pk=expectation.pk).status == Status.PUBLISHED


def test_publishing_marks_the_version_published_and_returns_the_weight_warnings(tenant_a):
    published(tenant_a, 2, weight=30)
    expectation = draft_expectation(tenant_a.organization, weight=20)
    with override("en"):
        warnings = services.expectation_publish(expectation=expectation)
    expectation.refresh_from_db()
    assert expectation.status == Status.PUBLISHED
    assert expectation.published_at is not None
    assert expectation.current_version.published_at == expectation.published_at
    assert warnings == [
        "For Klantenservice the weights add up to 80 %; change them by +20 points so they add up to 100 %.",
        "For people without a team the weights add up to 80 %; change them by +20 points so they add up to 100 %.",
    ]


def test_weights_that_add_up_to_100_give_no_warning_and_too_much_says_by_how_much(tenant_a):
    published(tenant_a, 4, weight=25)
    assert services.weight_warnings(organization=tenant_a.organization) == []
    ExpectationFactory(organization=tenant_a.organization, teams=[tenant_a.team], weight=10)
    with override("en"):
        assert services.weight_warnings(organization=tenant_a.organization) == [
            "For Klantenservice the weights add up to 110 %; change them by -10 points so they add up to 100 %."
        ]


def test_retiring_takes_a_published_expectation_out_of_use_and_frees_a_place(tenant_a):
    five = published(tenant_a, 5)
    services.expectation_retire(expectation=five[0])
    five[0].refresh_from_db()
    assert five[0].status == Status.RETIRED
    assert five[0].retired_at is not None
    assert five[0].current_version.published_at is not None  # still readable as it was
    services.expectation_publish(expectation=draft_expectation(tenant_a.organization))


def test_only_a_published_expectation_can_be_retired(tenant_a):
    expectation = draft_expectation(tenant_a.organization)
    with override("en"), pytest.raises(ValidationError) as excinfo:
        services.expectation_retire(expectation=expectation)
    assert excinfo.value.messages == ["Someone else changed this expectation in the meantime; look again."]
    assert Expectation.objects.get(pk=expectation.pk).status == Status.DRAFT


def test_a_retired_expectation_cannot_be_changed(tenant_a):
    expectation = ExpectationFactory(organization=tenant_a.organization, status=Status.RETIRED)
    with override("en"), pytest.raises(ValidationError) as excinfo:
        services.expectation_update(
            expectation=expectation, actor=tenant_a.hr, core_value=expectation.core_value, **WORDING
        )
    assert excinfo.value.messages == ["A retired expectation cannot be changed."]
    assert expectation.versions.count() == 1


def test_a_managers_proposal_is_forced_to_their_own_team(tenant_a):
    other = TeamFactory(organization=tenant_a.organization, name="Ontwikkeling")
    expectation = services.expectation_create(
        organization=tenant_a.organization,
        actor=tenant_a.manager,
        core_value=CoreValueFactory(organization=tenant_a.organization),
        for_everyone=True,
        teams=[other],
        **WORDING,
    )
    assert expectation.status == Status.DRAFT
    assert expectation.for_everyone is False
    assert list(expectation.teams.all()) == [tenant_a.team]
    assert expectation.proposed_by == tenant_a.manager


def test_a_managers_proposal_is_saved_as_a_draft_when_their_team_is_at_the_cap(tenant_a):
    """Only publishing is limited (the page says what to do next: tests/expectations/test_cap_next_step.py)."""
    published(tenant_a, 5, teams=[tenant_a.team])
    before = Expectation.objects.count(), ExpectationVersion.objects.count()
    expectation = services.expectation_create(
        organization=tenant_a.organization,
        actor=tenant_a.manager,
        core_value=CoreValueFactory(organization=tenant_a.organization),
        **WORDING,
    )
    assert (expectation.status, expectation.proposed_by) == (Status.DRAFT, tenant_a.manager)
    assert (Expectation.objects.count(), ExpectationVersion.objects.count()) == (before[0] + 1, before[1] + 1)


def test_a_manager_without_a_team_cannot_propose(tenant_a):
    lone = EmployeeFactory(organization=tenant_a.organization, role=Role.MANAGER)
    with override("en"), pytest.raises(ValidationError) as excinfo:
        services.expectation_create(
            organization=tenant_a.organization,
            actor=lone,
            core_value=CoreValueFactory(organization=tenant_a.organization),
            **WORDING,
        )
    assert excinfo.value.messages == ["You are not in a team, so you cannot propose an expectation for your team."]
    assert not Expectation.objects.exists()


def test_a_second_publish_gets_a_clear_error(tenant_a):
    expectation = draft_expectation(tenant_a.organization)
    stale = Expectation.objects.get(pk=expectation.pk)
    services.expectation_publish(expectation=expectation)
    with override("en"), pytest.raises(ValidationError) as excinfo:
        services.expectation_publish(expectation=stale)
    assert excinfo.value.messages == ["Only a draft or an expectation in sharpening can be published."]


def test_publishing_is_a_conditional_update_so_a_concurrent_publish_loses(tenant_a, monkeypatch):
    """Two HR admins press publish at once: the other one wins between our checks and our update."""
    expectation = draft_expectation(tenant_a.organization)
    check_cap = services.check_cap

    def the_other_admin_publishes_first(*, organization, expectation):
        check_cap(organization=organization, expectation=expectation)
        Expectation.objects.filter(pk=expectation.pk).update(status=Status.PUBLISHED, published_at=timezone.now())

    monkeypatch.setattr(services, "check_cap", the_other_admin_publishes_first)
    with override("en"), pytest.raises(ValidationError) as excinfo:
        services.expectation_publish(expectation=expectation)
    assert excinfo.value.messages == ["Someone else changed this expectation in the meantime; look again."]


def test_opening_for_sharpening_refuses_a_closing_date_in_the_past(tenant_a):
    expectation = draft_expectation(tenant_a.organization)
    with override("en"), pytest.raises(ValidationError) as excinfo:
        services.expectation_sharpen(expectation=expectation, closes_on=timezone.localdate() - timezone.timedelta(1))
    assert excinfo.value.message_dict == {
        "closes_on": ["The closing date is in the past; choose today or a later date."]
    }
    services.expectation_sharpen(expectation=expectation, closes_on=timezone.localdate())
    expectation.refresh_from_db()
    assert (expectation.status, expectation.sharpening_closes_on) == (Status.SHARPENING, timezone.localdate())


def test_deleting_is_for_drafts_only(tenant_a):
    expectation = ExpectationFactory(organization=tenant_a.organization)
    with override("en"), pytest.raises(ValidationError):
        services.expectation_delete(expectation=expectation)
    assert Expectation.objects.filter(pk=expectation.pk).exists()
    gone = draft_expectation(tenant_a.organization)
    services.expectation_delete(expectation=gone)
    assert not Expectation.objects.filter(pk=gone.pk).exists()
    assert not ExpectationVersion.objects.filter(expectation_id=gone.pk).exists()
