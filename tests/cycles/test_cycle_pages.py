"""HR's cycle pages: list, create, detail, edit, activate (and add newcomers), moments, moving windows, progress."""

import datetime
import re

import pytest
import time_machine

from cycles.models import Conversation, ConversationState, Cycle, CycleStatus, Moment, MomentChange, MomentKind
from tests.factories import ConversationFactory, CycleFactory, EmployeeFactory, MomentFactory, TeamFactory
from tests.kit import (
    assert_flat_queries,
    assert_method_not_allowed,
    assert_nothing_changes,
    assert_other_organisation_gets_404,
    assert_role_forbidden,
    client_for,
    field_error,
    moment_data,
    nonfield_errors,
    shown_messages,
    url,
)

OUTSIDE_CYCLE = "The window must lie inside the cycle (1 January 2027 – 31 December 2027)."

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def draft(tenant_a):
    cycle = CycleFactory(organization=tenant_a.organization, name="2027")
    MomentFactory(cycle=cycle, name_en="Progress talk", purpose_en="Feedback on behaviour and adjusting.")
    return cycle


@pytest.fixture
def active(tenant_a):
    cycle = CycleFactory(organization=tenant_a.organization, name="2027", status=CycleStatus.ACTIVE)
    moment = MomentFactory(cycle=cycle, name_en="Progress talk")
    ConversationFactory(moment=moment, employee=tenant_a.employee)
    return cycle


def cycle_data(**overrides):
    data = {"name": "2028", "starts_on": "2028-01-01", "ends_on": "2028-12-31", "audience": "everyone"}
    data.update(overrides)
    return data


# The door, for every page: another organisation's member → 404, no role → 403, wrong method → 405


def pages(tenant, cycle, moment):
    return [
        ("get", url("cycles:cycle_list", tenant.organization)),
        ("get", url("cycles:cycle_create", tenant.organization)),
        ("get", url("cycles:cycle_detail", tenant.organization, cycle_id=cycle.pk)),
        ("get", url("cycles:cycle_edit", tenant.organization, cycle_id=cycle.pk)),
        ("get", url("cycles:cycle_activate", tenant.organization, cycle_id=cycle.pk)),  # its confirmation page
        ("get", url("cycles:moment_create", tenant.organization, cycle_id=cycle.pk)),
        ("get", url("cycles:moment_edit", tenant.organization, moment_id=moment.pk)),
        ("get", url("cycles:moment_delete", tenant.organization, moment_id=moment.pk)),  # its confirmation page
        ("get", url("cycles:moment_move", tenant.organization, moment_id=moment.pk)),
        ("get", url("cycles:cycle_progress", tenant.organization, cycle_id=cycle.pk)),
    ]


@pytest.mark.parametrize("index", range(10))
def test_another_organisations_member_gets_404(tenant_a, client, stranger, draft, index):
    method, address = pages(tenant_a, draft, draft.moments.get())[index]
    assert_other_organisation_gets_404(client, stranger, address, method)


@pytest.mark.parametrize("role", ["manager", "employee"])
@pytest.mark.parametrize("index", range(10))
def test_a_member_without_the_hr_role_gets_403(tenant_a, client, draft, role, index):
    method, address = pages(tenant_a, draft, draft.moments.get())[index]
    assert_role_forbidden(client, tenant_a.member(role), address, method)


@pytest.mark.parametrize("index", range(10))
def test_the_wrong_method_gets_405(tenant_a, hr, draft, index):
    method, address = pages(tenant_a, draft, draft.moments.get())[index]
    assert_method_not_allowed(hr, address, {"get": "delete", "post": "get"}[method])


