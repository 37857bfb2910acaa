"""core.forms: a service's ValidationError lands at the field it names, or above the form; or as messages."""

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.test import RequestFactory

from core.forms import errors_as_messages, errors_onto_form, is_about_fields


class NameForm(forms.Form):
    name = forms.CharField()


def valid_form():
    form = NameForm({"name": "Klantenservice"})
    assert form.is_valid()
    return form


def test_a_field_error_lands_at_its_field():
    form = valid_form()
    errors_onto_form(form, ValidationError({"name": "There is already a team with this name."}))
    assert form.errors["name"] == ["There is already a team with this name."]
    assert form.non_field_errors() == []


def test_an_error_about_the_whole_action_lands_above_the_form():
    form = valid_form()
    errors_onto_form(form, ValidationError("This cycle is closed."))
    assert form.non_field_errors() == ["This cycle is closed."]
    assert "name" not in form.errors


def test_errors_about_a_field_the_form_does_not_show_land_above_the_form_instead_of_raising():
    form = valid_form()
    error = ValidationError({"name": "Too long.", "weight": "Not a weight.", NON_FIELD_ERRORS: ["Someone else did."]})
    errors_onto_form(form, error)
    assert form.errors["name"] == ["Too long."]
    assert sorted(form.non_field_errors()) == ["Not a weight.", "Someone else did."]


def test_is_about_fields_tells_a_dict_from_a_message():
    assert is_about_fields(ValidationError({"name": "x"}))
    assert not is_about_fields(ValidationError("x"))
    assert not is_about_fields(ValidationError(["x", "y"]))


def test_each_message_of_a_refusal_becomes_an_error_message():
    request = RequestFactory().post("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    errors_as_messages(request, ValidationError(["Not yet.", "Look again."]))
    assert [(message.level_tag, str(message)) for message in get_messages(request)] == [
        ("error", "Not yet."),
        ("error", "Look again."),
    ]


@pytest.mark.parametrize("error", [ValidationError({"name": "x"}), ValidationError("x")])
def test_a_form_with_a_service_error_is_no_longer_valid(error):
    form = valid_form()
    errors_onto_form(form, error)
    assert not form.is_valid()
