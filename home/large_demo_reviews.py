"""The large demo's observations, observation requests, self-reflections and reviews (see home.large_demo).

Per person with a manager: two to four observations by the manager (one in four of them showing room to grow),
for one in ten one more held until their next open conversation, for one in eight an observation a teammate
wrote on request (the request answered), for one in six a self-observation; one in ten has an open request to a
teammate, and the first member of every team is asked by the second (so employee1 has a request to answer).
Self-reflections: submitted for two in three held conversations, a draft for half the scheduled ones in the open
window. Reviews, for the assessment moment: held conversations have one shared, signed by one or both, or
finalised; scheduled ones a draft (partly rated) or a shared one; one in three still to schedule a draft. Ratings
cite the manager's observations of that expectation, or say why there are none; one in 23 shared reviews has
another outcome than the rule with a justification. Managers 7, 27, 47 … rate a level higher than the others
would, managers 13, 33, 53 … a level lower: a few lenient and a few severe managers for calibration.
"""

from datetime import timedelta

from django.utils import timezone

from cycles.models import Conversation, ConversationState
from expectations.models import Expectation, Status
from expectations.selectors import BY_CORE_VALUE
from organizations.demo_time import workday_between, workday_on_or_before, working_before
from organizations.models import Employee, Role
from reviews import outcome, scales
from reviews.demo_texts import ROOM, SEEN
from reviews.models import (
    Observation,
    ObservationRequest,
    Rating,
    Review,
    ReviewState,
    SelfReflection,
    Shows,
    Source,
)

ANSWER = "Het terugbellen gaat nu elke week goed; de dossiers vul ik nog niet altijd dezelfde dag in."
NO_EVIDENCE = "Geen observatie vastgelegd; wel gezien in het dagelijkse werk en besproken in het gesprek."
SUMMARY = "Een goed jaar; dossiers op tijd bijwerken blijft het aandachtspunt."
JUSTIFICATION = "Het laatste kwartaal weegt zwaarder: het nieuwe team is met zijn hulp ingewerkt."
MESSAGE = "Wil je één situatie beschrijven die je dit kwartaal zag?"
BATCH = 2000
BASE_LEVELS = (3, 3, 2, 3, 4, 3, 2, 3, 3, 4)
# For a held assessment conversation, in turn; the first is employee1's.
AFTER_HELD = (
    ReviewState.FINALISED,
    ReviewState.SHARED,
    ReviewState.EMPLOYEE_SIGNED,
    ReviewState.MANAGER_SIGNED,
    ReviewState.SIGNED,
    ReviewState.FINALISED,
)
SIGNED_BY_EMPLOYEE = {ReviewState.EMPLOYEE_SIGNED, ReviewState.SIGNED, ReviewState.FINALISED}
SIGNED_BY_MANAGER = {ReviewState.MANAGER_SIGNED, ReviewState.SIGNED, ReviewState.FINALISED}


def insert(model, rows):
    """bulk_create in batches; the rows come back with their ids (PostgreSQL, SQLite ≥ 3.35)."""
    rows = model.objects.bulk_create(rows, batch_size=BATCH)
    if rows and rows[0].pk is None:
        raise RuntimeError("This database does not return ids from bulk inserts; the large demo needs that.")
    return rows


def numbered(organization, *fields):
    """(number, pk, *fields) of the active people; the number counts within a role in id order, so employee1,
    manager1, hr and the director are each number 0 whatever the organisation's size (their states match)."""
    rows = Employee.objects.filter(organization=organization, is_active=True).order_by("pk")
    counters = {}
    numbered = []
    for pk, role, *values in rows.values_list("pk", "role", *fields):
        numbered.append((counters.setdefault(role, 0), pk, *values))
        counters[role] += 1
    return numbered


def bias(manager_number: int) -> int:
    """A level more (lenient), less (severe) or as it is, by the manager's number (manager<N>@groot.example)."""
    return {7: 1, 13: -1}.get(manager_number % 20, 0)