@pytest.mark.parametrize(
    ("name", "kwarg"),
    [
        ("cycle_detail", "cycle_id"),
        ("cycle_edit", "cycle_id"),
        ("moment_create", "cycle_id"),
        ("cycle_progress", "cycle_id"),
        ("moment_edit", "moment_id"),
        ("moment_move", "moment_id"),
    ],
)
@pytest.mark.parametrize("value", ["abc", "-1", "99999999999999999999999", "0"])
def test_malformed_or_unknown_ids_get_404(tenant_a, hr, name, kwarg, value):
    assert hr.get(url(f"cycles:{name}", tenant_a.organization, **{kwarg: value})).status_code == 404


def test_another_organisations_cycle_id_gets_404(tenant_a, tenant_b, hr):
    theirs = CycleFactory(organization=tenant_b.organization)
    moment = MomentFactory(cycle=theirs)
    with assert_nothing_changes():
        assert hr.get(url("cycles:cycle_detail", tenant_a.organization, cycle_id=theirs.pk)).status_code == 404
        assert hr.post(url("cycles:cycle_activate", tenant_a.organization, cycle_id=theirs.pk)).status_code == 404
        delete = url("cycles:moment_delete", tenant_a.organization, moment_id=moment.pk)
        assert hr.post(delete, {"confirm": "yes"}).status_code == 404


# The list


def test_the_list_shows_this_organisations_cycles(tenant_a, tenant_b, hr, draft):
    CycleFactory(organization=tenant_b.organization, name="Bravo-only")
    response = hr.get(url("cycles:cycle_list", tenant_a.organization))
    assert response.status_code == 200
    page = response.content.decode()
    assert "2027" in page and "Bravo-only" not in page
    assert draft.get_absolute_url() in page


def test_the_list_query_count_is_flat(tenant_a, hr):
    def add_cycles(numbers):
        for _ in numbers:
            MomentFactory(cycle=CycleFactory(organization=tenant_a.organization, teams=[tenant_a.team]))

    response = assert_flat_queries(
        lambda: hr.get(url("cycles:cycle_list", tenant_a.organization)), add_cycles, few=1, many=11
    )
    assert len(response.context["cycles"]) == 11


# Creating a cycle


def test_hr_creates_a_cycle_from_the_template(tenant_a, hr):
    response = hr.post(url("cycles:cycle_create", tenant_a.organization), cycle_data(from_template="on"))
    cycle = Cycle.objects.get()
    assert response.status_code == 302 and response["Location"] == cycle.get_absolute_url()
    assert (cycle.name, cycle.starts_on, cycle.ends_on, cycle.for_everyone) == (
        "2028",
        D(2028, 1, 1),
        D(2028, 12, 31),
        True,
    )
    assert cycle.moments.count() == 3 and cycle.status == CycleStatus.DRAFT


def test_hr_creates_a_cycle_from_scratch_for_chosen_teams(tenant_a, hr):
    other = TeamFactory(organization=tenant_a.organization)
    hr.post(url("cycles:cycle_create", tenant_a.organization), cycle_data(audience="teams", teams=[tenant_a.team.pk]))
    cycle = Cycle.objects.get()
    assert cycle.moments.count() == 0
    assert not cycle.for_everyone and list(cycle.teams.all()) == [tenant_a.team]
    assert other not in cycle.teams.all()


def test_the_create_form_offers_only_this_organisations_teams_and_the_template_by_default(tenant_a, tenant_b, hr):
    page = hr.get(url("cycles:cycle_create", tenant_a.organization)).content.decode()
    assert f'value="{tenant_a.team.pk}"' in page and f'value="{tenant_b.team.pk}"' not in page
    assert re.search(r'<input type="checkbox" name="from_template"[^>]*checked', page)
    assert page.count("<h1") == 1


