"""The permission matrix: every page of the organisation area and every token address, from the URL resolver.

How the cases are made
    At collection the resolver is walked through every include. A pattern whose route takes ``org_slug`` is an
    organisation page; a pattern outside it, from Helder's own code, that takes a keyword is a token address
    (the calendar feed, the invitation). So a new URL is a new case without editing this file. Its keywords are
    filled by tests/url_objects.py with real objects of organisation A; a keyword that module cannot build fails
    the case, naming the URL and the keyword. Every case is named by the URL's name.

What the page declares, the matrix reads from the view, so nothing is written down twice:
    - who may use it: the rule given to the door, ``org_view(rule)``, which the door keeps on the view as
      ``org_rule`` (None: every member). A view under /o/<org_slug>/ without it did not come through the door and
      fails the matrix.
    - the methods it takes: the list of Django's require_http_methods (require_GET, require_POST and require_safe
      are made from it), read from the closure of that decorator's wrapper. A view without one fails the matrix.

For each organisation page, one case (``test_the_page_admits_exactly_what_it_declares[<URL name>]``), all of
whose requests but the last must change no row of any table (but the session ones: row counts and a digest of
every row, before and after) and send no email:
    1. Another organisation. B's HR admin sends GET and POST (with POST_BODY) to A's address and gets 404: the
       door answers a non-member alike for every role and method, so A's existence does not leak. With B's own
       slug and A's ids, each of B's roles that the rule admits sends each method the page takes and gets 404
       from the page's look-up, which must be scoped to B. (A role B's rule refuses, or a method the page does
       not take, is refused before any look-up: that is steps 2 and 3.)
    2. The rule decides. Each of A's roles the declared rule refuses gets 403 for each method the page takes.
       Refusals by the declared rule are always 403, because the door checks the rule before the view runs.
       The 404s some pages give to members who may not see one object are decided in the view, behind a door
       open to every member: someone else's conversation (cycles.views_conversations, SEE_CONVERSATION) and a
       draft in sharpening for another team (expectations.views_sharpening, the audience), so nobody learns they
       exist. Those object rules are the page tests' to pin.
    3. Methods. As the first role the rule admits, PUT, PATCH, DELETE and whichever of GET and POST the page does
       not take get 405.
    4. Reached. At least one of A's roles the rule admits (HR admin first, then manager, then employee) gets a
       success or a redirect (2xx or 3xx) for GET, or POST on a POST-only page, with A's own objects: the page is
       not vacuously 404 (or 403) for everyone, so steps 1 to 3 refused something that exists.

For each token address: an unknown token gets 404, a person's real token opens the page (200), the token of a
person who has been deactivated gets 404, and a method the page does not take gets 405.

A case that shows a real bug gets a line in KNOWN_BUGS: it runs as xfail(strict=True), so the fix turns it red
until the line is removed.
"""

import re
import sys
from dataclasses import dataclass
from hashlib import sha256
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core import mail
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.urls import URLResolver, get_resolver, include, path, resolve
from django.urls.resolvers import RoutePattern
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from organizations.models import Employee, Team
from organizations.permissions import MANAGE_PEOPLE, can
from organizations.tenancy import org_view
from tests.kit import VOLATILE_TABLES, assert_nothing_changes, client_for
from tests.url_objects import POST_BODY, TOKENS, OrgObjects, UnknownKeyword, unknown_token

pytestmark = pytest.mark.django_db

ORG_KEYWORD = "org_slug"
ROLES = ("hr", "manager", "employee")
WRONG_METHODS = ("PUT", "PATCH", "DELETE")

# ("page" or "token", URL name) -> why that case shows a real bug (one line, naming the refusal that is missing).
KNOWN_BUGS: dict[tuple[str, str], str] = {}