def applicable(organization) -> dict:
    """Per team id (None: no team) the (expectation id, version id, weight) that apply, in the selector's order."""
    rows = list(
        Expectation.objects.filter(organization=organization, status=Status.PUBLISHED)
        .order_by(*BY_CORE_VALUE)
        .values_list("pk", "current_version_id", "current_version__weight", "for_everyone")
    )
    links = {}
    for expectation_id, team_id in Expectation.teams.through.objects.filter(
        expectation__organization=organization
    ).values_list("expectation_id", "team_id"):
        links.setdefault(expectation_id, set()).add(team_id)
    teams = {team for members in links.values() for team in members} | {None}
    return {
        team: [(pk, version, weight) for pk, version, weight, everyone in rows if everyone or team in links.get(pk, ())]
        for team in teams
    }


def seed(organization, cycle) -> int:
    # "Now" as the demo's people work: the latest working quarter hour (every stamp below keeps to working hours).
    today, now = timezone.localdate(), working_before(timezone.now(), organization.zone)
    people = [
        (number, pk, team, manager, email, role)
        for number, pk, team, manager, email, role in numbered(
            organization, "team_id", "manager_id", "manager__user__email", "role"
        )
        if manager is not None
    ]
    expectations = applicable(organization)
    moments = {moment.pk: moment for moment in cycle.moments.all()}
    conversations = {}
    for pk, moment_id, employee_id, state, scheduled_at, held_at in Conversation.objects.filter(
        organization=organization, moment__cycle=cycle
    ).values_list("pk", "moment_id", "employee_id", "state", "scheduled_at", "held_at"):
        conversations.setdefault(employee_id, []).append((moments[moment_id], pk, state, scheduled_at, held_at))
    teammates = {}
    for _number, pk, _team, manager, _email, role in people:
        if role == Role.EMPLOYEE:
            teammates.setdefault(manager, []).append(pk)
    created, observed = _observations(organization, cycle, people, expectations, conversations, teammates, today, now)
    created += _reflections(organization, conversations, today, now)
    created += _reviews(organization, cycle, people, expectations, conversations, observed, now)
    return created


