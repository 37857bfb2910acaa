"""What every page test shares: addresses, people's clients, reading a page, and the checks every page test makes.

The fixtures that go with it (the two organisations and a logged-in client per role) are in tests/conftest.py.
Errors and messages are read from ``response.context``, the way the view handed them to the template, and each
one is also looked for on the page, so a template that forgets to show it still fails the test.
"""

import datetime
import re
from collections import Counter
from contextlib import contextmanager
from urllib.parse import urlsplit

import icalendar
from django.apps import apps
from django.conf import settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.forms import BaseForm
from django.forms.models import model_to_dict
from django.test import Client
from django.test.signals import template_rendered
from django.test.utils import CaptureQueriesContext, ContextList
from django.urls import resolve, reverse
from django.utils.html import conditional_escape
from django_scopes import scopes_disabled
from template_partials.templatetags.partials import TemplateProxy

from organizations.models import Employee, PeopleImport
from tests.factories import PASSWORD

# Tables every request may write whoever sends it (the session, and allauth's record of it): not "a change".
VOLATILE_TABLES = {"sessions.session", "usersessions.usersession"}


# --- addresses and people ----------------------------------------------------------------------


def url(name, organization, **kwargs):
    """The address of a namespaced page in ``organization``: ``url("expectations:detail", org, expectation_id=1)``."""
    return reverse(name, kwargs={"org_slug": organization.slug, **kwargs})


def in_english(*employees):
    """Make each person's pages come back in English (their saved language, which the door activates)."""
    for employee in employees:
        _set_language(employee, "en")


def feed_url(token):
    """The address of a calendar feed, ``/calendar/<token>.ics``: outside any organisation, opened without a login."""
    return reverse("calendar_feed", kwargs={"token": token})


def feed_of(employee):
    """The address of ``employee``'s calendar feed, made on first use as their "My year" page makes it."""
    # Imported here: conftest.py loads the kit before every test, and only the feed tests need the cycles app.
    from cycles import services

    return feed_url(services.feed_for(employee=employee).token)


def _set_language(employee, language):
    employee.user.language = language
    employee.user.save(update_fields=["language"])


def client_for(employee, *, language="en"):
    """A client of its own, logged in as ``employee`` (reading in ``language``; None keeps theirs).

    A new client per person, so that two people in one test never share a session; the person is on
    ``client.employee``.
    """
    if language is not None:
        _set_language(employee, language)
    client = Client()
    client.force_login(employee.user)
    client.employee = employee
    return client


def log_in_with_password(client, email, password=PASSWORD, *, login_url=None, **fields):
    """Send allauth's login form on ``client`` as a person does; the response, unchecked (a redirect if it worked).

    ``login_url`` is the login link a page offered (``/accounts/login/?next=...``); ``fields`` are more form fields.
    Unlike force_login, this records the session with allauth's usersessions, so ending a person's sessions
    (person_deactivate) reaches it.
    """
    return client.post(login_url or reverse("account_login"), {"login": email, "password": password, **fields})


def browser_logged_in(email, password=PASSWORD, *, client=None):
    """``client`` (by default a new Client) logged in through the login page; fails unless the login worked."""
    client = Client() if client is None else client
    response = log_in_with_password(client, email, password)
    assert response.status_code == 302 and "_auth_user_id" in client.session, (
        f"{email} did not log in through the login page: {response.status_code}, {response.content.decode()[:300]}"
    )
    return client


def person_form(person, **changes):
    """What HR's form for ``person`` (organizations:person_edit) shows, with ``changes``: the body to post."""
    data = {
        "email": person.user.email,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "job_title": person.job_title,
        "employee_number": person.employee_number,
        "role": person.role,
        "team": person.team_id or "",
        "manager": person.manager_id or "",
    }
    data.update(changes)
    return data


def moment_data(**changes):
    """What HR posts to add or edit a moment (cycles:moment_create): a development talk in September 2027."""
    data = {
        "kind": "development",
        "name_nl": "Ontwikkelgesprek",
        "name_en": "Development conversation",
        "purpose_nl": "Wat wil je leren?",
        "purpose_en": "What do you want to learn?",
        "opens_on": "2027-09-01",
        "closes_on": "2027-09-30",
        "preparation_employee_nl": "",
        "preparation_employee_en": "",
        "preparation_manager_nl": "",
        "preparation_manager_en": "",
    }
    data.update(changes)
    return data