# --- Walking the resolver -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    """One URL pattern: its name, the chain of patterns from the root to it, and its view."""

    name: str
    patterns: tuple
    callback: object

    @property
    def route(self) -> str:
        return "/" + "".join(str(pattern) for pattern in self.patterns)

    @property
    def keywords(self) -> tuple:
        names = []
        for pattern in self.patterns:
            names += list(pattern.converters) if isinstance(pattern, RoutePattern) else list(pattern.regex.groupindex)
        return tuple(names)

    @property
    def ids(self) -> tuple:
        """The keywords that point at an object (everything but the organisation)."""
        return tuple(keyword for keyword in self.keywords if keyword != ORG_KEYWORD)


def walk(patterns, trail=(), namespaces=()):
    """Every URL pattern under ``patterns``, through every include."""
    for entry in patterns:
        here = (*trail, entry.pattern)
        if isinstance(entry, URLResolver):
            inner = (*namespaces, entry.namespace) if entry.namespace else namespaces
            yield from walk(entry.url_patterns, here, inner)
        else:
            name = entry.name or f"<unnamed {''.join(str(pattern) for pattern in here)}>"
            yield Page(name=":".join((*namespaces, name)), patterns=here, callback=entry.callback)


def is_helders_own(view) -> bool:
    """Written in this repository (not allauth's or Django's pages, which have their own tests)."""
    source = Path(getattr(sys.modules.get(view.__module__), "__file__", None) or "/").resolve()
    return source.is_relative_to(settings.BASE_DIR) and not {".venv", "site-packages"} & set(source.parts)


ALL_PAGES = list(walk(get_resolver().url_patterns))
ORG_PAGES = [page for page in ALL_PAGES if ORG_KEYWORD in page.keywords]
# The platform pages (organizations.views_platform) are for Helder's operators: superusers only, whatever the URL.
PLATFORM_PAGES = [page for page in ALL_PAGES if page.name.startswith("platform:")]
TOKEN_PAGES = [
    page
    for page in ALL_PAGES
    if ORG_KEYWORD not in page.keywords
    and page.keywords
    and is_helders_own(page.callback)
    and page not in PLATFORM_PAGES
]


def cases(pages, kind="page"):
    """One case per page, named by its URL name; a known bug runs as a strict xfail."""

    def marks(page):
        reason = KNOWN_BUGS.get((kind, page.name))
        return [pytest.mark.xfail(strict=True, reason=reason)] if reason else []

    return [pytest.param(page, id=page.name, marks=marks(page)) for page in pages]


# --- Reading what the view declares -----------------------------------------------------------------------------


def wrapped_chain(view):
    """The view and every function under it (functools.wraps leaves each one as ``__wrapped__``)."""
    seen = set()
    while view is not None and id(view) not in seen:
        seen.add(id(view))
        yield view
        view = getattr(view, "__wrapped__", None)


def declared_rule(page):
    """The rule the page's view gave to the door (None: every member); fails when the view bypasses the door."""
    for function in wrapped_chain(page.callback):
        if hasattr(function, "org_rule"):
            return function.org_rule
    pytest.fail(
        f"{page.name} ({page.route}) is in the organisation area but its view did not come through the door: "
        "wrap it in organizations.tenancy.org_view(rule)."
    )


def declared_methods(view):
    """The methods Django's require_http_methods lets through (stacked ones intersect), or None when undeclared."""
    found = None
    for function in wrapped_chain(view):
        code = getattr(function, "__code__", None)
        cells = dict(zip(code.co_freevars, function.__closure__ or (), strict=True)) if code else {}
        if "request_method_list" in cells:
            methods = frozenset(cells["request_method_list"].cell_contents)
            found = methods if found is None else found & methods
    return found


def methods_of(page):
    methods = declared_methods(page.callback)
    if methods is None:
        pytest.fail(
            f"{page.name} ({page.route}) does not declare its methods: decorate its view with require_GET, "
            "require_POST, require_safe or require_http_methods, under the door."
        )
    return methods


def taken_or_both(page):
    """The methods to try on a page; GET and POST when it declares none (the methods case fails it loudly)."""
    return declared_methods(page.callback) or frozenset({"GET", "POST"})


def admits(rule, member) -> bool:
    return rule is None or can(member, rule)


# --- Building addresses -------------------------------------------------------------------------------------------

PARAMETER = re.compile(r"<(?:[^>:]+:)?(?P<name>\w+)>")


