"""The large demo: Groot BV (``groot``) with any number of people, to measure pages at 10,000 people.

``manage.py seed_demo --people 10000`` (or ``--size large``) builds it next to the small demo. Logins, all with
password 'demo' (organizations.demo.DEMO_PASSWORD):

- ``hr@groot.example`` (and ``hr2@`` … ``hr4@``): HR admins;
- ``director@groot.example``: the manager of the managers and HR admins;
- ``manager<N>@groot.example``: the manager of "Team <N>" (about 300 teams at 10,000 people);
- ``employee<M>@groot.example``: employees, 32 or 33 per team in order: employee1 … employee33 report to manager1.

What it holds: published expectations (three for everyone, one or two per team, within the cap of five), this
year's cycle from the template, active, with every conversation in a state that follows from today's date (past
windows mostly held, about one in six overdue; the open window a quarter held, half scheduled, a quarter to
schedule), self-reflections, the observations, requests and reviews of home.large_demo_reviews, the
reminders the cycle's rules plan (cycles.planning.reminders_plan, the planner itself), and pay (pay.demo: salary
scales, everyone placed but two, a published pay table and a budget).

Conversations fall on working days between 08:30 and 16:00 on the quarter hour (organizations.demo_time), and each
held one has agreements about its person and their manager (cycles.demo.agreements).

Rows are written with bulk_create of plain rows, in the states the services would have produced, so that 10,000
people take well under a minute. Running it again creates nothing; a ``groot`` of another size is refused.
"""

from datetime import date, time, timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.utils import timezone
from django_scopes import scopes_disabled

from accounts.models import User
from cycles import services as cycle_services
from cycles.demo import LOCATION, agreements
from cycles.models import Conversation, ConversationState, Cycle, CycleStatus
from cycles.planning import reminders_plan
from expectations.demo import CORE_VALUES, EXPECTATIONS
from expectations.models import CoreValue, Expectation, ExpectationVersion, Status
from organizations.demo import DEMO_PASSWORD
from organizations.demo_time import at, start_time, workday_between, workday_on_or_after, working_before
from organizations.models import Employee, Organization, Role, Team
from pay import demo as pay_demo
from reviews import scales

from . import large_demo_reviews
from .large_demo_reviews import BATCH, numbered
from .large_demo_reviews import insert as _insert

SLUG = "groot"
NAME = "Groot BV"
LARGE = 10_000  # --size large
LOGINS = "hr@groot.example, director@groot.example, manager1@groot.example, employee1@groot.example"
MIN_PEOPLE = 20
PAY_BUDGET_PER_PERSON = Decimal("900")  # the cycle's budget for raises and one-off payments, per person
REPORTS = 33  # people per team, about: the number of teams is people / REPORTS

FIRST = (
    "Daan Sanne Lucas Emma Noah Julia Sem Tess Finn Lisa Thijs Anna Jesse Eva Milan Zoë Levi Noor Bram Fleur Gijs Sara"
    " Ruben Ingrid"
).split()
LAST = (
    "Jansen|de Vries|Bakker|Visser|Smit|Meijer|de Boer|Mulder|de Groot|Bos|Vos|Peters|Hendriks|van Dijk|Dekker|Brouwer"
    "|de Wit|Dijkstra|Kok|Jacobs"
).split("|")
TITLES = ["Medewerker", "Adviseur", "Senior adviseur", "Specialist", "Coördinator"]


