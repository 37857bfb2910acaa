"""Putting a service's refusal where the person reads it: at the field it is about, or above the form.

Services validate and raise ``ValidationError``: with a dict when the refusal
is about fields (``{"ends_on": ...}``), with a message when it is about the
action as a whole ("this cycle is closed"). Views hand it to one of these
instead of deciding again, each in its own way, where a message goes.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError


def is_about_fields(error: ValidationError) -> bool:
    """True when the refusal names fields (a dict of errors); False when it is about the action as a whole."""
    return hasattr(error, "error_dict")


def errors_onto_form(form, error: ValidationError) -> None:
    """Put ``error`` on ``form``: each message at its field, the others above the form (its non-field errors).

    A field the form does not show (a model field the service checked but the
    form does not offer, or NON_FIELD_ERRORS) goes above the form, so no
    message is lost and Form.add_error never raises for an unknown field.
    """
    if not is_about_fields(error):
        form.add_error(None, error.messages)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def errors_as_messages(request, error: ValidationError) -> None:
    """Each message of ``error`` as an error message on the next page, for an action without a form (a button)."""
    for message in error.messages:
        messages.error(request, message)