# --- people files (the import) ---------------------------------------------------------------------

PEOPLE_HEADER = "email;first_name;last_name;job_title;team;manager_email;role"


def people_csv(*lines, header=PEOPLE_HEADER):
    """A people file as HR's spreadsheet saves it: ``header``, then one line each, separated by semicolons."""
    return "\n".join([header, *lines]) + "\n"


def people_file(*lines, header=PEOPLE_HEADER, name="people.csv"):
    """``people_csv(*lines)`` as the file HR picks on the upload page (its ``file`` field)."""
    return SimpleUploadedFile(name, people_csv(*lines, header=header).encode(), content_type="text/csv")


def stored_import(tenant, *lines, header=PEOPLE_HEADER):
    """The PeopleImport of a file ``tenant``'s HR admin uploaded, stored by the service (no page, no preview yet)."""
    from organizations.importing import people_import_create  # here, as in feed_of: only import tests need it

    raw = people_csv(*lines, header=header).encode()
    return people_import_create(
        organization=tenant.organization, uploaded_by=tenant.hr, file_name="people.csv", raw=raw
    )


def import_preview(tenant, *lines, header=PEOPLE_HEADER):
    """What the preview would show of a people file for ``tenant`` (the service, nothing stored)."""
    from organizations.importing import people_import_preview

    return people_import_preview(organization=tenant.organization, content=people_csv(*lines, header=header))


def import_page(name, people_import):
    """The address of an import's page: ``import_page("preview", people_import)`` (or "apply")."""
    return url(f"organizations:import_{name}", people_import.organization, import_id=people_import.pk)


def uploaded_through_the_page(hr, organization, *lines, header=PEOPLE_HEADER):
    """Upload a people file as ``hr`` (a logged-in client) on the upload page; the PeopleImport it stored.

    Fails unless the page took the file (302 to its preview): an upload refused is a different test.
    """
    page = url("organizations:import_upload", organization)
    response = hr.post(page, {"file": people_file(*lines, header=header)})
    assert response.status_code == 302, f"POST {page}: {response.status_code}, the file was not taken"
    return PeopleImport.objects.latest("pk")


# --- emails ------------------------------------------------------------------------------------


def outbox_addresses():
    """Every address the test outbox sent to, once per message that went there, sorted."""
    return sorted(address for message in mail.outbox for address in message.to)


def invitation_path(message):
    """The invitation address (``/invite/<token>/``) in an email; its text and HTML parts must link the same one.

    The link is absolute, under SITE_URL, as a mail client needs it; the path is what the test client opens.
    """
    link = re.escape(settings.SITE_URL.rstrip("/")) + r"(/invite/[\w-]+/)"
    html_part = next((content for content, mimetype in message.alternatives if mimetype == "text/html"), "")
    text, html = re.search(link, message.body), re.search(f'href="{link}"', html_part)
    assert text, f"no invitation link under {settings.SITE_URL} in the text of {message.subject!r}:\n{message.body}"
    assert html, f"no invitation link under {settings.SITE_URL} in the HTML of {message.subject!r}"
    assert text.group(1) == html.group(1), f"the text links {text.group(1)}, the HTML {html.group(1)}"
    return text.group(1)


# --- reading a response ------------------------------------------------------------------------


_render_partial = TemplateProxy._render


def render_partial_and_record(self, context):
    """TemplateProxy._render that reports its context, as Django's test setup makes every whole template do.

    django-template-partials renders a fragment ("page.html#form") without Template._render, so without this an
    htmx response has no ``response.context`` to read its form errors from. conftest.py installs it for the run.
    """
    template_rendered.send(sender=self, template=self, context=context)
    return _render_partial(self, context)


def _where(response):
    return f"{response.request['REQUEST_METHOD']} {response.request['PATH_INFO']} ({response.status_code})"