def _name(number):
    return FIRST[number % len(FIRST)], LAST[(number // len(FIRST)) % len(LAST)]


def shape(people: int) -> dict:
    """How ``people`` divide: teams, HR admins, one director, a manager per team, the rest employees."""
    teams = max(1, round(people / REPORTS))
    hr = max(2, min(4, people // 2500))
    return {"teams": teams, "hr": hr, "employees": people - 1 - hr - teams}


def seed(people: int = LARGE, *, slug: str = SLUG, log=None) -> int:
    """Build (or find) ``groot`` with ``people`` people; returns the number of rows made (0 the second time).

    Another ``slug`` builds the same organisation under that address, with logins @<slug>.example (tests
    compare two sizes in one database).
    """
    if people < MIN_PEOPLE:
        raise ValueError(f"The large demo needs at least {MIN_PEOPLE} people.")
    log = log or (lambda text: None)
    with scopes_disabled():
        organization, new = Organization.objects.get_or_create(
            slug=slug,
            defaults={
                "name": NAME if slug == SLUG else slug.title(),
                "language": "nl",
                "time_zone": "Europe/Amsterdam",
            },
        )
        existing = Employee.objects.filter(organization=organization).count()
        if existing and existing != people:
            raise ValueError(
                f"“{slug}” already has {existing} people, not {people}: remove that organisation first "
                "(or seed another database)."
            )
        created = int(new)
        if not existing:
            created += _people(organization, people, f"{slug}.example")
            log(f"people: {people}")
        if not Expectation.objects.filter(organization=organization).exists():
            created += _expectations(organization)
            log("expectations")
        year = timezone.localdate().year
        if not Cycle.objects.filter(organization=organization, name=str(year)).exists():
            cycle, made = _cycle(organization, year)
            created += made
            log(f"cycle and {made} conversations")
            created += large_demo_reviews.seed(organization, cycle)
            log("observations, requests, self-reflections and reviews")
            created += reminders_plan(cycle=cycle)["created"]
            log("reminders planned")
        made = pay_demo.seed(organization, budget=PAY_BUDGET_PER_PERSON * people)
        if made:
            created += made
            log("salary scales, placements, pay table and budget")
    return created


def _people(organization, people: int, domain: str) -> int:
    counts = shape(people)
    password = make_password(DEMO_PASSWORD)  # one hash for every login: the demo's password is no secret
    now = timezone.now()
    teams = _insert(Team, [Team(organization=organization, name=f"Team {n}") for n in range(1, counts["teams"] + 1)])
    emails = (
        ["director"]
        + ["hr" if n == 1 else f"hr{n}" for n in range(1, counts["hr"] + 1)]
        + [f"manager{n}" for n in range(1, counts["teams"] + 1)]
        + [f"employee{n}" for n in range(1, counts["employees"] + 1)]
    )
    users = _insert(User, [User(email=f"{local}@{domain}", password=password, date_joined=now) for local in emails])
    by_email = {user.email.split("@")[0]: user for user in users}

    def member(local, number, role, title, team=None, manager=None):
        first, last = _name(number)
        return Employee(
            organization=organization,
            user=by_email[local],
            first_name=first,
            last_name=last,
            job_title=title,
            role=role,
            team=team,
            manager=manager,
            joined_at=now,
            created_at=now,
        )

    director = _insert(Employee, [member("director", 0, Role.MANAGER, "Directeur")])[0]
    hr = [
        member("hr" if n == 1 else f"hr{n}", n, Role.HR_ADMIN, "HR-adviseur", manager=director)
        for n in range(1, counts["hr"] + 1)
    ]
    managers = [
        member(f"manager{n}", 7 * n, Role.MANAGER, "Teamleider", team=teams[n - 1], manager=director)
        for n in range(1, counts["teams"] + 1)
    ]
    managers = _insert(Employee, hr + managers)[counts["hr"] :]
    # Consecutive numbers, evenly spread: at 10,000 people employee1 … employee33 in Team 1, 32 or 33 in each team.
    team_of = [(n - 1) * counts["teams"] // counts["employees"] for n in range(counts["employees"] + 1)]
    employees = [
        member(
            f"employee{n}",
            n,
            Role.EMPLOYEE,
            TITLES[n % len(TITLES)],
            team=teams[team_of[n]],
            manager=managers[team_of[n]],
        )
        for n in range(1, counts["employees"] + 1)
    ]
    _insert(Employee, employees)
    return len(teams) + 2 * len(users)


def _expectations(organization) -> int:
    """Three for everyone; per team one of 30 shared team expectations and, for every third team, a second one."""
    published = start_of_year(organization)
    values = _insert(
        CoreValue,
        [
            CoreValue(
                organization=organization, name_nl=nl, name_en=en, description_nl=dnl, description_en=den, order=n
            )
            for n, (nl, en, dnl, den) in enumerate(CORE_VALUES)
        ],
    )
    by_name = {value.name_nl: value for value in values}
    teams = list(Team.objects.filter(organization=organization).order_by("pk"))
    first_groups, second_groups = min(30, len(teams)), min(10, len(teams))
    specs = [(spec, None, True) for spec in EXPECTATIONS[:3]]
    specs += [(EXPECTATIONS[3 + n % 2], f"groep {n + 1}", False) for n in range(first_groups)]
    specs += [(EXPECTATIONS[4 - n % 2], f"extra {n + 1}", False) for n in range(second_groups)]
    expectations = _insert(
        Expectation,
        [
            Expectation(
                organization=organization,
                core_value=by_name[spec[0]],
                status=Status.PUBLISHED,
                for_everyone=everyone,
                published_at=published,
                created_at=published,
            )
            for spec, _group, everyone in specs
        ],
    )
    versions = _insert(
        ExpectationVersion,
        [
            ExpectationVersion(
                organization=organization,
                expectation=expectation,
                number=1,
                title_nl=spec[2] + (f" ({group})" if group else ""),
                title_en=spec[3] + (f" ({group})" if group else ""),
                behaviour_nl=spec[4],
                behaviour_en=spec[5],
                examples_yes_nl=spec[6],
                examples_yes_en=spec[7],
                examples_not_yet_nl=spec[8],
                examples_not_yet_en=spec[9],
                weight=20,
                published_at=published,
                created_at=published,
            )
            for expectation, (spec, group, _everyone) in zip(expectations, specs, strict=True)
        ],
    )
    for expectation, version in zip(expectations, versions, strict=True):
        expectation.current_version = version
    Expectation.objects.bulk_update(expectations, ["current_version"], batch_size=BATCH)
    first, second = expectations[3 : 3 + first_groups], expectations[3 + first_groups :]
    through = Expectation.teams.through
    links = [through(expectation_id=first[n % first_groups].pk, team_id=team.pk) for n, team in enumerate(teams)]
    links += [
        through(expectation_id=second[(n // 3) % second_groups].pk, team_id=team.pk)
        for n, team in enumerate(teams)
        if n % 3 == 0
    ]
    through.objects.bulk_create(links, batch_size=BATCH)
    return len(values) + 2 * len(expectations) + len(links)


def conversation_fields(moment, position: int, person: tuple, today: date, zone) -> dict:
    """The state of ``person``'s conversation at the cycle's ``position``-th moment, as if the cycle had run until
    ``today``. ``person`` is (number, first name, manager's first name); conversations fall on working days,
    between 08:30 and 16:00 on a quarter hour, and a held one has agreements about that person."""
    number, name, manager = person
    window = max(1, (moment.closes_on - moment.opens_on).days)
    day = workday_between(moment.opens_on + timedelta(days=(number * 3) % window), moment.opens_on, moment.closes_on)
    if day is None:
        return {}
    when = at(day, start_time(number), zone)

    def held(on):
        start = at(on, start_time(number), zone)
        return {
            "state": ConversationState.HELD,
            "scheduled_at": start,
            "held_at": start + timedelta(hours=1),
            "location": LOCATION,
            "agreements": agreements(name=name, manager=manager, kind=moment.kind, number=number, day=on),
        }

    if moment.closes_on < today:
        # A past window: most held; about one in six overdue (never scheduled, or scheduled and never held).
        turn = (number + 5 * position) % 12
        if turn == 0:
            return {}
        if turn == 1:
            return {"state": ConversationState.SCHEDULED, "scheduled_at": when, "location": LOCATION}
        if turn == 2 and number % 5 == 0:
            return {"state": ConversationState.CANCELLED}
        return held(day)
    if moment.opens_on <= today:
        # The open window: a quarter held already, half scheduled in the coming weeks, a quarter to schedule.
        if number % 4 == 0 and moment.opens_on < today:
            past = moment.opens_on + timedelta(days=number % max(1, (today - moment.opens_on).days))
            past = workday_between(past, moment.opens_on, today - timedelta(days=1))
            if past is not None:
                return held(past)
        # After the observation requests due in three days.
        upcoming = workday_on_or_after(today + timedelta(days=4 + number % 14))
        if number % 4 in (0, 1, 2) and upcoming <= moment.closes_on:
            return {
                "state": ConversationState.SCHEDULED,
                "scheduled_at": at(upcoming, start_time(number + 3), zone),
                "location": LOCATION,
            }
        return {}
    if number % 10 == 0:  # a window still to come: a few scheduled already
        return {"state": ConversationState.SCHEDULED, "scheduled_at": when, "location": LOCATION}
    return {}


def start_of_year(organization):
    """When HR published the expectations and activated the cycle: the first working day from 5 January, 09:00."""
    zone = organization.zone
    first = at(workday_on_or_after(date(timezone.localdate().year, 1, 5)), time(9, 0), zone)
    return min(first, working_before(timezone.now(), zone))


def _cycle(organization, year: int):
    """This year's cycle from the template, active, one conversation per person and moment in a mixed state."""
    cycle = cycle_services.cycle_create(
        organization=organization, name=str(year), starts_on=date(year, 1, 1), ends_on=date(year, 12, 31)
    )
    now = timezone.now()
    Cycle.objects.filter(pk=cycle.pk).update(status=CycleStatus.ACTIVE, activated_at=start_of_year(organization))
    cycle.refresh_from_db()
    scales.cycle_levels(cycle=cycle)  # what activation does (reviews.receivers.freeze_scale)
    scales.cycle_bands(cycle=cycle)
    today, zone = timezone.localdate(), organization.zone
    people = numbered(organization, "first_name", "manager__first_name")
    rows = [
        Conversation(
            organization=organization,
            moment=moment,
            employee_id=person,
            created_at=now,
            updated_at=now,
            **conversation_fields(moment, position, (number, name, manager), today, zone),
        )
        for position, moment in enumerate(cycle.moments.all())
        for number, person, name, manager in people
    ]
    Conversation.objects.bulk_create(rows, batch_size=BATCH)
    return cycle, 1 + cycle.moments.count() + len(rows)
