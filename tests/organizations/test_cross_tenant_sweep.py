"""Every page under /o/<org_slug>/ that takes an object id, opened with another organisation's ids.

The sweep walks the whole URL configuration, so an app that later adds pages
under /o/<org_slug>/ (in organizations.urls or in an include of its own) is
swept without touching this file, except to say here how to make organisation
B's object for each new kind of id (OBJECT_KWARGS). A pattern with an id this
file does not know fails the sweep, on purpose.

For each role of organisation A, with A's slug in the address, every such URL
is opened with GET and with POST, filled with B's objects, and must answer
404 and change nothing of B's. A 403 (the role may not use the page at all) or
a 405 (the page does not take that method) is accepted only when A's own
object gets exactly the same answer, which proves the refusal came before any
object was looked up, so the answer says nothing about B.
"""

import re
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.core import mail
from django.db import models
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern

from accounts.models import User
from cycles.models import CycleStatus, Reminder, ReminderAnchor, ReminderStatus
from cycles.planning import reminder_rules_default
from expectations.models import Status
from organizations.models import Organization, PeopleImport
from tests.factories import (
    ConversationFactory,
    CoreValueFactory,
    CycleFactory,
    ExpectationFactory,
    MomentFactory,
    NotCountedFactory,
    StrategicGoalFactory,
    SuggestionFactory,
)

pytestmark = pytest.mark.django_db

ORG_KWARG = "org_slug"


def people_import(tenant):
    return PeopleImport.objects.create(
        organization=tenant.organization,
        uploaded_by=tenant.hr,
        file_name="people.csv",
        content="email;first_name\nnieuw@example.org;Nieuw\n",
    ).pk


# URL kwarg name -> how to make (or pick) that kind of object in a tenant, returning its id.
# A new page with a new kind of id must add a line here.
def conversation(tenant):
    """The employee's conversation in an active cycle (their manager is the tenant's manager)."""
    cycle = CycleFactory(organization=tenant.organization, status=CycleStatus.ACTIVE)
    moment = MomentFactory(cycle=cycle)
    return ConversationFactory(moment=moment, employee=tenant.employee)


def sharpened(tenant):
    """An expectation open for suggestions, with a suggestion, for both its own and the suggestion's id."""
    expectation = ExpectationFactory(organization=tenant.organization, status=Status.SHARPENING, published_at=None)
    return SuggestionFactory(organization=tenant.organization, expectation=expectation, author=tenant.employee)


def failed_reminder(tenant):
    """A failed reminder about the employee's conversation, under a rule of that conversation's cycle.

    Made once per tenant (kept on the tenant), so that cycle_id, rule_id and
    reminder_id fill one address with objects that belong together: B's rule
    under B's own cycle, so only the organisation can make the answer 404.
    """
    if not hasattr(tenant, "sweep_reminder"):
        talk = conversation(tenant)
        cycle = talk.moment.cycle
        reminder_rules_default(cycle=cycle)
        tenant.sweep_reminder = Reminder.objects.create(
            organization=tenant.organization,
            cycle=cycle,
            rule=cycle.reminder_rules.get(anchor=ReminderAnchor.WINDOW_OPENS),
            recipient=tenant.employee,
            conversation=talk,
            key=f"sweep:{tenant.organization.slug}",
            due_at=talk.created_at,
            next_try_at=talk.created_at,
            status=ReminderStatus.FAILED,
            attempts=3,
            last_error="The email address is not valid.",
        )
    return tenant.sweep_reminder


OBJECT_KWARGS = {
    "employee_id": lambda tenant: tenant.employee.pk,
    "team_id": lambda tenant: tenant.team.pk,
    "import_id": people_import,
    "value_id": lambda tenant: CoreValueFactory(organization=tenant.organization).pk,
    "goal_id": lambda tenant: StrategicGoalFactory(organization=tenant.organization).pk,
    "item_id": lambda tenant: NotCountedFactory(organization=tenant.organization).pk,
    "expectation_id": lambda tenant: sharpened(tenant).expectation_id,
    "number": lambda tenant: 1,
    "suggestion_id": lambda tenant: sharpened(tenant).pk,
    "cycle_id": lambda tenant: failed_reminder(tenant).cycle_id,
    "moment_id": lambda tenant: conversation(tenant).moment_id,
    "conversation_id": lambda tenant: conversation(tenant).pk,
    "rule_id": lambda tenant: failed_reminder(tenant).rule_id,
    "reminder_id": lambda tenant: failed_reminder(tenant).pk,
}