def _context(response):
    """The template variables of every template the response rendered, the page's own first."""
    assert response.context is not None, (
        f"{_where(response)} rendered no template, so there is nothing to read; a redirect? pass follow=True"
    )
    contexts = response.context if isinstance(response.context, ContextList) else [response.context]
    variables = {}
    for context in contexts:
        for key, value in context.flatten().items():
            variables.setdefault(key, value)
    return variables


def _assert_shown(response, texts, what):
    page = response.content.decode()
    hidden = [text for text in texts if conditional_escape(text) not in page]
    assert not hidden, f"{_where(response)}: {what} in the context but not on the page: {hidden}"


def bound_form(response, name="form"):
    """The form a response shows: the context's ``name`` if it was posted, else the first form with errors.

    Fails, naming the context's keys, when the response has no form at all.
    """
    variables = _context(response)
    forms = {key: value for key, value in variables.items() if isinstance(value, BaseForm)}
    assert forms, f"{_where(response)} has no form in its context; its keys: {sorted(variables)}"
    named = forms.get(name)
    if named is not None and named.is_bound:
        return named
    with_errors = [form for form in forms.values() if form.is_bound and form.errors]
    if with_errors:
        return with_errors[0]
    assert named is not None, f"{_where(response)}: no form {name!r} and none with errors; forms: {sorted(forms)}"
    return named


def field_errors(response, field, form="form"):
    """The messages shown at ``field`` of the response's form (see bound_form), as a list of text."""
    bound = bound_form(response, form)
    assert field in bound.fields, f"the form has no field {field!r}; its fields: {sorted(bound.fields)}"
    messages = [str(message) for message in bound.errors.get(field, [])]
    _assert_shown(response, messages, f"errors at {field!r}")
    return messages


def field_error(response, field, form="form"):
    """The one message shown at ``field``, or None when it has none (more than one fails: use field_errors)."""
    messages = field_errors(response, field, form)
    assert len(messages) <= 1, f"{field!r} has {len(messages)} errors, not one: {messages}"
    return messages[0] if messages else None


def nonfield_errors(response, form="form"):
    """The messages the response's form shows for the form as a whole, as a list of text."""
    messages = [str(message) for message in bound_form(response, form).non_field_errors()]
    _assert_shown(response, messages, "form-wide errors")
    return messages


def feed_events(response):
    """The events of a calendar feed response by UID; fails unless it answered 200 with a calendar."""
    assert response.status_code == 200, f"{_where(response)}: no feed to read"
    assert response["Content-Type"].startswith("text/calendar"), (
        f"{_where(response)} is {response['Content-Type']}, not a calendar"
    )
    return {str(event["UID"]): event for event in icalendar.Calendar.from_ical(response.content).walk("VEVENT")}


def shown_messages(response):
    """The django.contrib.messages a rendered page shows (for a redirect, the page at the end of follow=True)."""
    variables = _context(response)
    assert "messages" in variables, f"{_where(response)} has no messages in its context"
    texts = [str(message) for message in variables["messages"]]
    _assert_shown(response, texts, "messages")
    return texts


# --- what changed ------------------------------------------------------------------------------


def rows_by_pk(model):
    """Every row of ``model``, of every organisation, by primary key as model_to_dict gives it: compare two."""
    with scopes_disabled():
        return {row.pk: model_to_dict(row) for row in model._base_manager.order_by("pk")}


def _rows(querysets):
    """Every row of ``querysets``, or of every table but the volatile ones, as comparable values."""
    with scopes_disabled():
        if querysets:
            return {
                f"{queryset.model._meta.label_lower} (queryset {number})": list(queryset.order_by("pk").values())
                for number, queryset in enumerate(querysets, 1)
            }
        return {
            model._meta.label_lower: list(model._base_manager.order_by("pk").values())
            for model in apps.get_models(include_auto_created=True)
            if model._meta.managed and not model._meta.proxy and model._meta.label_lower not in VOLATILE_TABLES
        }


@contextmanager
def tables_changed(*querysets):
    """Yield a list that, after the block, names each of ``querysets`` (by default: each table) whose rows it changed.

    For a test that asks whether a request was accepted rather than asserting it: ``accepted = bool(changed)``.
    """
    before = _rows(querysets)
    changed = []
    yield changed
    after = _rows(querysets)
    changed.extend(name for name in before if before[name] != after[name])


