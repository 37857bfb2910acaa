"""The test kit's checks must be able to fail: a check that always passes would make every page test prove nothing."""

import datetime
from types import SimpleNamespace

import pytest
from allauth.usersessions.models import UserSession
from django import forms
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.template import Context

from cycles.models import Conversation, CycleStatus, Reminder, ReminderAnchor
from organizations.models import Team
from tests.factories import ConversationFactory, CycleFactory, MomentFactory, TeamFactory
from tests.kit import (
    MARCH_2027,
    activated_cycle,
    assert_anonymous_refused,
    assert_flat_queries,
    assert_method_not_allowed,
    assert_nothing_changes,
    assert_other_organisation_gets_404,
    assert_role_forbidden,
    browser_logged_in,
    feed_events,
    feed_of,
    feed_url,
    field_error,
    field_errors,
    invitation_path,
    nonfield_errors,
    outbox_addresses,
    person_form,
    shown_messages,
    tables_changed,
    uploaded_through_the_page,
    url,
    utc,
)

pytestmark = pytest.mark.django_db


class NameForm(forms.Form):
    name = forms.CharField(max_length=5)

    def clean(self):
        raise forms.ValidationError("Not today.")


def rendered(content, **context):
    """A response as the test client returns it, with ``context`` and ``content`` chosen by the test."""
    return SimpleNamespace(
        context=Context(context),
        content=content.encode(),
        status_code=200,
        request={"REQUEST_METHOD": "POST", "PATH_INFO": "/o/alfa/proef/"},
    )


def posted(name):
    form = NameForm({"name": name})
    form.is_valid()
    return form


def test_errors_are_read_from_the_context_when_the_page_shows_them(english):
    form = posted("too long")
    response = rendered(str(form), form=form)
    assert field_errors(response, "name") == ["Ensure this value has at most 5 characters (it has 8)."]
    assert field_error(response, "name") == "Ensure this value has at most 5 characters (it has 8)."
    assert nonfield_errors(response) == ["Not today."]


def test_an_error_in_the_context_that_the_page_does_not_show_fails():
    response = rendered("<form></form>", form=posted("too long"))
    with pytest.raises(AssertionError, match="not on the page"):
        field_errors(response, "name")
    with pytest.raises(AssertionError, match="not on the page"):
        nonfield_errors(response)


def test_the_form_with_errors_is_found_under_another_name_and_a_missing_form_fails_clearly():
    form = posted("too long")
    assert field_error(rendered(str(form), sharpen_form=form, other=NameForm()), "name") is not None
    with pytest.raises(AssertionError, match="has no form in its context; its keys: .*'rows'"):
        field_error(rendered("", rows=[]), "name")
    with pytest.raises(AssertionError, match="rendered no template"):
        field_error(SimpleNamespace(context=None, status_code=302, request=rendered("").request), "name")


def test_a_field_the_form_does_not_have_fails_instead_of_reading_as_no_error():
    with pytest.raises(AssertionError, match="no field 'nmae'"):
        field_error(rendered("", form=posted("ok")), "nmae")


def test_a_message_that_the_page_does_not_show_fails():
    messages = ["Saved."]
    assert shown_messages(rendered("<p>Saved.</p>", messages=messages)) == ["Saved."]
    with pytest.raises(AssertionError, match="not on the page"):
        shown_messages(rendered("<p></p>", messages=messages))


def test_the_404_check_refuses_a_member_of_the_organisation_in_the_address(client, tenant_a):
    with pytest.raises(AssertionError, match="is a member of alfa"):
        assert_other_organisation_gets_404(client, tenant_a.hr, url("expectations:index", tenant_a.organization))


def test_the_403_check_fails_for_someone_the_page_admits(client, tenant_a):
    with pytest.raises(AssertionError, match="200, not 403"):
        assert_role_forbidden(client, tenant_a.hr, url("expectations:index", tenant_a.organization))


def test_the_405_check_fails_for_a_method_the_page_takes(hr, tenant_a):
    with pytest.raises(AssertionError, match="GET .*: 200, not 405"):
        assert_method_not_allowed(hr, url("expectations:index", tenant_a.organization), ["put", "get"])


def test_nothing_changes_names_the_table_that_did(tenant_a):
    with pytest.raises(AssertionError, match="organizations.team"):
        with assert_nothing_changes():
            TeamFactory(organization=tenant_a.organization)
    with pytest.raises(AssertionError, match="organizations.team"):
        with assert_nothing_changes(Team.objects.all()):
            Team.objects.filter(pk=tenant_a.team.pk).update(name="Anders")


def test_tables_changed_names_the_table_a_block_changed_and_nothing_else(tenant_a):
    with tables_changed() as changed:
        TeamFactory(organization=tenant_a.organization)
    assert changed == ["organizations.team"]
    with tables_changed(Team.objects.all()) as changed:
        Team.objects.count()
    assert changed == []


def test_an_upload_the_page_refuses_fails_the_upload_helper(tenant_a, hr):
    with pytest.raises(AssertionError, match="the file was not taken"):
        uploaded_through_the_page(hr, tenant_a.organization, "Jan", header="first_name")  # no email column


def test_a_query_per_row_fails_the_flat_check_and_names_the_query(tenant_a):
    def add(numbers):
        TeamFactory.create_batch(len(numbers), organization=tenant_a.organization)

    def one_query_per_team():
        return [team.organization.name for team in Team.objects.all()]

    report = r"(?s)4 queries with 2 rows, 42 with 40.*3 -> 41: SELECT .*organizations_organization"
    with pytest.raises(AssertionError, match=report):
        assert_flat_queries(one_query_per_team, add)


