"""Factories that keep related rows in one organisation: a team, manager or
invitation is always derived from the employee's own organisation, so a test
cannot build cross-tenant data by accident (it has to say so explicitly)."""

import factory
from django.utils import timezone
from faker import Faker

from accounts.models import User
from organizations.models import Employee, Invitation, Organization, Role, Team

PASSWORD = "correct horse battery staple"

_dutch = Faker("nl_NL")


def dutch_last_name() -> str:
    """A Dutch surname without an apostrophe: "van 't Wel" reads as "van &#x27;t Wel" in a page's HTML, and tests
    that look for a person's name in a page would fail on one name in a hundred. Such names on pages are tested on
    their own (tests/security/test_names_escaped.py)."""
    name = _dutch.last_name()
    while "'" in name:
        name = _dutch.last_name()
    return name


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Organisatie {n} BV")
    slug = factory.Sequence(lambda n: f"org-{n}")
    language = "nl"
    time_zone = "Europe/Amsterdam"


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Team {n}")


class EmployeeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employee

    organization = factory.SubFactory(OrganizationFactory)
    user = factory.SubFactory(UserFactory)
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.LazyFunction(dutch_last_name)
    job_title = "Adviseur"
    role = Role.EMPLOYEE
    team = factory.LazyAttribute(lambda o: TeamFactory(organization=o.organization) if o.with_team else None)
    manager = None

    class Params:
        with_team = False
        hr = factory.Trait(role=Role.HR_ADMIN)
        is_manager = factory.Trait(role=Role.MANAGER)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        organization = kwargs["organization"]
        for field in ("team", "manager"):
            related = kwargs.get(field)
            if related is not None and related.organization_id != organization.pk:
                raise ValueError(f"{field} belongs to another organisation; build cross-tenant data explicitly")
        # People in tests have accepted their membership unless a test says otherwise.
        if hasattr(model_class, "joined_at"):
            kwargs.setdefault("joined_at", timezone.now())
        return super()._create(model_class, *args, **kwargs)


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    employee = factory.SubFactory(EmployeeFactory)
    organization = factory.SelfAttribute("employee.organization")
    token_hash = factory.Sequence(lambda n: f"{n:064d}")
    expires_at = factory.LazyFunction(lambda: timezone.now() + timezone.timedelta(days=7))


# --- expectations -----------------------------------------------------------------------------

from expectations.models import (  # noqa: E402
    CoreValue,
    Endorsement,
    Expectation,
    ExpectationVersion,
    NotCounted,
    Status,
    StrategicGoal,
    Suggestion,
)


class CoreValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CoreValue

    organization = factory.SubFactory(OrganizationFactory)
    name_nl = factory.Sequence(lambda n: f"Kernwaarde {n}")
    name_en = factory.Sequence(lambda n: f"Core value {n}")
    description_nl = "Wat we samen belangrijk vinden."
    description_en = "What we value together."
    order = factory.Sequence(lambda n: n)


class StrategicGoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StrategicGoal

    organization = factory.SubFactory(OrganizationFactory)
    title_nl = factory.Sequence(lambda n: f"Doel {n}")
    title_en = factory.Sequence(lambda n: f"Goal {n}")
    meaning_nl = "Wat dit komend jaar betekent."
    meaning_en = "What this means for the coming year."


class NotCountedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NotCounted

    organization = factory.SubFactory(OrganizationFactory)
    text_nl = factory.Sequence(lambda n: f"Overuren boven je contract ({n})")
    text_en = factory.Sequence(lambda n: f"Hours beyond your contract ({n})")


class ExpectationFactory(factory.django.DjangoModelFactory):
    """An expectation with version 1. ``teams=[...]`` narrows the audience; ``status`` defaults to published."""

    class Meta:
        model = Expectation
        skip_postgeneration_save = True

    organization = factory.SubFactory(OrganizationFactory)
    core_value = factory.LazyAttribute(lambda o: CoreValueFactory(organization=o.organization))
    status = Status.PUBLISHED
    for_everyone = True
    published_at = factory.LazyFunction(timezone.now)
    sharpening_closes_on = factory.LazyAttribute(
        lambda o: timezone.localdate() + timezone.timedelta(days=14) if o.status == Status.SHARPENING else None
    )

    # Not model fields: _create hands them to version 1.
    weight = 20
    title = factory.Sequence(lambda n: f"Verwachting {n}")
    behaviour = "Je vraagt binnen een week na oplevering feedback aan de klant."

    @factory.post_generation
    def version(obj, create, extracted, **kwargs):
        if not create:
            return
        version = ExpectationVersion.objects.create(
            organization=obj.organization,
            expectation=obj,
            number=1,
            title_nl=obj._title,
            title_en=f"{obj._title} (en)",
            behaviour_nl=obj._behaviour,
            behaviour_en="You ask the customer for feedback within a week of delivery.",
            examples_yes_nl="Je belt de klant op vrijdag na de oplevering.",
            examples_yes_en="You call the customer on the Friday after delivery.",
            examples_not_yet_nl="Je wacht tot de klant zelf klaagt.",
            examples_not_yet_en="You wait until the customer complains.",
            weight=obj._weight,
            published_at=obj.published_at,
        )
        obj.current_version = version
        obj.save(update_fields=["current_version"])

    @factory.post_generation
    def teams(obj, create, extracted, **kwargs):
        if create and extracted:
            if any(team.organization_id != obj.organization_id for team in extracted):
                raise ValueError("teams belong to another organisation; build cross-tenant data explicitly")
            obj.for_everyone = False
            obj.save(update_fields=["for_everyone"])
            obj.teams.set(extracted)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        weight = kwargs.pop("weight", 20)
        title = kwargs.pop("title")
        behaviour = kwargs.pop("behaviour")
        obj = super()._create(model_class, *args, **kwargs)
        obj._weight, obj._title, obj._behaviour = weight, title, behaviour
        return obj


class SuggestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Suggestion

    expectation = factory.SubFactory(ExpectationFactory, status=Status.SHARPENING, published_at=None)
    organization = factory.SelfAttribute("expectation.organization")
    author = factory.LazyAttribute(lambda o: EmployeeFactory(organization=o.organization))
    language = "nl"
    text = "Je belt de klant binnen vijf werkdagen na oplevering en vraagt wat beter kan."
    why = "Dan weet iedereen wanneer en hoe."


class EndorsementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Endorsement

    expectation = factory.SubFactory(ExpectationFactory, status=Status.SHARPENING, published_at=None)
    organization = factory.SelfAttribute("expectation.organization")
    employee = factory.LazyAttribute(lambda o: EmployeeFactory(organization=o.organization))
    wording_revision = factory.SelfAttribute("expectation.wording_revision")


# --- cycles -------------------------------------------------------------------------------------

import datetime  # noqa: E402

from cycles.models import Conversation, ConversationState, Cycle, CycleStatus, Moment, MomentKind  # noqa: E402


class CycleFactory(factory.django.DjangoModelFactory):
    """A cycle for the whole organisation over the year 2027 (pass ``teams=[...]`` to narrow it)."""

    class Meta:
        model = Cycle
        skip_postgeneration_save = True

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Cyclus {2027 + n}")
    starts_on = datetime.date(2027, 1, 1)
    ends_on = datetime.date(2027, 12, 31)
    status = CycleStatus.DRAFT

    @factory.post_generation
    def teams(obj, create, extracted, **kwargs):
        if create and extracted:
            if any(team.organization_id != obj.organization_id for team in extracted):
                raise ValueError("teams belong to another organisation; build cross-tenant data explicitly")
            obj.for_everyone = False
            obj.save(update_fields=["for_everyone"])
            obj.teams.set(extracted)


class MomentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Moment

    cycle = factory.SubFactory(CycleFactory)
    organization = factory.SelfAttribute("cycle.organization")
    kind = MomentKind.PROGRESS
    name_nl = factory.Sequence(lambda n: f"Voortgangsgesprek {n}")
    name_en = factory.Sequence(lambda n: f"Progress conversation {n}")
    purpose_nl = "Feedback op gedrag en bijsturen."
    purpose_en = "Feedback on behaviour and adjusting."
    opens_on = datetime.date(2027, 6, 1)
    closes_on = datetime.date(2027, 6, 30)


class ConversationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Conversation

    moment = factory.SubFactory(MomentFactory)
    organization = factory.SelfAttribute("moment.organization")
    employee = factory.LazyAttribute(lambda o: EmployeeFactory(organization=o.organization))
    state = ConversationState.TO_SCHEDULE

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        if kwargs["employee"].organization_id != kwargs["organization"].pk:
            raise ValueError("employee belongs to another organisation; build cross-tenant data explicitly")
        return super()._create(model_class, *args, **kwargs)


# --- expectations in a given state, and rows for the query-count tests --------------------------

from expectations.models import SuggestionStatus  # noqa: E402


def draft_expectation(organization, **kwargs):
    """An expectation in draft: not published, not open for suggestions."""
    return ExpectationFactory(organization=organization, status=Status.DRAFT, published_at=None, **kwargs)


def sharpening_expectation(organization, *, closes_in=7, **kwargs):
    """A draft open for suggestions until ``closes_in`` days from today (0: today, negative: already closed)."""
    return ExpectationFactory(
        organization=organization,
        status=Status.SHARPENING,
        published_at=None,
        sharpening_closes_on=timezone.localdate() + timezone.timedelta(days=closes_in),
        **kwargs,
    )


