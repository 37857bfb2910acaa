"""HR sets a moment's self-reflection in the moment form: whether it is asked, and its questions in both languages."""

import datetime

import pytest

from cycles import services
from cycles.models import CycleStatus, Moment, MomentKind
from cycles.services.moments import reflection_questions
from tests.factories import CycleFactory, MomentFactory
from tests.kit import assert_nothing_changes, field_error, moment_data, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft_cycle(tenant_a):
    return CycleFactory(organization=tenant_a.organization, name="2027")


def test_the_moment_form_saves_the_questions_in_both_languages_and_the_checkbox(draft_cycle, hr):
    data = moment_data(
        asks_reflection="on",
        reflection_questions_nl="Waar ben je trots op?\nWat wil je leren?",
        reflection_questions_en="What are you proud of?\nWhat do you want to learn?",
    )
    response = hr.post(url("cycles:moment_create", draft_cycle.organization, cycle_id=draft_cycle.pk), data)
    assert response.status_code == 302
    moment = Moment.objects.get(cycle=draft_cycle)
    assert moment.asks_reflection is True
    assert moment.reflection_questions_nl == "Waar ben je trots op?\nWat wil je leren?"
    assert moment.reflection_questions_en == "What are you proud of?\nWhat do you want to learn?"
    body = hr.get(url("cycles:moment_edit", draft_cycle.organization, moment_id=moment.pk)).content.decode()
    assert 'name="asks_reflection"' in body and "checked" in body and "What do you want to learn?" in body


def test_unticking_keeps_the_questions_but_asks_no_more(draft_cycle, hr):
    moment = MomentFactory(cycle=draft_cycle, asks_reflection=True, reflection_questions_nl="Vraag?")
    data = moment_data(reflection_questions_nl="Vraag?")
    response = hr.post(url("cycles:moment_edit", draft_cycle.organization, moment_id=moment.pk), data)
    assert response.status_code == 302
    moment.refresh_from_db()
    assert moment.asks_reflection is False and moment.reflection_questions_nl == "Vraag?"


def test_asking_without_questions_in_the_organisations_language_is_a_field_error(draft_cycle, hr):
    data = moment_data(asks_reflection="on", reflection_questions_en="Only English?")
    with assert_nothing_changes(Moment.objects.all()):
        response = hr.post(url("cycles:moment_create", draft_cycle.organization, cycle_id=draft_cycle.pk), data)
    assert response.status_code == 200
    assert field_error(response, "reflection_questions_nl") == (
        "Write at least one question (one per line), or do not ask for a self-reflection."
    )


def test_more_than_ten_questions_is_a_field_error(draft_cycle, hr):
    many = "\n".join(f"Vraag {number}?" for number in range(11))
    data = moment_data(asks_reflection="on", reflection_questions_nl=many)
    with assert_nothing_changes(Moment.objects.all()):
        response = hr.post(url("cycles:moment_create", draft_cycle.organization, cycle_id=draft_cycle.pk), data)
    assert field_error(response, "reflection_questions_nl") == "At most 10 questions, one per line."


def test_an_active_cycles_moment_keeps_its_questions(tenant_a, hr):
    cycle = CycleFactory(organization=tenant_a.organization, status=CycleStatus.ACTIVE)
    moment = MomentFactory(cycle=cycle, asks_reflection=True, reflection_questions_nl="Vraag?")
    data = moment_data(asks_reflection="on", reflection_questions_nl="Andere vraag?")
    with assert_nothing_changes(Moment.objects.all()):
        hr.post(url("cycles:moment_edit", tenant_a.organization, moment_id=moment.pk), data)


def test_the_template_moments_ask_for_a_self_reflection_in_both_languages(tenant_a):
    cycle = services.cycle_create(
        organization=tenant_a.organization,
        name="2027",
        starts_on=datetime.date(2027, 1, 1),
        ends_on=datetime.date(2027, 12, 31),
    )
    moments = {moment.kind: moment for moment in cycle.moments.all()}
    assert set(moments) == {MomentKind.PLANNING, MomentKind.PROGRESS, MomentKind.ASSESSMENT}
    for moment in moments.values():
        assert moment.asks_reflection
        assert len(reflection_questions(moment.reflection_questions_nl)) == 3
        assert len(reflection_questions(moment.reflection_questions_en)) == 3