def test_a_team_of_another_organisation_is_refused_and_nothing_is_saved(tenant_a, tenant_b, hr):
    response = hr.post(
        url("cycles:cycle_create", tenant_a.organization), cycle_data(audience="teams", teams=[tenant_b.team.pk])
    )
    assert response.status_code == 200
    assert field_error(response, "teams").startswith("Select a valid choice.")
    assert not Cycle.objects.exists()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"starts_on": "2028-12-31", "ends_on": "2028-01-01"}, "ends_on", "The cycle ends before it starts."),
        ({"starts_on": "31-31-2028"}, "starts_on", "Enter a valid date."),
        ({"name": "  "}, "name", "This field is required."),
        ({"audience": "teams"}, "teams", "Choose at least one team, or the whole organisation."),
        ({"teams": ["x"], "audience": "teams"}, "teams", "“x” is not a valid value."),
        ({"audience": "nobody"}, "audience", "Select a valid choice. nobody is not one of the available choices."),
    ],
)
def test_bad_cycle_input_gets_an_english_field_error_and_saves_nothing(tenant_a, hr, data, field, message):
    response = hr.post(url("cycles:cycle_create", tenant_a.organization), cycle_data(from_template="on", **data))
    assert response.status_code == 200
    assert field_error(response, field) == message
    assert not Cycle.objects.exists() and not Moment.objects.exists()


# The cycle page


def record_a_move(tenant, moment, reason):
    """HR's move of ``moment``'s window from May to June, as the cycle page lists it."""
    MomentChange.objects.create(
        organization=tenant.organization,
        moment=moment,
        old_opens_on=D(2027, 5, 1),
        old_closes_on=D(2027, 5, 31),
        new_opens_on=D(2027, 6, 1),
        new_closes_on=D(2027, 6, 30),
        reason=reason,
        changed_by=tenant.hr,
    )


def test_a_draft_shows_its_facts_moments_and_the_activate_button(tenant_a, hr, draft):
    page = hr.get(url("cycles:cycle_detail", tenant_a.organization, cycle_id=draft.pk)).content.decode()
    moment = draft.moments.get()
    assert "Progress talk" in page and "Feedback on behaviour and adjusting." in page
    assert url("cycles:cycle_activate", tenant_a.organization, cycle_id=draft.pk) in page
    assert url("cycles:moment_create", tenant_a.organization, cycle_id=draft.pk) in page
    assert url("cycles:moment_edit", tenant_a.organization, moment_id=moment.pk) in page
    assert url("cycles:moment_delete", tenant_a.organization, moment_id=moment.pk) in page
    assert url("cycles:moment_move", tenant_a.organization, moment_id=moment.pk) not in page
    assert url("cycles:cycle_progress", tenant_a.organization, cycle_id=draft.pk) in page
    assert page.count("<h1") == 1


def test_an_active_cycle_shows_move_links_the_newcomer_count_and_the_window_changes(tenant_a, hr, active):
    moment = active.moments.get()
    record_a_move(tenant_a, moment, "Reorganisatie")
    response = hr.get(url("cycles:cycle_detail", tenant_a.organization, cycle_id=active.pk))
    page = response.content.decode()
    assert response.context["newcomer_offer"].people == 3  # hr, manager, outsider have no conversation yet
    assert "Add newcomers (3)" in page
    assert url("cycles:moment_move", tenant_a.organization, moment_id=moment.pk) in page
    assert url("cycles:moment_edit", tenant_a.organization, moment_id=moment.pk) not in page
    assert url("cycles:moment_create", tenant_a.organization, cycle_id=active.pk) not in page
    assert "Reorganisatie" in page and tenant_a.hr.full_name in page


def test_the_cycle_page_query_count_is_flat(tenant_a, hr, active):
    def add_moved_moments(numbers):
        for _ in numbers:
            record_a_move(tenant_a, MomentFactory(cycle=active), "x")

    page = url("cycles:cycle_detail", tenant_a.organization, cycle_id=active.pk)
    response = assert_flat_queries(lambda: hr.get(page), add_moved_moments, few=0, many=10)
    assert (len(response.context["moments"]), len(response.context["changes"])) == (11, 10)


# Editing a cycle


