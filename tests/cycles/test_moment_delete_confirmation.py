"""Removing a moment from a cycle being prepared asks first (views_cycles.moment_delete_page, core.confirm).

The cycle page's "Remove" button posts without ``confirm``: that first click, like a GET, only shows what goes
(the moment with its window, purpose and preparation texts, for good); a POST with ``confirm=yes`` removes it. What
services.moment_delete refuses (an active or closed cycle) is refused at the first click already, in its words.
"""

import pytest

from cycles.models import Conversation, CycleStatus, Moment
from tests.factories import ConversationFactory, CycleFactory, MomentFactory
from tests.kit import (
    assert_nothing_changes,
    assert_other_organisation_gets_404,
    assert_role_forbidden,
    shown_messages,
    url,
)

pytestmark = pytest.mark.django_db

REFUSED = "An active cycle's moments cannot be removed."  # services.moment_delete's message, the same msgid

# The requests that only ask: a GET, the button's POST, and a POST whose confirm is anything but "yes".
FIRST_CLICKS = [("get", None), ("post", {}), ("post", {"confirm": "no"}), ("post", {"confirm": "YES"})]


@pytest.fixture
def draft(tenant_a):
    cycle = CycleFactory(organization=tenant_a.organization, name="2027")
    MomentFactory(cycle=cycle, name_en="Progress talk", purpose_en="Feedback on behaviour and adjusting.")
    return cycle


def delete_url(tenant, moment):
    return url("cycles:moment_delete", tenant.organization, moment_id=moment.pk)


def send(client, method, address, data, **extra):
    return getattr(client, method)(address, **({} if data is None else {"data": data}), **extra)


@pytest.mark.parametrize(("method", "data"), FIRST_CLICKS)
def test_the_first_click_changes_nothing_and_says_what_is_removed(tenant_a, hr, draft, method, data):
    moment = draft.moments.get()
    with assert_nothing_changes():
        response = send(hr, method, delete_url(tenant_a, moment), data)
    assert response.status_code == 200
    assert response.context["title"] == "Remove the moment Progress talk"
    assert response.context["points"] == [
        "The moment Progress talk (window 1 June 2027 – 30 June 2027) is removed from cycle 2027.",
        "Its purpose and the preparation texts for employee and manager, in Dutch and English, go with it.",
        "This cannot be undone: to have the moment again, add it anew.",
    ]
    page = response.content.decode()
    for point in response.context["points"]:
        assert point in page
    # A danger button that sends the confirmation to this same address, and a way back to the cycle.
    assert '<form method="post">' in page and '<input type="hidden" name="confirm" value="yes">' in page
    assert '<button type="submit" class="button-danger">Remove the moment</button>' in page
    assert f'href="{draft.get_absolute_url()}"' in page and "Back to the cycle" in page
    assert page.count("<h1") == 1


def test_the_page_names_the_self_reflection_questions_when_the_moment_has_some(tenant_a, hr, draft):
    moment = MomentFactory(cycle=draft, asks_reflection=True, reflection_questions_en="What went well?")
    response = hr.get(delete_url(tenant_a, moment))
    assert "Its self-reflection questions go with it too." in response.context["points"]
    assert (
        "Its self-reflection questions go with it too."
        not in hr.get(delete_url(tenant_a, draft.moments.exclude(pk=moment.pk).get())).context["points"]
    )


def test_the_cycle_pages_button_posts_to_the_confirmation_without_confirming(tenant_a, hr, draft):
    """The button's form sends no ``confirm``, so a click lands on the page above rather than removing."""
    moment = draft.moments.get()
    page = hr.get(draft.get_absolute_url()).content.decode()
    action = f'action="{delete_url(tenant_a, moment)}"'
    form = page[page.index(action) : page.index("</form>", page.index(action))]
    assert 'name="confirm"' not in form


def test_a_confirmed_post_removes_exactly_that_moment(tenant_a, tenant_b, hr, draft):
    moment = draft.moments.get()
    sibling = MomentFactory(cycle=draft)
    elsewhere = MomentFactory(cycle=CycleFactory(organization=tenant_a.organization, name="2028"))
    theirs = MomentFactory(cycle=CycleFactory(organization=tenant_b.organization))
    response = hr.post(delete_url(tenant_a, moment), {"confirm": "yes"}, follow=True)
    assert response.redirect_chain == [(draft.get_absolute_url(), 302)]
    assert shown_messages(response) == ["The moment Progress talk has been removed."]
    assert set(Moment.objects.all()) == {sibling, elsewhere, theirs}


def test_a_second_confirmed_post_gets_404_and_changes_nothing(tenant_a, hr, draft):
    """A second tab, or the back button, after the moment went: it is not found, as any unknown moment."""
    address = delete_url(tenant_a, draft.moments.get())
    hr.post(address, {"confirm": "yes"})
    with assert_nothing_changes():
        assert hr.post(address, {"confirm": "yes"}).status_code == 404


@pytest.mark.parametrize("status", [CycleStatus.ACTIVE, CycleStatus.CLOSED])
@pytest.mark.parametrize(("method", "data"), FIRST_CLICKS)
def test_a_cycle_not_being_prepared_is_refused_at_the_first_click(tenant_a, hr, status, method, data):
    cycle = CycleFactory(organization=tenant_a.organization, status=status)
    moment = MomentFactory(cycle=cycle)
    ConversationFactory(moment=moment, employee=tenant_a.employee)
    with assert_nothing_changes():
        response = send(hr, method, delete_url(tenant_a, moment), data, follow=True)
    assert response.redirect_chain == [(cycle.get_absolute_url(), 302)]
    assert shown_messages(response) == [REFUSED]
    assert Moment.objects.filter(pk=moment.pk).exists() and Conversation.objects.count() == 1


@pytest.mark.parametrize(("method", "data"), [*FIRST_CLICKS, ("post", {"confirm": "yes"})])
def test_another_organisations_hr_gets_404(tenant_a, client, stranger, draft, method, data):
    assert_other_organisation_gets_404(client, stranger, delete_url(tenant_a, draft.moments.get()), method, data)


@pytest.mark.parametrize("role", ["manager", "employee"])
@pytest.mark.parametrize(("method", "data"), [("get", None), ("post", {}), ("post", {"confirm": "yes"})])
def test_a_manager_or_employee_gets_403(tenant_a, client, draft, role, method, data):
    assert_role_forbidden(client, tenant_a.member(role), delete_url(tenant_a, draft.moments.get()), method, data)