def filled(pattern, values) -> str:
    """One route piece with its keywords replaced, each through the converter that will read it back."""

    def value(match):
        return str(pattern.converters[match["name"]].to_url(values[match["name"]]))

    return PARAMETER.sub(value, str(pattern))


def address(page, values) -> str:
    """The page's URL with ``values`` put in through each keyword's own converter; must open that very page."""
    parts = []
    for pattern in page.patterns:
        if not isinstance(pattern, RoutePattern):
            pytest.fail(
                f"{page.name} ({page.route}) is a regular expression; the permission matrix fills path() routes. "
                "Use path() with converters."
            )
        parts.append(filled(pattern, values))
    url = "/" + "".join(parts)
    opened = resolve(url)
    if opened.func is not page.callback:
        pytest.fail(f"The address {url} built for {page.name} opens {opened.view_name} instead.")
    return url


def fill(page, objects: OrgObjects, slug: str) -> str:
    """The page's address with ``objects``' organisation's objects, under ``slug``."""
    values = {ORG_KEYWORD: slug}
    for keyword in page.ids:
        try:
            values[keyword] = objects.value(keyword)
        except UnknownKeyword:
            pytest.fail(
                f"The permission matrix cannot build the object behind {keyword!r} of {page.name} ({page.route}): "
                "add a line for it to KEYWORDS in tests/url_objects.py."
            )
    return address(page, values)


# --- The world and what it looks like -------------------------------------------------------------------------


class World:
    """Organisations A and B (tests.conftest.Tenant), A's objects behind the URLs, and one logged-in client each."""

    def __init__(self, a, b):
        self.a, self.b = a, b
        self.objects = OrgObjects(a)
        self.clients = {}

    def client(self, employee) -> Client:
        if employee.pk not in self.clients:
            self.clients[employee.pk] = client_for(employee)
        return self.clients[employee.pk]

    def url(self, page, slug=None) -> str:
        return fill(page, self.objects, slug or self.a.organization.slug)


@pytest.fixture
def world(tenant_a, tenant_b):
    return World(tenant_a, tenant_b)


def database_state() -> dict:
    """Per table (but the session ones): how many rows, and a digest of them all.

    Raw SQL, because the ORM's rows cost about fifteen times as much and this runs twice per page; the matrix
    only needs to know whether anything changed, tests.kit.assert_nothing_changes says what.
    """
    state = {}
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            meta = model._meta
            if not meta.managed or meta.proxy or meta.label_lower in VOLATILE_TABLES:
                continue
            table, pk = connection.ops.quote_name(meta.db_table), connection.ops.quote_name(meta.pk.column)
            cursor.execute(f"SELECT * FROM {table} ORDER BY {pk}")  # table names from the models, no input
            rows = cursor.fetchall()
            state[meta.label_lower] = (len(rows), sha256(repr(rows).encode()).hexdigest())
    return state


def changed_tables(before, after) -> list:
    return sorted(table for table in before.keys() | after.keys() if before.get(table) != after.get(table))


def send(client, method, url) -> int:
    if method == "POST":
        return client.post(url, POST_BODY).status_code
    return getattr(client, method.lower())(url).status_code


# --- The organisation area ------------------------------------------------------------------------------------