def test_the_flat_check_passes_a_page_that_fetches_related_rows_at_once_and_returns_the_last_run(tenant_a):
    def add(numbers):
        TeamFactory.create_batch(len(numbers), organization=tenant_a.organization)

    names = assert_flat_queries(
        lambda: [team.organization.name for team in Team.objects.select_related("organization")], add
    )
    assert len(names) == 41  # Alfa's own team and 40 more


def test_the_flat_check_refuses_to_count_an_error_page(hr, tenant_a):
    with pytest.raises(AssertionError, match="answered 405"):
        assert_flat_queries(lambda: hr.put(url("expectations:index", tenant_a.organization)), lambda numbers: None)


def test_an_htmx_fragment_has_a_context_to_read(hr, tenant_a):
    response = hr.post(
        url("expectations:coach", tenant_a.organization),
        {"behaviour_nl": "Je bent altijd proactief."},
        headers={"HX-Request": "true", "HX-Trigger-Name": "behaviour_nl"},
    )
    assert "<html" not in response.content.decode()
    assert "results" in response.context


def test_the_anonymous_check_logs_the_client_out_first_and_fails_on_another_answer(hr, tenant_a):
    home = url("organizations:home", tenant_a.organization)
    assert_anonymous_refused(hr, home, 302)  # HR, still logged in, would get 200
    with pytest.raises(AssertionError, match="without a login: 302, not 404"):
        assert_anonymous_refused(hr, home, 404)


def test_a_login_through_the_page_fails_on_a_wrong_password_and_is_recorded_when_it_works(tenant_a):
    with pytest.raises(AssertionError, match="did not log in through the login page: 200"):
        browser_logged_in(tenant_a.employee.email, "not the password")
    browser = browser_logged_in(tenant_a.employee.email)
    assert UserSession.objects.filter(user=tenant_a.employee.user, session_key=browser.session.session_key).exists()


def test_the_person_form_body_is_what_the_edit_page_shows_field_for_field(hr, tenant_a):
    page = url("organizations:person_edit", tenant_a.organization, employee_id=tenant_a.employee.pk)
    form = hr.get(page).context["form"]
    shown = {name: "" if form[name].value() is None else form[name].value() for name in form.fields}
    assert person_form(tenant_a.employee) == shown
    assert person_form(tenant_a.employee, job_title="Baas") == {**shown, "job_title": "Baas"}


def invitation_email(text, html):
    message = EmailMultiAlternatives("You are invited", text, to=["eva@example.org"])
    message.attach_alternative(html, "text/html")
    return message


def test_the_invitation_link_is_read_from_both_parts_and_fails_when_they_disagree_or_one_lacks_it(settings):
    settings.SITE_URL = "https://helder.example"
    link = "https://helder.example/invite/abc-1/"
    assert invitation_path(invitation_email(f"Open {link} today.", f'<a href="{link}">Open</a>')) == "/invite/abc-1/"
    other = '<a href="https://helder.example/invite/xyz/">Open</a>'
    with pytest.raises(AssertionError, match="the text links /invite/abc-1/, the HTML /invite/xyz/"):
        invitation_path(invitation_email(link, other))
    with pytest.raises(AssertionError, match="in the HTML"):
        invitation_path(invitation_email(link, "<p>No link.</p>"))
    with pytest.raises(AssertionError, match="in the text"):
        invitation_path(invitation_email("http://elsewhere.example/invite/abc-1/", f'<a href="{link}">Open</a>'))


def test_a_feed_is_read_by_uid_and_an_address_without_a_calendar_fails(client, tenant_a):
    moment = MomentFactory(cycle=CycleFactory(organization=tenant_a.organization, status=CycleStatus.ACTIVE))
    ConversationFactory(moment=moment, employee=tenant_a.employee)
    address = feed_of(tenant_a.employee)
    assert address == feed_of(tenant_a.employee) and address.startswith("/calendar/")  # made once, then the same
    assert list(feed_events(client.get(address))) == [f"moment-{moment.pk}@helder"]
    with pytest.raises(AssertionError, match=r"GET /calendar/unknown.ics \(404\): no feed to read"):
        feed_events(client.get(feed_url("unknown")))
    with pytest.raises(AssertionError, match="not a calendar"):
        feed_events(client.get("/healthz"))


def test_the_outbox_addresses_count_each_message_and_time_is_in_utc():
    for recipients in (["b@example.org"], ["c@example.org", "a@example.org"], ["b@example.org"]):
        mail.EmailMessage("Onderwerp", "Tekst", to=recipients).send()
    assert outbox_addresses() == ["a@example.org", "b@example.org", "b@example.org", "c@example.org"]
    assert utc(2027, 3, 1, 8).isoformat() == "2027-03-01T08:00:00+00:00"


def test_an_activated_cycle_has_a_conversation_per_person_and_window_and_its_reminders_planned(
    tenant_a, django_capture_on_commit_callbacks
):
    june = (datetime.date(2027, 6, 1), datetime.date(2027, 6, 30))
    cycle = activated_cycle(
        tenant_a.organization, capture=django_capture_on_commit_callbacks, windows=[MARCH_2027, june]
    )
    assert cycle.status == CycleStatus.ACTIVE
    assert [(moment.opens_on, moment.closes_on) for moment in cycle.moments.order_by("opens_on")] == [MARCH_2027, june]
    assert Conversation.objects.filter(moment__cycle=cycle).count() == 4 * 2  # Hanna, Mark, Eva and Olaf
    opening = Reminder.objects.filter(cycle=cycle, rule__anchor=ReminderAnchor.WINDOW_OPENS)
    assert {reminder.recipient_id for reminder in opening} == {
        tenant_a.hr.pk,
        tenant_a.manager.pk,
        tenant_a.employee.pk,
        tenant_a.outsider.pk,
    }