def test_hr_edits_a_draft(tenant_a, hr, draft):
    response = hr.post(
        url("cycles:cycle_edit", tenant_a.organization, cycle_id=draft.pk),
        cycle_data(
            name="2027 herzien",
            starts_on="2027-01-01",
            ends_on="2027-12-31",
            audience="teams",
            teams=[tenant_a.team.pk],
        ),
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.name == "2027 herzien" and not draft.for_everyone and list(draft.teams.all()) == [tenant_a.team]


def test_the_edit_form_is_filled_in(tenant_a, hr, draft):
    page = hr.get(url("cycles:cycle_edit", tenant_a.organization, cycle_id=draft.pk)).content.decode()
    assert 'value="2027-01-01"' in page and 'name="from_template"' not in page


def test_editing_dates_that_would_leave_a_moment_outside_is_refused(tenant_a, hr, draft):
    with assert_nothing_changes():
        response = hr.post(
            url("cycles:cycle_edit", tenant_a.organization, cycle_id=draft.pk),
            cycle_data(starts_on="2027-07-01", ends_on="2027-12-31"),
        )
    assert response.status_code == 200
    [refusal] = nonfield_errors(response)
    assert "A moment's window would fall outside these dates" in refusal


def test_editing_an_active_cycle_is_refused(tenant_a, hr, active):
    with assert_nothing_changes():
        response = hr.post(
            url("cycles:cycle_edit", tenant_a.organization, cycle_id=active.pk),
            cycle_data(starts_on="2027-01-01", ends_on="2027-12-31"),
        )
    assert response.status_code == 200
    [refusal] = nonfield_errors(response)
    assert "An active cycle's calendar is fixed" in refusal


# Activating and adding newcomers


CONFIRM = {"confirm": "yes"}  # what the confirmation page posts (tests/cycles/test_cycle_confirmations.py)


def test_hr_activates_a_draft(tenant_a, hr, draft):
    response = hr.post(url("cycles:cycle_activate", tenant_a.organization, cycle_id=draft.pk), CONFIRM, follow=True)
    assert response.redirect_chain[-1][0] == draft.get_absolute_url()
    draft.refresh_from_db()
    assert draft.status == CycleStatus.ACTIVE
    assert Conversation.objects.filter(moment__cycle=draft).count() == 4  # hr, manager, employee, outsider
    assert shown_messages(response) == ["The cycle is active. 4 conversations were created."]


def test_activating_twice_creates_nothing_new_and_newcomers_are_added_explicitly(tenant_a, hr, draft):
    activate = url("cycles:cycle_activate", tenant_a.organization, cycle_id=draft.pk)
    hr.post(activate, CONFIRM, follow=True)
    response = hr.post(activate, CONFIRM, follow=True)  # a second tab: it leads to the newcomers step
    assert shown_messages(response) == ["Everyone in this cycle's scope already has their conversations."]
    assert Conversation.objects.count() == 4

    newcomer = EmployeeFactory(organization=tenant_a.organization, team=tenant_a.team)
    assert "Add newcomers (1)" in hr.get(draft.get_absolute_url()).content.decode()
    add = url("cycles:newcomers_add", tenant_a.organization, cycle_id=draft.pk)
    response = hr.post(add, CONFIRM, follow=True)
    assert shown_messages(response) == ["Newcomers added: 1 conversation was created."]
    assert Conversation.objects.filter(employee=newcomer).count() == 1 and Conversation.objects.count() == 5


def test_activating_an_empty_cycle_is_refused_with_a_message(tenant_a, hr):
    cycle = CycleFactory(organization=tenant_a.organization)
    response = hr.post(url("cycles:cycle_activate", tenant_a.organization, cycle_id=cycle.pk), follow=True)
    assert response.status_code == 200
    assert shown_messages(response) == ["This cycle has no moments yet; add at least one before activating it."]
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.DRAFT and not Conversation.objects.exists()


def test_activating_a_cycle_with_nobody_in_scope_is_refused_with_a_message(tenant_a, hr):
    cycle = CycleFactory(organization=tenant_a.organization, teams=[TeamFactory(organization=tenant_a.organization)])
    MomentFactory(cycle=cycle)
    response = hr.post(url("cycles:cycle_activate", tenant_a.organization, cycle_id=cycle.pk), follow=True)
    assert shown_messages(response) == ["Nobody is in this cycle's scope; add people or teams first."]
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.DRAFT and not Conversation.objects.exists()


# Moments: add, edit, remove


def test_hr_adds_a_moment_in_both_languages(tenant_a, hr, draft):
    response = hr.post(url("cycles:moment_create", tenant_a.organization, cycle_id=draft.pk), moment_data())
    assert response.status_code == 302 and response["Location"] == draft.get_absolute_url()
    moment = draft.moments.get(kind=MomentKind.DEVELOPMENT)
    assert (moment.name_nl, moment.name_en, moment.purpose_en) == (
        "Ontwikkelgesprek",
        "Development conversation",
        "What do you want to learn?",
    )
    assert (moment.opens_on, moment.closes_on, moment.produces_rating) == (D(2027, 9, 1), D(2027, 9, 30), False)


def test_the_moment_form_shows_both_languages_side_by_side(tenant_a, hr, draft):
    page = hr.get(url("cycles:moment_create", tenant_a.organization, cycle_id=draft.pk)).content.decode()
    for name in ("name", "purpose", "preparation_employee", "preparation_manager"):
        assert f'name="{name}_nl"' in page and f'name="{name}_en"' in page
    assert 'lang="en"' in page and page.count("<h1") == 1


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"opens_on": "2026-12-01"}, "opens_on", OUTSIDE_CYCLE),
        ({"closes_on": "2028-01-05"}, "opens_on", OUTSIDE_CYCLE),
        ({"opens_on": "2027-09-30", "closes_on": "2027-09-01"}, "closes_on", "The window closes before it opens."),
        ({"produces_rating": "on"}, "produces_rating", "Only an assessment conversation produces a rating."),
        (
            {"purpose_nl": " ", "purpose_en": ""},
            "purpose_nl",
            "Say what this moment is for: everyone sees the purpose wherever it appears.",
        ),
        ({"name_nl": ""}, "name_nl", "Fill this in, in the organisation's language."),
        ({"opens_on": "2027-02-30"}, "opens_on", "Enter a valid date."),
        ({"kind": "party"}, "kind", "Select a valid choice. party is not one of the available choices."),
    ],
)
def test_bad_moment_input_gets_an_english_field_error_and_saves_nothing(tenant_a, hr, draft, data, field, message):
    with assert_nothing_changes():
        response = hr.post(url("cycles:moment_create", tenant_a.organization, cycle_id=draft.pk), moment_data(**data))
    assert response.status_code == 200
    assert field_error(response, field) == message