@contextmanager
def assert_nothing_changes(*querysets):
    """Fail if the block adds, changes or deletes a row of ``querysets`` (by default: of any table)."""
    with tables_changed(*querysets) as changed:
        yield
    assert not changed, f"rows changed in: {', '.join(changed)}"


# --- the checks every page needs ---------------------------------------------------------------


def _send(client, method, url, data=None, headers=None):
    return getattr(client, method.lower())(url, **({} if data is None else {"data": data}), headers=headers)


def assert_refused(client, member, url, status, method="get", data=None, *, unchanged=(), headers=None):
    """Log ``member`` in on ``client``, send the request, expect ``status`` and no row changed; return the response.

    ``unchanged`` narrows "no row changed" to those querysets; ``headers`` go with the request (e.g. HX-Request).
    """
    client.force_login(member.user)
    with assert_nothing_changes(*unchanged):
        response = _send(client, method, url, data, headers)
        assert response.status_code == status, (
            f"{method.upper()} {url} as {member} ({member.role} of {member.organization.slug}): "
            f"{response.status_code}, not {status}"
        )
    return response


def assert_anonymous_refused(client, url, status, method="get", data=None, *, unchanged=(), headers=None):
    """Log ``client`` out, send the request, expect ``status`` and no row changed; return the response.

    For addresses outside /o/<slug>/ that a visitor opens without a login, such as an invitation link.
    """
    client.logout()
    with assert_nothing_changes(*unchanged):
        response = _send(client, method, url, data, headers)
        assert response.status_code == status, (
            f"{method.upper()} {url} without a login: {response.status_code}, not {status}"
        )
    return response


def assert_other_organisation_gets_404(
    client, member_of_other_org, url, method="get", data=None, *, unchanged=(), headers=None
):
    """A member of another organisation gets 404 (as if the page did not exist) and changes nothing.

    Fails also when ``member_of_other_org`` belongs to the organisation in ``url``: the check would prove nothing.
    """
    slug = resolve(urlsplit(url).path).kwargs.get("org_slug")
    assert slug, f"{url} is not an organisation's page (no /o/<slug>/)"
    with scopes_disabled():
        member_there = Employee.objects.filter(user=member_of_other_org.user, organization__slug=slug).exists()
    assert not member_there, f"{member_of_other_org} is a member of {slug}: choose someone from another organisation"
    return assert_refused(client, member_of_other_org, url, 404, method, data, unchanged=unchanged, headers=headers)


def assert_role_forbidden(client, member, url, method="get", data=None, *, unchanged=(), headers=None):
    """A member whose role may not use the page gets 403 and changes nothing."""
    return assert_refused(client, member, url, 403, method, data, unchanged=unchanged, headers=headers)


def assert_method_not_allowed(client, url, methods):
    """Each of ``methods`` ("put", "delete", ...) gets 405 from ``client`` (already logged in) and changes nothing."""
    methods = [methods] if isinstance(methods, str) else methods
    assert methods, "name at least one method the page does not take"
    for method in methods:
        with assert_nothing_changes():
            status = _send(client, method, url).status_code
        assert status == 405, f"{method.upper()} {url}: {status}, not 405"


# --- time --------------------------------------------------------------------------------------


def utc(*args):
    """A moment in UTC, as the database stores it: ``utc(2027, 3, 1, 8)`` is 09:00 in Amsterdam that day."""
    return datetime.datetime(*args, tzinfo=datetime.UTC)


# Monday 4 January 2027, 10:00 UTC: where the ``january_2027`` fixture (tests/conftest.py) stops the clock.
JANUARY_4_2027 = utc(2027, 1, 4, 10)


# --- a cycle as HR makes it -----------------------------------------------------------------------

MARCH_2027 = (datetime.date(2027, 3, 1), datetime.date(2027, 3, 31))


