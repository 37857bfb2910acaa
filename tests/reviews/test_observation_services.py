"""The observation services refuse what the forms refuse, whichever part calls them (the request part too)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from reviews.models import Observation, Source
from reviews.services_observations import observation_correct, observation_delete, observation_record
from tests.factories import ObservationFactory

pytestmark = pytest.mark.django_db


def fields(**changes):
    values = {"observed_on": timezone.localdate(), "situation": "In het overleg.", "behaviour": "Je vatte samen."}
    values.update(changes)
    return values


@pytest.mark.parametrize(
    ("author", "about", "source"),
    [
        ("employee", "employee", Source.MANAGER),  # about oneself is a self-observation
        ("manager", "employee", Source.SELF),  # a self-observation about someone else
        ("outsider", "employee", Source.COLLEAGUE),  # a colleague without a request
        ("employee", "outsider", Source.MANAGER),  # an employee is nobody's manager
        ("manager", "employee", "boss"),
    ],
)
def test_a_source_that_does_not_fit_the_author_is_refused(tenant_a, english, author, about, source):
    with pytest.raises(ValidationError):
        observation_record(
            author=getattr(tenant_a, author), employee=getattr(tenant_a, about), source=source, **fields()
        )
    assert not Observation.objects.exists()


def test_only_a_manager_or_hr_holds_an_observation(assessment, english):
    employee = assessment.tenant.employee
    with pytest.raises(ValidationError) as refused:
        observation_record(author=employee, employee=employee, source=Source.SELF, hold=True, **fields())
    assert "hold" in refused.value.message_dict


def test_the_service_refuses_a_future_date_and_long_text(tenant_a, english):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        observation_record(
            author=tenant_a.manager,
            employee=tenant_a.employee,
            source=Source.MANAGER,
            **fields(observed_on=tomorrow, effect="x" * 10_000),
        )
    assert set(refused.value.message_dict) == {"observed_on", "effect"}
    assert not Observation.objects.exists()


def test_a_correction_by_someone_else_is_refused(tenant_a, english):
    observation = ObservationFactory(employee=tenant_a.employee, author=tenant_a.manager)
    with pytest.raises(ValidationError):
        observation_correct(observation=observation, actor=tenant_a.hr, version=1, **fields())
    observation.refresh_from_db()
    assert observation.version == 1


def test_deleting_a_shared_observation_is_refused_by_the_service(tenant_a, english):
    observation = ObservationFactory(employee=tenant_a.employee, author=tenant_a.manager)
    with pytest.raises(ValidationError):
        observation_delete(observation=observation, actor=tenant_a.manager)
    assert Observation.objects.filter(pk=observation.pk).exists()