def test_an_assessment_moment_may_produce_a_rating(tenant_a, hr, draft):
    data = moment_data(kind=MomentKind.ASSESSMENT, produces_rating="on")
    assert hr.post(url("cycles:moment_create", tenant_a.organization, cycle_id=draft.pk), data).status_code == 302
    assert draft.moments.get(kind=MomentKind.ASSESSMENT).produces_rating


def test_adding_a_moment_to_an_active_cycle_is_refused(tenant_a, hr, active):
    with assert_nothing_changes():
        response = hr.post(url("cycles:moment_create", tenant_a.organization, cycle_id=active.pk), moment_data())
    [refusal] = nonfield_errors(response)
    assert "An active cycle's calendar is fixed" in refusal


def test_hr_edits_a_moment(tenant_a, hr, draft):
    moment = draft.moments.get()
    page = hr.get(url("cycles:moment_edit", tenant_a.organization, moment_id=moment.pk)).content.decode()
    assert 'value="2027-06-01"' in page
    response = hr.post(
        url("cycles:moment_edit", tenant_a.organization, moment_id=moment.pk), moment_data(name_nl="Nieuw")
    )
    assert response.status_code == 302
    moment.refresh_from_db()
    assert (moment.name_nl, moment.kind, moment.opens_on) == ("Nieuw", MomentKind.DEVELOPMENT, D(2027, 9, 1))
    assert Moment.objects.count() == 1