def activated_cycle(organization, *, capture, windows=(MARCH_2027,)):
    """A 2027 cycle made through the services as HR makes it, then activated, its reminders planned.

    From scratch (with the default reminder rules), one progress moment per window in ``windows``. ``capture`` is
    pytest-django's ``django_capture_on_commit_callbacks``: activation hands the planning over after commit.
    """
    from cycles import services  # here, as in feed_of: only the cycles tests need the app
    from cycles.models import MomentKind

    cycle = services.cycle_create(
        organization=organization,
        name="2027",
        starts_on=datetime.date(2027, 1, 1),
        ends_on=datetime.date(2027, 12, 31),
        from_template=False,
    )
    for number, (opens_on, closes_on) in enumerate(windows):
        services.moment_save(
            cycle=cycle,
            kind=MomentKind.PROGRESS,
            name_nl=f"Voortgang {number}",
            name_en=f"Progress {number}",
            purpose_nl="Bijsturen.",
            purpose_en="Adjusting.",
            opens_on=opens_on,
            closes_on=closes_on,
        )
    with capture(execute=True):
        services.cycle_activate(cycle=cycle)
    cycle.refresh_from_db()
    return cycle


# --- query counts ------------------------------------------------------------------------------


def _normalised(sql):
    """SQL with its values taken out, so that the same query for another row counts as the same query."""
    sql = re.sub(r"'(?:[^']|'')*'", "?", sql)
    sql = re.sub(r"\b\d+(?:\.\d+)?\b", "?", sql)
    return re.sub(r"\(\?(?:, \?)*\)", "(...)", sql)


def _measure(run):
    run()  # once unmeasured: the session, the content types and other caches settle first
    with CaptureQueriesContext(connection) as captured:
        result = run()
    status = getattr(result, "status_code", 200)
    assert status == 200, f"the measured call answered {status}: a flat count of an error page proves nothing"
    return [query["sql"] for query in captured], result


def assert_flat_queries(run, build, *, few=2, many=40):
    """``run()`` makes as many queries with ``many`` rows as with ``few``; returns its result with ``many``.

    ``run`` is called twice per count (once to settle caches, once measured), so make it a read, such as a GET.
    ``build(numbers)`` adds one row per number: first ``range(0, few)``, then ``range(few, many)``. Check the
    returned response shows the ``many`` rows, or the count may be flat because the rows never appear.
    On failure the message gives both counts and each query whose number of runs changed.
    """
    build(range(0, few))
    small, _ = _measure(run)
    build(range(few, many))
    large, result = _measure(run)
    if len(small) != len(large):
        before, after = Counter(map(_normalised, small)), Counter(map(_normalised, large))
        grown = [f"  {before[sql]} -> {after[sql]}: {sql}" for sql in before | after if before[sql] != after[sql]]
        raise AssertionError(
            f"{len(small)} queries with {few} rows, {len(large)} with {many}; these ran a different number of times:\n"
            + "\n".join(grown)
        )
    return result


# --- A broker that is down ------------------------------------------------------------------------------------------

UNREACHABLE_BROKER = "redis://127.0.0.1:1/0"  # nothing listens on port 1


def _forget_broker_connections():
    # Celery keeps its connection pools per app; without this a pool made for another broker earlier in the
    # session would be used. (What Celery itself does after a fork.)
    from config.celery import app

    app._pool = None
    if "amqp" in app.__dict__:
        app.amqp._producer_pool = None


@contextmanager
def broker_down():
    """Celery as in production (not eager), with a broker that refuses every connection."""
    from config.celery import app

    saved = {name: app.conf[name] for name in ("broker_url", "task_always_eager")}
    app.conf.update(broker_url=UNREACHABLE_BROKER, task_always_eager=False)
    _forget_broker_connections()
    try:
        yield
    finally:
        app.conf.update(saved)
        _forget_broker_connections()


def not_joined(*employees):
    """Take ``employees`` back to before they accepted their membership: the people HR (re-)invites."""
    for employee in employees:
        Employee.objects.filter(pk=employee.pk).update(joined_at=None)
        employee.joined_at = None


# --- Results kept in the cache (core.cache) --------------------------------------------------------------------------


@contextmanager
def kept_in_cache(settings, name, seconds=300):
    """The cache the test settings turn off (``name``: CALIBRATION_, FEED_ or BUDGET_CACHE_SECONDS) on, and empty
    before and after, so what one test keeps never reaches another."""
    from django.core.cache import cache

    setattr(settings, name, seconds)
    cache.clear()
    try:
        yield
    finally:
        cache.clear()
