"""The demo looks real, whatever day it is seeded: people meet on working days, in working hours, on the quarter
hour, in the organisation's time zone; nothing is held in the future; each conversation has its own agreements,
about its person; the strategic goals speak of the cycle's year; no demo login finds a suggestion under their name
they never wrote.

Each moment seeds once (seed_demo, and for one of them the large demo with 60 people too) inside a transaction that
is rolled back afterwards; the tests read a snapshot of what it made.
"""

import datetime
import io
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction
from django_scopes import scopes_disabled

from cycles.models import Conversation, ConversationState, Cycle, CycleStatus
from expectations.models import Endorsement, Expectation, StrategicGoal, Suggestion
from organizations.audit_models import AuditEntry
from organizations.models import Employee
from pay.models import PayTable
from reviews.models import Observation, ObservationRequest, Review, SelfReflection

# The snapshot is made in a module fixture; the mark makes pytest-django set up the test database for it.
pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
LOGINS = {"hr@example.com", "manager@example.com", "employee@example.com", "consultant@example.com"}
MOMENTS = {
    # A Sunday evening late in the year: the assessment window open, two windows past.
    "sunday evening in november": (datetime.datetime(2026, 11, 29, 20, 40, 13, tzinfo=AMSTERDAM), 60),
    # The day after the clocks moved forward, before the working day: the planning window past.
    "monday before eight after daylight saving": (datetime.datetime(2027, 3, 29, 7, 10, tzinfo=AMSTERDAM), None),
    # Midday in July: the progress window open.
    "wednesday noon in july": (datetime.datetime(2027, 7, 14, 12, 7, 41, tzinfo=AMSTERDAM), None),
    # The first Saturday of the year: the planning window opened yesterday, last year's reviews only just done.
    "saturday the second of january": (datetime.datetime(2027, 1, 2, 10, 0, tzinfo=AMSTERDAM), None),
}


def snapshot(now):
    """What the tests look at, read as plain data while the seeded rows exist."""
    conversations = list(
        Conversation.objects.select_related("organization", "employee__manager", "moment__cycle").order_by("pk")
    )
    cycle = Cycle.objects.get(organization__slug="demo", status=CycleStatus.ACTIVE)
    reviews = Review.objects.values_list(
        "created_at", "updated_at", "shared_at", "employee_signed_at", "manager_signed_at", "finalised_at"
    )
    requests = ObservationRequest.objects.values_list("created_at", "closed_at")
    return {
        "now": now,
        "conversations": [
            {
                "organization": row.organization.slug,
                "cycle": row.moment.cycle.name,
                "person": row.employee_id,
                "name": row.employee.first_name,
                "manager": row.employee.manager.first_name if row.employee.manager else None,
                "state": row.state,
                "scheduled_at": row.scheduled_at,
                "held_at": row.held_at,
                "agreements": row.agreements,
            }
            for row in conversations
        ],
        "names": set(Employee.objects.filter(organization__slug="demo").values_list("first_name", flat=True)),
        "cycle": (cycle.starts_on, cycle.ends_on),
        "goals": list(StrategicGoal.objects.filter(organization__slug="demo").values_list("meaning_nl", "meaning_en")),
        "suggestion_authors": set(Suggestion.objects.values_list("author__user__email", flat=True)),
        # Moments people see the date (and sometimes the time) of.
        "stamps": {
            "review": [stamp for row in reviews for stamp in row if stamp],
            "self-reflection": list(
                SelfReflection.objects.exclude(submitted_at=None).values_list("submitted_at", flat=True)
            ),
            "observation request": [stamp for row in requests for stamp in row if stamp],
            "suggestion": list(Suggestion.objects.values_list("created_at", flat=True)),
            "endorsement": list(Endorsement.objects.values_list("created_at", flat=True)),
            "expectation published": list(
                Expectation.objects.exclude(published_at=None).values_list("published_at", flat=True)
            ),
            "pay table published": list(
                PayTable.objects.exclude(published_at=None).values_list("published_at", flat=True)
            ),
            "history": list(AuditEntry.objects.filter(organization__slug="demo").values_list("timestamp", flat=True)),
        },
        "days": {
            "observed on": list(Observation.objects.values_list("observed_on", flat=True)),
            "answer by": list(ObservationRequest.objects.values_list("due_on", flat=True)),
        },
    }