def _observations(organization, cycle, people, expectations, conversations, teammates, today, now):
    """The observations and requests; returns (rows made, {(person, expectation): [manager's observation ids]})."""
    last = min(today, cycle.ends_on)
    span = (last - cycle.starts_on).days
    zone = organization.zone

    def day(number, turn):
        """A working day of the cycle so far."""
        on = cycle.starts_on + timedelta(days=(number * 13 + turn * 41) % (span + 1))
        return workday_between(on, cycle.starts_on, last) or on

    rows, about, requests, answered = [], [], [], []
    for number, person, team, manager, _email, role in people:
        applies = expectations.get(team) or expectations[None]
        if not applies:
            continue
        for turn in range(2 + number % 3):
            situation, behaviour, effect = SEEN[(number + turn) % len(SEEN)]
            expectation = applies[(number + turn) % len(applies)][0]
            rows.append(
                Observation(
                    organization=organization,
                    employee_id=person,
                    author_id=manager,
                    source=Source.MANAGER,
                    expectation_id=expectation,
                    observed_on=day(number, turn),
                    situation=situation,
                    behaviour=behaviour,
                    effect=effect,
                    created_at=now,
                    updated_at=now,
                    shows=Shows.ROOM if (number + turn) % len(SEEN) == ROOM else Shows.SHOWN,
                )
            )
            about.append((person, expectation))
        upcoming = next(
            (
                pk
                for moment, pk, state, *_ in sorted(conversations.get(person, []), key=_by_window)
                if state in (ConversationState.TO_SCHEDULE, ConversationState.SCHEDULED) and moment.closes_on >= today
            ),
            None,
        )
        if number % 10 == 3 and upcoming is not None:
            rows.append(
                Observation(
                    organization=organization,
                    employee_id=person,
                    author_id=manager,
                    source=Source.MANAGER,
                    expectation_id=applies[-1][0],
                    observed_on=workday_on_or_before(today - timedelta(days=3)),
                    situation=SEEN[2][0],
                    behaviour=SEEN[2][1],
                    effect=SEEN[2][2],
                    held_for_id=upcoming,
                    created_at=now,
                    updated_at=now,
                )
            )
            about.append((person, applies[-1][0]))
        if number % 6 == 5:
            rows.append(
                Observation(
                    organization=organization,
                    employee_id=person,
                    author_id=person,
                    source=Source.SELF,
                    expectation_id=applies[0][0],
                    observed_on=day(number, 7),
                    situation=SEEN[0][0],
                    behaviour=SEEN[0][1],
                    effect=SEEN[0][2],
                    created_at=now,
                    updated_at=now,
                )
            )
            about.append((person, None))
        team_of = teammates.get(manager, [])
        if role != Role.EMPLOYEE or len(team_of) < 2:
            continue
        place = team_of.index(person)
        expectation_id, version_id, _weight = applies[0]
        request = {
            "organization": organization,
            "cycle": cycle,
            "employee_id": person,
            "asked_by_id": manager,
            "expectation_id": expectation_id,
            "expectation_version_id": version_id,
            "message": MESSAGE,
        }
        if number % 8 == 1:
            requests.append(
                ObservationRequest(
                    **request,
                    colleague_id=team_of[(place + 1) % len(team_of)],
                    due_on=max(cycle.starts_on, day(number, 3)),
                    state=ObservationRequest.State.ANSWERED,
                    created_at=working_before(now - timedelta(days=24), zone),
                    closed_at=working_before(now - timedelta(days=12), zone),
                )
            )
            answered.append((person, expectation_id, team_of[(place + 1) % len(team_of)], number))
        if number % 10 == 2 or place == 1:
            # The second of a team asks the first, due in three days: the first reminders HR's page lists.
            soon = 3 if place == 1 else 7 + number % 14
            due = max(today, min(today + timedelta(days=soon), cycle.ends_on))
            due = workday_between(due, today, cycle.ends_on) or due
            requests.append(
                ObservationRequest(
                    **request,
                    colleague_id=team_of[place - 1],
                    due_on=due,
                    created_at=working_before(now - timedelta(days=2), zone),
                )
            )
    requests = insert(ObservationRequest, requests)
    by_key = {(row.employee_id, row.colleague_id): row.pk for row in requests if row.state == "answered"}
    for person, expectation, colleague, number in answered:
        situation, behaviour, effect = SEEN[1]
        rows.append(
            Observation(
                organization=organization,
                employee_id=person,
                author_id=colleague,
                source=Source.COLLEAGUE,
                expectation_id=expectation,
                observed_on=day(number, 5),
                situation=situation,
                behaviour=behaviour,
                effect=effect,
                request_id=by_key[(person, colleague)],
                created_at=now,
                updated_at=now,
            )
        )
        about.append((person, expectation))
    rows = insert(Observation, rows)
    observed = {}
    for row, key in zip(rows, about, strict=True):
        if row.source == Source.MANAGER:
            observed.setdefault(key, []).append(row.pk)
    return len(rows) + len(requests), observed


def _by_window(item):
    return item[0].opens_on


def _reflections(organization, conversations, today, now) -> int:
    """Submitted for two in three held conversations; a draft for half the scheduled ones of the open window."""
    zone = organization.zone
    rows = []
    for number, (person, items) in enumerate(sorted(conversations.items())):
        for moment, pk, state, scheduled_at, _held_at in items:
            if not moment.asks_reflection:
                continue
            questions = [line.strip() for line in moment.reflection_questions_nl.splitlines() if line.strip()]
            if state == ConversationState.HELD and number % 3 != 2:
                answers = [{"question": q, "answer": ANSWER} for q in questions]
                submitted = working_before(scheduled_at - timedelta(days=2), zone)
            elif state == ConversationState.SCHEDULED and moment.opens_on <= today and number % 2 == 0:
                answers, submitted = [{"question": q, "answer": ""} for q in questions], None
            else:
                continue
            rows.append(
                SelfReflection(
                    organization=organization,
                    conversation_id=pk,
                    employee_id=person,
                    answers=answers,
                    submitted_at=submitted,
                    updated_at=now,
                )
            )
    insert(SelfReflection, rows)
    return len(rows)