def suggestions_in_every_state(expectation, numbers, *, decided_by):
    """One suggestion per number, open, accepted and declined in turn, each by a new person who also endorses.

    The decided ones carry a reply by ``decided_by``: the rows a page lists, to show its query count stays flat.
    """
    team = TeamFactory(organization=expectation.organization)
    statuses = [SuggestionStatus.OPEN, SuggestionStatus.ACCEPTED, SuggestionStatus.DECLINED]
    for number in numbers:
        author = EmployeeFactory(organization=expectation.organization, team=team)
        decided = statuses[number % 3] != SuggestionStatus.OPEN
        SuggestionFactory(
            expectation=expectation,
            author=author,
            status=statuses[number % 3],
            reply="Dank je." if decided else "",
            decided_by=decided_by if decided else None,
            decided_at=timezone.now() if decided else None,
        )
        EndorsementFactory(expectation=expectation, employee=author)


# --- reviews ------------------------------------------------------------------------------------

from reviews.models import Observation, Review, Source  # noqa: E402


class ObservationFactory(factory.django.DjangoModelFactory):
    """A manager's observation of ``employee`` (pass ``author``; ``source`` follows who wrote it), dated today."""

    class Meta:
        model = Observation

    organization = factory.SelfAttribute("employee.organization")
    employee = factory.SubFactory(EmployeeFactory)
    author = factory.LazyAttribute(lambda o: o.employee.manager or EmployeeFactory(organization=o.organization))
    source = Source.MANAGER
    observed_on = factory.LazyFunction(timezone.localdate)
    situation = "Tijdens de oplevering bij klant Jansen."
    behaviour = "Je belde de klant op vrijdag en vroeg wat beter kon."
    effect = "De klant noemde twee verbeterpunten die we meteen oppakten."

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        if kwargs["author"].organization_id != kwargs["employee"].organization_id:
            raise ValueError("author belongs to another organisation; build cross-tenant data explicitly")
        return super()._create(model_class, *args, **kwargs)


class ReviewFactory(factory.django.DjangoModelFactory):
    """A draft review of the conversation's employee by their manager (no ratings: the services add those)."""

    class Meta:
        model = Review

    conversation = factory.SubFactory(ConversationFactory)
    organization = factory.SelfAttribute("conversation.organization")
    cycle = factory.SelfAttribute("conversation.moment.cycle")
    employee = factory.SelfAttribute("conversation.employee")
    manager = factory.LazyAttribute(lambda o: o.conversation.employee.manager)


# --- pay ----------------------------------------------------------------------------------------

from decimal import Decimal  # noqa: E402

from pay.models import PayRule, PayTable, Placement, SalaryScale, SalaryTable, ScaleStep  # noqa: E402


class SalaryTableFactory(factory.django.DjangoModelFactory):
    """Salary scales that apply from 1 January of this year (no scales or steps: add them)."""

    class Meta:
        model = SalaryTable

    organization = factory.SubFactory(OrganizationFactory)
    applies_from = factory.LazyFunction(lambda: timezone.localdate().replace(month=1, day=1))


class SalaryScaleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SalaryScale

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Schaal {n + 1}")
    position = factory.Sequence(lambda n: n)


def scale_with_steps(table, name, amounts, *, first=0):
    """A scale named ``name`` with one step per amount (numbered from ``first``) in ``table``; returns the scale."""
    scale = SalaryScaleFactory(organization=table.organization, name=name)
    ScaleStep.objects.bulk_create(
        ScaleStep(
            organization=table.organization,
            table=table,
            scale=scale,
            number=first + index,
            monthly_amount=Decimal(amount),
        )
        for index, amount in enumerate(amounts)
    )
    return scale


class PlacementFactory(factory.django.DjangoModelFactory):
    """``employee`` on ``scale`` at ``step`` (pass both), or with ``monthly_salary`` outside the scales."""

    class Meta:
        model = Placement

    organization = factory.SelfAttribute("employee.organization")
    employee = factory.SubFactory(EmployeeFactory)


def _pay_settings(o):
    from pay.standing import settings_for

    return settings_for(organization_id=o.cycle.organization_id)


class PayTableFactory(factory.django.DjangoModelFactory):
    """A published pay table of ``cycle`` (version 1), without rules: add one per band."""

    class Meta:
        model = PayTable

    cycle = factory.SubFactory(CycleFactory)
    organization = factory.SelfAttribute("cycle.organization")
    version = 1
    top_one_off_percent = Decimal("3")
    published_at = factory.LazyFunction(timezone.now)
    # What publishing keeps with a version: the organisation's pay settings of that moment.
    holiday_allowance = factory.LazyAttribute(lambda o: _pay_settings(o).holiday_allowance)
    thirteenth_month = factory.LazyAttribute(lambda o: _pay_settings(o).thirteenth_month)
    effective_on = factory.LazyAttribute(lambda o: _pay_settings(o).effective_date(o.cycle))


class PayRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PayRule

    table = factory.SubFactory(PayTableFactory)
    organization = factory.SelfAttribute("table.organization")
    sentence_nl = "Een trede erbij."
    sentence_en = "One step up."