@pytest.fixture(scope="module", params=list(MOMENTS), ids=list(MOMENTS))
def demo(request, django_db_setup, django_db_blocker):
    now, people = MOMENTS[request.param]
    with django_db_blocker.unblock(), scopes_disabled(), time_machine.travel(now, tick=False):
        with transaction.atomic():
            call_command("seed_demo", "--force", *(["--people", str(people)] if people else []), stdout=io.StringIO())
            seeded = snapshot(now)
            seeded["large"] = bool(people)
            transaction.set_rollback(True)
    return seeded


def local(moment):
    return moment.astimezone(AMSTERDAM)


def in_working_hours(moment) -> bool:
    """Monday to Friday, 08:00 to 18:00 in Amsterdam, on a quarter hour to the second."""
    moment = local(moment)
    return (
        moment.weekday() < 5
        and datetime.time(8) <= moment.time() <= datetime.time(18)
        and moment.minute % 15 == 0
        and moment.second == 0
        and moment.microsecond == 0
    )


def dated(demo):
    return [row for row in demo["conversations"] if row["scheduled_at"] or row["held_at"]]


def held(demo, organization="demo"):
    return [
        row
        for row in demo["conversations"]
        if row["state"] == ConversationState.HELD and row["organization"] == organization
    ]


def test_conversations_take_place_on_working_days_in_working_hours_on_a_quarter_hour(demo):
    assert dated(demo)
    wrong = [
        (row["name"], local(moment).strftime("%A %d %B %Y %H:%M:%S"))
        for row in dated(demo)
        for moment in (row["scheduled_at"], row["held_at"])
        if moment and not in_working_hours(moment)
    ]
    assert wrong == []


def test_nothing_is_held_in_the_future(demo):
    assert held(demo)
    assert [row for row in held(demo) if row["held_at"] > demo["now"] or row["scheduled_at"] > demo["now"]] == []
    if demo["large"]:
        assert held(demo, "groot")
        assert [row for row in held(demo, "groot") if row["held_at"] > demo["now"]] == []


def test_every_held_conversation_has_its_own_agreements(demo):
    texts = [row["agreements"] for row in held(demo)]
    assert all(texts)
    assert len(set(texts)) == len(texts)


def test_agreements_name_only_their_person_and_that_persons_manager(demo):
    names = demo["names"]
    for row in held(demo):
        named = {name for name in names if re.search(rf"\b{re.escape(name)}\b", row["agreements"])}
        assert row["name"] in named, row["agreements"]
        assert named <= {row["name"], row["manager"]}, (row["name"], row["agreements"])


def test_in_the_large_demo_each_persons_conversations_differ_and_are_about_them(demo):
    if not demo["large"]:
        pytest.skip("the large demo is seeded at one moment only")
    by_person = {}
    for row in held(demo, "groot"):
        assert re.search(rf"\b{re.escape(row['name'])}\b", row["agreements"]), row["agreements"]
        by_person.setdefault(row["person"], []).append(row["agreements"])
    assert by_person
    assert all(len(set(texts)) == len(texts) for texts in by_person.values())


def test_the_strategic_goals_speak_of_the_cycles_year(demo):
    starts_on, ends_on = demo["cycle"]
    years = {int(year) for texts in demo["goals"] for text in texts for year in re.findall(r"\b(20\d\d)\b", text)}
    assert demo["goals"] and years
    assert all(starts_on.year <= year <= ends_on.year for year in years), years


def test_no_demo_login_finds_a_suggestion_under_their_name(demo):
    assert demo["suggestion_authors"]
    assert demo["suggestion_authors"].isdisjoint(LOGINS)


@pytest.mark.parametrize(
    "what",
    [
        "review",
        "self-reflection",
        "observation request",
        "suggestion",
        "endorsement",
        "expectation published",
        "pay table published",
        "history",
    ],
)
def test_what_people_did_happened_in_working_hours_and_not_after_now(demo, what):
    stamps = demo["stamps"][what]
    assert stamps
    assert [local(stamp).strftime("%A %d %B %Y %H:%M:%S") for stamp in stamps if not in_working_hours(stamp)] == []
    assert [stamp for stamp in stamps if stamp > demo["now"]] == []


@pytest.mark.parametrize("what", ["observed on", "answer by"])
def test_observations_and_requests_fall_on_working_days(demo, what):
    days = demo["days"][what]
    assert days
    assert [day.strftime("%A %d %B %Y") for day in days if day.weekday() >= 5] == []