# What a tampered form would send: every field the organisation forms know, with values
# that would change something if a view accepted them.
POST_DATA = {
    "name": "Overgenomen",
    "email": "overgenomen@example.org",
    "first_name": "Overgenomen",
    "last_name": "Overgenomen",
    "job_title": "Overgenomen",
    "role": "hr_admin",
    "team": "",
    "manager": "",
    "language": "en",
    "confirm": "1",
    "reply": "Overgenomen",
    "text": "Overgenomen",
    "why": "Overgenomen",
    "closes_on": "2099-01-01",
    "cap": "7",
    "weight": "100",
    "title_nl": "Overgenomen",
    "name_nl": "Overgenomen",
    "day": "2027-06-15",
    "time": "10:00",
    "location": "Overgenomen",
    "agreements": "Overgenomen",
    "opens_on": "2027-06-01",
    "purpose_nl": "Overgenomen",
    "text_nl": "Overgenomen",
    "anchor": "window_closes",
    "offset_days": "-1",
    "time_of_day": "23:00",
    "audience": "employee",
    "enabled": "on",
}


@dataclass
class Route:
    name: str  # "namespace:name", for messages
    parts: list  # the route pieces from the root, each a RoutePattern's route string
    kwargs: list  # every kwarg the URL takes, org_slug included

    def build(self, values):
        path = "/" + "".join(self.parts)
        return re.sub(r"<(?:\w+:)?(\w+)>", lambda match: str(values[match.group(1)]), path)


def route_kwargs(route):
    return re.findall(r"<(?:\w+:)?(\w+)>", route)


def pattern_kwargs(pattern):
    if isinstance(pattern, RoutePattern):
        return route_kwargs(str(pattern))
    return list(pattern.regex.groupindex)


def walk(patterns, parts=(), namespaces=(), kwargs=()):
    """Every URL pattern of the project, with the route pieces that lead to it."""
    for entry in patterns:
        route = [*parts, str(entry.pattern)]
        names = [*kwargs, *pattern_kwargs(entry.pattern)]
        if ORG_KWARG in names and not isinstance(entry.pattern, RoutePattern):
            raise AssertionError(
                f"The cross-tenant sweep reads path() routes only; {''.join(route)} is a regular expression. "
                "Use path() with converters, or teach tests/organizations/test_cross_tenant_sweep.py to read it."
            )
        if isinstance(entry, URLResolver):
            namespace = [*namespaces, entry.namespace] if entry.namespace else list(namespaces)
            yield from walk(entry.url_patterns, route, namespace, names)
        elif isinstance(entry, URLPattern):
            name = ":".join([*namespaces, entry.name or f"<unnamed {''.join(route)}>"])
            yield Route(name=name, parts=route, kwargs=names)


def organisation_routes():
    """Routes under /o/<org_slug>/ that take at least one object id."""
    return [
        route
        for route in walk(get_resolver().url_patterns)
        if ORG_KWARG in route.kwargs and set(route.kwargs) - {ORG_KWARG}
    ]


def require_known_kwargs(routes):
    """Fail once, naming every id the sweep cannot fill and the pages that take it."""
    missing = {}
    for route in routes:
        for kwarg in route.kwargs:
            if kwarg != ORG_KWARG and kwarg not in OBJECT_KWARGS:
                missing.setdefault(kwarg, []).append(route.name)
    if missing:
        lines = [f"  {kwarg}: taken by {', '.join(sorted(set(names)))}" for kwarg, names in sorted(missing.items())]
        pytest.fail(
            "The cross-tenant sweep cannot fill these URL kwargs. Add a factory for organisation B's object "
            f"of each to OBJECT_KWARGS in {__file__}:\n" + "\n".join(lines)
        )