@pytest.mark.parametrize("page", cases(ORG_PAGES))
def test_the_page_admits_exactly_what_it_declares(world, page):
    """Closed to another organisation, to the roles its rule refuses and to other methods; open to its rule."""
    rule, methods = declared_rule(page), methods_of(page)
    a, b = world.a, world.b
    url = world.url(page)
    taken = sorted(methods & {"GET", "POST"})
    refused = [a.member(role) for role in ROLES if not admits(rule, a.member(role))]
    admitted = [a.member(role) for role in ROLES if admits(rule, a.member(role))]
    assert admitted, f"{rule} admits none of HR admin, manager and employee: nobody can reach {page.name}"
    # B's own slug with A's ids: only the page's look-up, scoped to B, stands between B's members and A's object.
    # Roles B's rule refuses and methods the page does not take are refused before any look-up (checked below).
    foreign = world.url(page, slug=b.organization.slug) if page.ids else None
    strangers = [b.member(role) for role in ROLES if admits(rule, b.member(role))] if foreign else []
    for member in {b.hr, *strangers, *refused, admitted[0]}:
        world.client(member)

    problems = []

    def expect(status, member, method, address):
        answer = send(world.client(member), method, address)
        if answer != status:
            who = f"{member.organization.slug}'s {member.role}"
            problems.append(f"{method} {address} as {who}: {answer}, expected {status}")

    before = database_state()
    for method in ("GET", "POST"):
        expect(404, b.hr, method, url)  # the door: not a member here, whatever the role or method
    for member in strangers:
        for method in taken:
            expect(404, member, method, foreign)
    for member in refused:
        for method in taken:
            expect(403, member, method, url)
    for method in (*WRONG_METHODS, "GET", "POST"):
        if method not in methods:
            expect(405, admitted[0], method, url)
    if changed := changed_tables(before, database_state()):
        problems.append(f"a refused request changed rows in {', '.join(changed)}")
    if mail.outbox:
        problems.append(f"a refused request sent {len(mail.outbox)} email(s)")

    # Last, because reaching the page may change it (a POST-only page does what it does).
    method = "GET" if "GET" in methods else "POST"
    answers = {}
    for member in admitted:
        answers[member.role] = status = send(world.client(member), method, url)
        if status < 400:
            break
    else:
        problems.append(
            f"no role that {rule or 'the open door'} admits reaches A's own object: {method} {url} {answers}"
        )

    assert not problems, f"{page.name} ({page.route}) takes {sorted(methods)}, rule {rule}:\n" + "\n".join(problems)


# --- Token addresses ------------------------------------------------------------------------------------------


def token_url(page, token) -> str:
    if len(page.keywords) != 1:
        pytest.fail(f"{page.name} ({page.route}) takes {page.keywords}; the matrix fills addresses keyed by a token.")
    return address(page, {page.keywords[0]: token})


def real_token(page, employee) -> str:
    if page.name not in TOKENS:
        pytest.fail(
            f"The permission matrix cannot make a token for {page.name} ({page.route}, keyword "
            f"{page.keywords[0]!r}): add a line for it to TOKENS in tests/url_objects.py."
        )
    return TOKENS[page.name](employee)


@pytest.mark.parametrize("page", cases(TOKEN_PAGES, "token"))
def test_an_unknown_token_gets_404(client, tenant_a, page):
    real_token(page, tenant_a.employee)  # a token exists, just not this one
    url = token_url(page, unknown_token())

    answers = {method: send(client, method, url) for method in sorted(taken_or_both(page) & {"GET", "POST"})}

    assert answers and set(answers.values()) == {404}, answers


@pytest.mark.parametrize("page", cases(TOKEN_PAGES, "token"))
def test_a_persons_own_token_opens_the_page(client, tenant_a, page):
    url = token_url(page, real_token(page, tenant_a.employee))

    assert client.get(url).status_code == 200


@pytest.mark.parametrize("page", cases(TOKEN_PAGES, "token"))
def test_the_token_of_a_deactivated_person_gets_404_and_changes_nothing(client, tenant_a, page):
    url = token_url(page, real_token(page, tenant_a.employee))
    # Only the flag, not the deactivation service: that also revokes invitations, which would hide whether the
    # page itself asks if the person is still active.
    Employee.objects.filter(pk=tenant_a.employee.pk).update(is_active=False, deactivated_at=timezone.now())

    with assert_nothing_changes():
        answers = {method: send(client, method, url) for method in sorted(taken_or_both(page) & {"GET", "POST"})}

    assert answers and set(answers.values()) == {404}, answers


@pytest.mark.parametrize("page", cases(TOKEN_PAGES, "token"))
def test_a_method_the_token_page_does_not_take_gets_405(client, tenant_a, page):
    methods = methods_of(page)
    url = token_url(page, real_token(page, tenant_a.employee))

    answers = {method: send(client, method, url) for method in (*WRONG_METHODS, "GET", "POST") if method not in methods}

    assert {method: status for method, status in answers.items() if status != 405} == {}


