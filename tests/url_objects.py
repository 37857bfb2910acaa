"""What a URL's keywords point at: for one organisation, the object behind each keyword, and the tokens.

Tests that walk the URL resolver (tests/test_permission_matrix.py) fill every
address with real objects of one organisation. Each keyword a URL takes
(``employee_id``, ``cycle_id``, ``number``...) has one line in ``KEYWORDS``
saying which object of :class:`OrgObjects` it reads. Objects that share an
address belong together: ``cycle_id``, ``rule_id`` and ``reminder_id`` are one
cycle, its rule and its reminder; ``expectation_id`` and ``number`` are one
expectation and its version. So an address built for organisation A is only
ever refused because of who asks, never because its parts do not match.

A page with a keyword that is not in ``KEYWORDS`` (or a token address not in
``TOKENS``) makes the matrix fail, naming the URL and the keyword: add a line
here and it is covered.
"""

import secrets
from functools import cached_property

from django.utils import timezone

from cycles import services as cycle_services
from cycles.models import CycleStatus, Reminder, ReminderAnchor, ReminderStatus
from cycles.reminder_rules import reminder_rules_default
from expectations.models import Status
from organizations.models import PeopleImport
from organizations.services import token_hash
from tests.factories import (
    ConversationFactory,
    CoreValueFactory,
    CycleFactory,
    ExpectationFactory,
    InvitationFactory,
    MomentFactory,
    NotCountedFactory,
    ObservationFactory,
    StrategicGoalFactory,
    SuggestionFactory,
)


class UnknownKeyword(LookupError):
    """A URL keyword this module cannot fill."""


class OrgObjects:
    """One organisation's objects that URLs point at, each made on first use (a test pays only for what it opens).

    ``tenant`` is a ``tests.conftest.Tenant``: HR admin, manager, employee (who
    reports to the manager, in the team) and an outsider.
    """

    def __init__(self, tenant):
        self.tenant = tenant
        self.organization = tenant.organization

    def value(self, keyword):
        """The value for ``keyword`` in an address; UnknownKeyword when there is no line for it in KEYWORDS."""
        try:
            build = KEYWORDS[keyword]
        except KeyError:
            raise UnknownKeyword(keyword) from None
        return build(self)

    @cached_property
    def conversation(self):
        """The employee's conversation in an active cycle, so their manager may hold it and HR may read it."""
        cycle = CycleFactory(organization=self.organization, status=CycleStatus.ACTIVE, activated_at=timezone.now())
        return ConversationFactory(moment=MomentFactory(cycle=cycle), employee=self.tenant.employee)

    @cached_property
    def reminder(self):
        """A failed reminder about that conversation, under one of its cycle's rules (so HR may resend it)."""
        conversation = self.conversation
        cycle = conversation.moment.cycle
        reminder_rules_default(cycle=cycle)
        return Reminder.objects.create(
            organization=self.organization,
            cycle=cycle,
            rule=cycle.reminder_rules.get(anchor=ReminderAnchor.WINDOW_OPENS),
            recipient=self.tenant.employee,
            conversation=conversation,
            key=f"url-objects:{self.organization.slug}",
            due_at=conversation.created_at,
            next_try_at=conversation.created_at,
            status=ReminderStatus.FAILED,
            attempts=3,
            last_error="The email address is not valid.",
        )

    @cached_property
    def suggestion(self):
        """The employee's suggestion on an expectation open for suggestions to everyone (HR's own draft).

        Being sharpened, the expectation has every page: HR edits and decides,
        and everyone in its audience (the whole organisation) suggests and endorses.
        """
        expectation = ExpectationFactory(organization=self.organization, status=Status.SHARPENING, published_at=None)
        return SuggestionFactory(expectation=expectation, author=self.tenant.employee)

    @cached_property
    def observation(self):
        """The manager's observation of the employee, shared at once (visible to the employee)."""
        return ObservationFactory(employee=self.tenant.employee, author=self.tenant.manager)

    @cached_property
    def review(self):
        """The employee's review by their manager, shared (one expectation rated): employee, manager and HR see it."""
        from cycles.models import MomentKind
        from reviews import services_reviews

        moment = MomentFactory(cycle=self.conversation.moment.cycle, kind=MomentKind.ASSESSMENT, produces_rating=True)
        ExpectationFactory(organization=self.organization)
        conversation = ConversationFactory(moment=moment, employee=self.tenant.employee)
        review, _made = services_reviews.review_start(conversation=conversation, actor=self.tenant.manager)
        ratings = {
            rating.pk: services_reviews.RatingInput(level=3, reason="Geen observatie in deze periode.")
            for rating in review.ratings.all()
        }
        services_reviews.review_save(review=review, actor=self.tenant.manager, ratings=ratings)
        return services_reviews.review_share(review=review, actor=self.tenant.manager)

    @cached_property
    def observation_request(self):
        """An open request to the outsider about the employee (in the conversation's active cycle), by the manager."""
        from reviews.models import ObservationRequest

        expectation = ExpectationFactory(organization=self.organization)
        return ObservationRequest.objects.create(
            organization=self.organization,
            cycle=self.conversation.moment.cycle,
            employee=self.tenant.employee,
            colleague=self.tenant.outsider,
            asked_by=self.tenant.manager,
            expectation=expectation,
            expectation_version=expectation.current_version,
            due_on=timezone.localdate() + timezone.timedelta(days=7),
        )

    @cached_property
    def salary_table(self):
        """Salary scales from 1 January of this year: one scale ("Schaal 8") with three steps."""
        from tests.factories import SalaryTableFactory, scale_with_steps

        table = SalaryTableFactory(organization=self.organization)
        self.__dict__["scale"] = scale_with_steps(table, "Schaal 8", ("3000.00", "3100.00", "3200.00"))
        return table

    @cached_property
    def scale(self):
        """The salary table's scale."""
        self.salary_table  # noqa: B018 - makes the scale with its table
        return self.__dict__["scale"]

    @cached_property
    def core_value(self):
        """A core value no expectation belongs to, so HR may also delete it."""
        return CoreValueFactory(organization=self.organization)

    @cached_property
    def goal(self):
        return StrategicGoalFactory(organization=self.organization)

    @cached_property
    def not_counted(self):
        return NotCountedFactory(organization=self.organization)

    @cached_property
    def people_import(self):
        """An uploaded people file not yet applied: one new person."""
        return PeopleImport.objects.create(
            organization=self.organization,
            uploaded_by=self.tenant.hr,
            file_name="people.csv",
            content="email;first_name\nnieuw@example.org;Nieuw\n",
        )


