"""Factories that keep related rows in one organisation: a team, manager or
invitation is always derived from the employee's own organisation, so a test
cannot build cross-tenant data by accident (it has to say so explicitly)."""

import factory
from django.utils import timezone

from accounts.models import User
from organizations.models import Employee, Invitation, Organization, Role, Team

PASSWORD = "correct horse battery staple"


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
    last_name = factory.Faker("last_name", locale="nl_NL")
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
        return super()._create(model_class, *args, **kwargs)


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    employee = factory.SubFactory(EmployeeFactory)
    organization = factory.SelfAttribute("employee.organization")
    token_hash = factory.Sequence(lambda n: f"{n:064d}")
    expires_at = factory.LazyFunction(lambda: timezone.now() + timezone.timedelta(days=7))