def test_a_refused_moment_edit_changes_nothing(tenant_a, hr, draft):
    moment = draft.moments.get()
    with assert_nothing_changes():
        response = hr.post(
            url("cycles:moment_edit", tenant_a.organization, moment_id=moment.pk),
            moment_data(name_nl="Nieuw", opens_on="2027-10-01", closes_on="2027-09-01"),
        )
    assert field_error(response, "closes_on") == "The window closes before it opens."


def test_hr_removes_a_moment_of_a_draft(tenant_a, hr, draft):
    moment = draft.moments.get()
    keep = MomentFactory(cycle=draft)
    response = hr.post(url("cycles:moment_delete", tenant_a.organization, moment_id=moment.pk), {"confirm": "yes"})
    assert response.status_code == 302 and response["Location"] == draft.get_absolute_url()
    assert list(Moment.objects.all()) == [keep]


def test_removing_a_moment_of_an_active_cycle_is_refused(tenant_a, hr, active):
    moment = active.moments.get()
    with assert_nothing_changes():
        response = hr.post(
            url("cycles:moment_delete", tenant_a.organization, moment_id=moment.pk), {"confirm": "yes"}, follow=True
        )
    assert shown_messages(response) == ["An active cycle's moments cannot be removed."]


# Moving a window


def test_hr_moves_a_window_with_a_reason(tenant_a, hr, active):
    moment = active.moments.get()
    conversation = Conversation.objects.get()
    Conversation.objects.filter(pk=conversation.pk).update(state=ConversationState.HELD)
    response = hr.post(
        url("cycles:moment_move", tenant_a.organization, moment_id=moment.pk),
        {"opens_on": "2027-07-01", "closes_on": "2027-07-31", "reason": "Zomerdrukte"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == active.get_absolute_url()
    moment.refresh_from_db()
    assert (moment.opens_on, moment.closes_on) == (D(2027, 7, 1), D(2027, 7, 31))
    change = MomentChange.objects.get()
    assert (change.old_opens_on, change.reason, change.changed_by) == (D(2027, 6, 1), "Zomerdrukte", tenant_a.hr)
    assert Conversation.objects.get().state == ConversationState.HELD
    assert "Zomerdrukte" in response.content.decode()


def test_the_move_form_is_filled_in_with_the_current_window(tenant_a, hr, active):
    page = hr.get(url("cycles:moment_move", tenant_a.organization, moment_id=active.moments.get().pk)).content.decode()
    assert 'value="2027-06-01"' in page and 'value="2027-06-30"' in page and 'name="reason"' in page
    assert "Its window opens on 1 June 2027 and closes on 30 June 2027." in page


@pytest.mark.parametrize(
    ("today", "said"),
    [
        (D(2027, 6, 15), "Its window is open now, from 1 June 2027 to 30 June 2027."),
        (D(2027, 7, 1), "Its window ran from 1 June 2027 to 30 June 2027 and has closed."),
    ],
)
def test_the_move_page_says_whether_the_window_is_to_come_open_or_closed(tenant_a, active, today, said):
    with time_machine.travel(datetime.datetime.combine(today, datetime.time(10), tzinfo=datetime.UTC), tick=False):
        hr = client_for(tenant_a.hr)  # logged in on that day
        page = hr.get(url("cycles:moment_move", tenant_a.organization, moment_id=active.moments.get().pk))
    assert said in page.content.decode()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"reason": "  "}, "reason", "Say why the window moves; the people affected will see it."),
        ({"closes_on": "2028-01-31"}, "opens_on", OUTSIDE_CYCLE),
        ({"opens_on": "2027-08-01"}, "closes_on", "The window closes before it opens."),
        ({"opens_on": "gisteren"}, "opens_on", "Enter a valid date."),
    ],
)
def test_a_bad_move_gets_an_english_field_error_and_changes_nothing(tenant_a, hr, active, data, field, message):
    post = {"opens_on": "2027-07-01", "closes_on": "2027-07-31", "reason": "Later", **data}
    with assert_nothing_changes():
        response = hr.post(url("cycles:moment_move", tenant_a.organization, moment_id=active.moments.get().pk), post)
    assert response.status_code == 200
    assert field_error(response, field) == message