# URL keyword -> its value in an address of this organisation. One line per kind of object a page takes.
KEYWORDS = {
    "employee_id": lambda objects: objects.tenant.employee.pk,
    "team_id": lambda objects: objects.tenant.team.pk,
    "import_id": lambda objects: objects.people_import.pk,
    "value_id": lambda objects: objects.core_value.pk,
    "goal_id": lambda objects: objects.goal.pk,
    "item_id": lambda objects: objects.not_counted.pk,
    "expectation_id": lambda objects: objects.suggestion.expectation_id,
    "number": lambda objects: objects.suggestion.expectation.current_version.number,
    "suggestion_id": lambda objects: objects.suggestion.pk,
    # The reminder is built on the conversation: one cycle, moment, conversation, rule and reminder.
    "cycle_id": lambda objects: objects.conversation.moment.cycle_id,
    "moment_id": lambda objects: objects.conversation.moment_id,
    "conversation_id": lambda objects: objects.conversation.pk,
    "rule_id": lambda objects: objects.reminder.rule_id,
    "reminder_id": lambda objects: objects.reminder.pk,
    "request_id": lambda objects: objects.observation_request.pk,
    "review_id": lambda objects: objects.review.pk,
    "observation_id": lambda objects: objects.observation.pk,
    "salary_table_id": lambda objects: objects.salary_table.pk,
    "scale_id": lambda objects: objects.scale.pk,
}


# --- Addresses outside the organisation area whose only key is a token -----------------------------


def calendar_feed_token(employee) -> str:
    return cycle_services.feed_for(employee=employee).token


def invitation_token(employee) -> str:
    """An open invitation of ``employee``; only the hash is stored, so the token is made here."""
    token = secrets.token_urlsafe(32)
    InvitationFactory(employee=employee, token_hash=token_hash(token))
    return token


# URL name -> how to give a person a working token for it.
TOKENS = {
    "calendar_feed": calendar_feed_token,
    "invitation_accept": invitation_token,
}


def unknown_token() -> str:
    """A token of the right shape that nobody has, so it reaches the look-up and is refused there."""
    return secrets.token_urlsafe(32)


# What a form posted to any page could hold: every field the organisation's forms know, with values
# that would change something if a page accepted them from someone it should refuse.
POST_BODY = {
    "name": "Overgenomen",
    "email": "overgenomen@example.org",
    "first_name": "Overgenomen",
    "last_name": "Overgenomen",
    "job_title": "Overgenomen",
    "role": "hr_admin",
    "team": "",
    "manager": "",
    "language": "en",
    "reply": "Overgenomen",
    "text": "Overgenomen",
    "why": "Overgenomen",
    "closes_on": "2099-01-01",
    "cap": "7",
    "weight": "100",
    "title_nl": "Overgenomen",
    "name_nl": "Overgenomen",
    "date": "2027-06-15",
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
    "reason": "Overgenomen",
}