def url_for(route, tenant, slug, made):
    """The route filled with ``tenant``'s objects (made once per tenant and kind) under ``slug``."""
    values = {ORG_KWARG: slug}
    for kwarg in route.kwargs:
        if kwarg == ORG_KWARG:
            continue
        if kwarg not in OBJECT_KWARGS:
            pytest.fail(
                f"The URL {route.name} ({''.join(route.parts)}) takes {kwarg!r}, which the cross-tenant sweep "
                f"cannot fill. Add a factory for organisation B's {kwarg} to OBJECT_KWARGS in {__file__}."
            )
        key = (tenant.organization.pk, kwarg)
        if key not in made:
            made[key] = OBJECT_KWARGS[kwarg](tenant)
        values[kwarg] = made[key]
    return route.build(values)


def tenant_models():
    """Every model with a foreign key to Organization, with the name of that field."""
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.ForeignKey) and field.related_model is Organization:
                yield model, field.name


def snapshot(organization):
    """All of ``organization``'s rows and its people's logins, as plain values."""
    rows = {"organization": model_to_dict(Organization.objects.get(pk=organization.pk))}
    for model, field in tenant_models():
        queryset = model._base_manager.filter(**{field: organization}).order_by("pk")
        rows[model._meta.label] = list(queryset.values())
    logins = User.objects.filter(memberships__organization=organization).order_by("pk")
    rows["logins"] = list(logins.values())
    return rows


def test_the_sweep_finds_the_organisation_pages_that_take_an_id():
    names = {route.name for route in organisation_routes()}
    assert {
        "organizations:person_detail",
        "organizations:person_edit",
        "organizations:person_deactivate",
        "organizations:person_reactivate",
        "organizations:person_invite",
        "organizations:team_edit",
        "organizations:team_delete",
        "organizations:import_preview",
        "organizations:import_apply",
        "cycles:reminders",
        "cycles:reminder_rule_edit",
        "cycles:reminder_rule_delete",
        "cycles:reminder_resend",
    } <= names
    assert "organizations:home" not in names


def test_the_sweep_fails_clearly_on_an_id_it_cannot_fill(tenant_b):
    route = Route(
        name="reviews:observation_edit",
        parts=["o/<slug:org_slug>/", "observations/<int:observation_id>/"],
        kwargs=["org_slug", "observation_id"],
    )
    with pytest.raises(pytest.fail.Exception, match="observation_id: taken by reviews:observation_edit"):
        require_known_kwargs([route])
    with pytest.raises(pytest.fail.Exception, match="takes 'observation_id'.*Add a factory"):
        url_for(route, tenant_b, tenant_b.organization.slug, {})


@pytest.mark.parametrize("role", ["hr", "manager", "employee"])
def test_a_member_of_organisation_a_cannot_reach_organisation_bs_objects(tenant_a, tenant_b, role):
    routes = organisation_routes()
    require_known_kwargs(routes)
    made = {}
    targets = [(route, url_for(route, tenant_b, tenant_a.organization.slug, made)) for route in routes]
    own = {route.name: url_for(route, tenant_a, tenant_a.organization.slug, made) for route in routes}
    client = Client()
    client.force_login(tenant_a.member(role).user)
    before = snapshot(tenant_b.organization)

    problems = []
    for route, url in targets:
        for method in ("get", "post"):
            response = getattr(client, method)(url, POST_DATA if method == "post" else None)
            status = response.status_code
            if status == 404:
                continue
            if status in (403, 405):
                own_status = getattr(client, method)(own[route.name], POST_DATA if method == "post" else None)
                if own_status.status_code == status:
                    continue
                problems.append(
                    f"{method.upper()} {url} ({route.name}) answered {status} for B's object "
                    f"but {own_status.status_code} for A's own: the answer depends on the object"
                )
                continue
            problems.append(f"{method.upper()} {url} ({route.name}) answered {status}, expected 404")

    assert not problems, f"As A's {role}:\n" + "\n".join(problems)
    assert snapshot(tenant_b.organization) == before, f"As A's {role}, a request changed organisation B's rows"
    assert mail.outbox == []