def test_moving_a_window_of_a_draft_is_refused(tenant_a, hr, draft):
    post = {"opens_on": "2027-07-01", "closes_on": "2027-07-31", "reason": "Later"}
    with assert_nothing_changes():
        response = hr.post(url("cycles:moment_move", tenant_a.organization, moment_id=draft.moments.get().pk), post)
    [refusal] = nonfield_errors(response)
    assert "Only an active cycle's windows are moved this way" in refusal


# Progress


def progress_cycle(tenant, people):
    """An active cycle with a closed June window and an open September one; ``people`` extra in a second team."""
    cycle = CycleFactory(organization=tenant.organization, status=CycleStatus.ACTIVE)
    june = MomentFactory(cycle=cycle, name_en="June talk")
    september = MomentFactory(cycle=cycle, name_en="September talk", opens_on=D(2027, 9, 1), closes_on=D(2027, 9, 30))
    team = TeamFactory(organization=tenant.organization, name="Ontwikkeling")
    for _ in range(people):
        person = EmployeeFactory(organization=tenant.organization, team=team, manager=tenant.manager)
        ConversationFactory(moment=june, employee=person)
        ConversationFactory(moment=september, employee=person)
    ConversationFactory(moment=june, employee=tenant.employee, state=ConversationState.HELD)
    ConversationFactory(moment=september, employee=tenant.employee, state=ConversationState.SCHEDULED)
    return cycle, june, september


JULY = datetime.datetime(2027, 7, 15, 12, tzinfo=datetime.UTC)


@pytest.fixture
def hr_in_july(tenant_a):
    """HR logged in on 15 July 2027: the June window has closed, September's has not opened."""
    with time_machine.travel(JULY):
        yield client_for(tenant_a.hr)  # logged in then, so that the session has not expired by July 2027


def test_progress_counts_per_moment_and_team_and_lists_the_overdue(tenant_a, hr_in_july):
    cycle, june, september = progress_cycle(tenant_a, 2)
    response = hr_in_july.get(url("cycles:cycle_progress", tenant_a.organization, cycle_id=cycle.pk))
    assert response.status_code == 200
    by_moment = {item.moment.pk: item for item in response.context["progress"]}
    assert (by_moment[june.pk].to_schedule, by_moment[june.pk].held, by_moment[june.pk].overdue) == (2, 1, 2)
    assert (by_moment[september.pk].to_schedule, by_moment[september.pk].scheduled) == (2, 1)
    assert by_moment[september.pk].overdue == 0
    assert response.content.decode().count("<h1") == 1
    # The teams and the overdue conversations load after the page (htmx), from the addresses it names.
    htmx = {"HTTP_HX_REQUEST": "true"}
    teams = hr_in_july.get(response.context["teams_part_url"], **htmx).context["teams"]
    teams = {row["employee__team__name"]: row["overdue"] for row in teams.object_list}
    assert teams == {"Ontwikkeling": 2}  # only teams with open conversations: Klantenservice's was held
    part = hr_in_july.get(response.context["overdue_part_url"], **htmx)
    overdue = part.context["overdue"]
    assert len(overdue) == 2 and {row.moment_id for row in overdue} == {june.pk}
    rows = part.content.decode()
    assert overdue[0].employee.full_name in rows and tenant_a.manager.full_name in rows