def platform_url(page, organization) -> str:
    return "/" + "".join(filled(pattern, {"organization_id": organization.pk}) for pattern in page.patterns)


@pytest.mark.parametrize("page", cases(PLATFORM_PAGES, "platform"))
@pytest.mark.parametrize("role", ROLES)
def test_a_platform_page_is_404_for_every_member_and_changes_nothing(client, tenant_a, page, role):
    url = platform_url(page, tenant_a.organization)
    client.force_login(tenant_a.member(role).user)

    with assert_nothing_changes():
        answers = {method: send(client, method, url) for method in ("GET", "POST")}

    assert set(answers.values()) == {404}, answers


@pytest.mark.parametrize("page", cases(PLATFORM_PAGES, "platform"))
def test_a_platform_page_sends_someone_not_logged_in_to_the_login(client, tenant_a, page):
    url = platform_url(page, tenant_a.organization)

    with assert_nothing_changes():
        answers = {method: send(client, method, url) for method in ("GET", "POST")}

    assert set(answers.values()) == {302}, answers


# --- The matrix's own checks can fail -------------------------------------------------------------------------


def thing(request, org_slug, thing_id):
    return HttpResponse()


THINGS = [path("o/<slug:org_slug>/", include(([path("things/<int:thing_id>/", thing, name="thing")], "things")))]


def test_the_walk_finds_pages_with_and_without_ids_and_the_token_addresses():
    org_names = {page.name for page in ORG_PAGES}
    assert {"organizations:home", "cycles:my_year", "expectations:coach", "cycles:reminder_resend"} <= org_names
    assert {"calendar_feed", "invitation_accept"} <= {page.name for page in TOKEN_PAGES}
    assert {"platform:organization_list", "platform:organization_invite"} <= {page.name for page in PLATFORM_PAGES}
    assert not [page.name for page in TOKEN_PAGES if page.name.startswith("account_")]


def test_a_url_added_in_any_include_becomes_a_case_without_editing_the_matrix():
    pages = list(walk(THINGS))

    assert [(page.name, page.route, page.ids) for page in pages] == [
        ("things:thing", "/o/<slug:org_slug>/things/<int:thing_id>/", ("thing_id",))
    ]


def test_a_keyword_nobody_can_build_fails_naming_the_url_and_the_keyword(tenant_a):
    page = next(walk(THINGS))

    with pytest.raises(pytest.fail.Exception, match=r"'thing_id' of things:thing \(/o/<slug:org_slug>/things/"):
        fill(page, OrgObjects(tenant_a), tenant_a.organization.slug)


def test_the_matrix_reads_the_rule_and_methods_a_view_declares_and_fails_without_them():
    @org_view(MANAGE_PEOPLE)
    @require_http_methods(["GET", "POST"])
    def declared(request):
        return HttpResponse()

    @org_view()
    def no_methods(request):
        return HttpResponse()

    @require_GET
    def outside_the_door(request, org_slug):
        return HttpResponse()

    area = (RoutePattern("o/<slug:org_slug>/"),)
    assert declared_rule(Page("x:declared", area, declared)) == MANAGE_PEOPLE
    assert methods_of(Page("x:declared", area, declared)) == {"GET", "POST"}
    assert declared_rule(Page("x:no_methods", area, no_methods)) is None
    with pytest.raises(pytest.fail.Exception, match="x:no_methods .*does not declare its methods"):
        methods_of(Page("x:no_methods", area, no_methods))
    with pytest.raises(pytest.fail.Exception, match="x:outside_the_door .*did not come through the door"):
        declared_rule(Page("x:outside_the_door", area, outside_the_door))


def test_the_database_state_notices_one_changed_row_and_ignores_sessions(tenant_a):
    before = database_state()

    Team.objects.filter(pk=tenant_a.team.pk).update(name="Anders")
    client_for(tenant_a.hr).get("/")  # a login writes a session row

    assert changed_tables(before, database_state()) == ["accounts.user", "organizations.team"]