def _review_state(number, state):
    if state == ConversationState.HELD:
        return AFTER_HELD[(number // 4) % len(AFTER_HELD)]
    if state == ConversationState.SCHEDULED:
        return ReviewState.SHARED if number % 3 == 0 else ReviewState.DRAFT
    if state == ConversationState.TO_SCHEDULE and number % 3 == 0:
        return ReviewState.DRAFT
    return None


def _reviews(organization, cycle, people, expectations, conversations, observed, now) -> int:
    levels = scales.cycle_levels(cycle=cycle)
    bands = scales.cycle_bands(cycle=cycle)
    low, top = levels[0].value, levels[-1].value
    hr = Employee.objects.filter(organization=organization, role=Role.HR_ADMIN).order_by("pk").first()
    zone = organization.zone
    reviews, plans = [], []
    for number, person, team, manager, email, _role in people:
        assessment = next((item for item in conversations.get(person, []) if item[0].produces_rating), None)
        state = _review_state(number, assessment[2]) if assessment else None
        applies = expectations.get(team) or expectations[None]
        if state is None or not applies:
            continue
        _moment, conversation, _state, scheduled_at, held_at = assessment
        lean = bias(int(email.split("@")[0].removeprefix("manager") or 0) if email.startswith("manager") else 0)
        rated = len(applies) if state != ReviewState.DRAFT else number % (len(applies) + 1)
        ratings = []
        for turn, (expectation, version, weight) in enumerate(applies):
            level = None
            if turn < rated:
                level = min(top, max(low, BASE_LEVELS[(number * 7 + turn * 3) % len(BASE_LEVELS)] + lean))
            evidence = observed.get((person, expectation), [])[:2] if level is not None else []
            ratings.append((expectation, version, weight, level, evidence))
        score = outcome.weighted_score((level, weight) for _e, _v, weight, level, _ev in ratings)
        computed = outcome.band_for(score, bands)
        band, justification = computed, ""
        if state != ReviewState.DRAFT and computed is not None and number % 23 == 0 and len(bands) > 1:
            band, justification = bands[(bands.index(computed) + 1) % len(bands)], JUSTIFICATION
        since = held_at or working_before(now - timedelta(days=3), zone)

        def stamp(hours, since=since):
            return working_before(min(now, since + timedelta(hours=hours)), zone)

        reviews.append(
            Review(
                organization=organization,
                cycle=cycle,
                conversation_id=conversation,
                employee_id=person,
                manager_id=manager,
                state=state,
                summary=SUMMARY if rated else "",
                score=score,
                computed_band=computed,
                band=band,
                justification=justification,
                created_at=since,
                updated_at=stamp(48),
                shared_at=stamp(2) if state != ReviewState.DRAFT else None,
                employee_comment="Herkenbaar; het punt over de dossiers pak ik op."
                if state in SIGNED_BY_EMPLOYEE and number % 2
                else "",
                employee_signed_at=stamp(24) if state in SIGNED_BY_EMPLOYEE else None,
                manager_signed_at=stamp(25) if state in SIGNED_BY_MANAGER else None,
                finalised_at=stamp(48) if state == ReviewState.FINALISED else None,
                finalised_by=hr if state == ReviewState.FINALISED else None,
            )
        )
        plans.append(ratings)
    reviews = insert(Review, reviews)
    rows, evidence = [], []
    for review, ratings in zip(reviews, plans, strict=True):
        for expectation, version, weight, level, cited in ratings:
            rows.append(
                Rating(
                    organization=organization,
                    review=review,
                    expectation_id=expectation,
                    expectation_version_id=version,
                    weight=weight,
                    level=level,
                    reason_without_evidence=NO_EVIDENCE if level is not None and not cited else "",
                )
            )
            evidence.append(cited)
    rows = insert(Rating, rows)
    through = Rating.evidence.through
    links = [
        through(rating_id=row.pk, observation_id=pk) for row, cited in zip(rows, evidence, strict=True) for pk in cited
    ]
    through.objects.bulk_create(links, batch_size=BATCH)
    return len(reviews) + len(rows) + len(links)
