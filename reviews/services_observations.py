"""Recording, correcting, deleting and reacting to observations: the rules that hold whichever page (or part) calls.

An observation is about one employee, by one author, from one source: the
person themselves (SELF), their manager or an HR admin (MANAGER), or a
colleague answering a request (COLLEAGUE, recorded here for the request part).
Every service validates what it is given as the forms do, since the form is
not the only door, and refuses with a translated ValidationError, saving
nothing. Visibility is derived (reviews.models.VISIBLE_TO_EMPLOYEE), so holding
a conversation changes nothing here.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cycles import selectors as cycle_selectors
from cycles.bounds import YEARS_AROUND_TODAY, years_from
from cycles.models import OPEN_STATES, Conversation
from expectations.selectors import applicable_expectations
from organizations import audit
from organizations.models import Employee
from organizations.permissions import can

from .models import TEXT_LIMIT, VISIBLE_TO_EMPLOYEE, Observation, ObservationRequest, Rating, Shows, Source
from .rules_observations import CORRECT_OBSERVATION, DELETE_OBSERVATION, REACT_TO_OBSERVATION, RECORD_OBSERVATION

TEXT_FIELDS = ("situation", "behaviour", "effect")
REQUIRED_TEXTS = ("situation", "behaviour")


def earliest_date(today: datetime.date | None = None) -> datetime.date:
    """The first day an observation may be dated: five years back, the reach of cycles.bounds."""
    return years_from(today or timezone.localdate(), -YEARS_AROUND_TODAY)


def date_errors(observed_on: datetime.date | None) -> dict[str, str]:
    """An observation is of something that happened: not in the future, and at most five years ago."""
    if observed_on is None:
        return {"observed_on": _("Enter the date you saw it.")}
    today = timezone.localdate()
    if observed_on > today:
        return {"observed_on": _("An observation is of something that happened: choose today or an earlier date.")}
    earliest = earliest_date(today)
    if observed_on < earliest:
        return {
            "observed_on": _("Choose a date on or after %(earliest)s (at most five years ago).")
            % {"earliest": date_format(earliest)}
        }
    return {}


def text_errors(texts: dict[str, str]) -> dict[str, str]:
    """Situation and behaviour are filled in; no text is longer than TEXT_LIMIT characters."""
    errors = {}
    for name, text in texts.items():
        if len(text) > TEXT_LIMIT:
            errors[name] = _("Keep this to %(limit)d characters at most (it has %(count)d).") % {
                "limit": TEXT_LIMIT,
                "count": len(text),
            }
        elif name in REQUIRED_TEXTS and not text.strip():
            errors[name] = _("Describe this in a few words.")
    return errors


def _check_fields(*, employee: Employee, fields: dict, current_expectation_id=None) -> dict:
    """The cleaned values of an observation's own fields, or ValidationError naming each bad one."""
    unknown = set(fields) - {"expectation", "observed_on", "shows", *TEXT_FIELDS}
    if unknown:
        raise TypeError(f"Unknown observation fields: {sorted(unknown)}")
    texts = {name: (fields.get(name) or "").strip() for name in TEXT_FIELDS}
    errors = {**date_errors(fields.get("observed_on")), **text_errors(texts)}
    expectation = fields.get("expectation")
    if expectation is not None and expectation.pk != current_expectation_id:
        applicable = applicable_expectations(employee=employee).filter(pk=expectation.pk)
        if expectation.organization_id != employee.organization_id or not applicable.exists():
            errors["expectation"] = _("Choose one of the expectations that apply to this person, or none.")
    shows = fields.get("shows") or Shows.SHOWN
    if shows not in Shows.values:
        errors["shows"] = _("Choose whether this shows the behaviour or room to grow.")
    if errors:
        raise ValidationError(errors)
    return {"expectation": expectation, "observed_on": fields["observed_on"], "shows": shows, **texts}


def _check_source(*, author: Employee, employee: Employee, source: str, request: ObservationRequest | None) -> None:
    if author.organization_id != employee.organization_id:
        raise ValidationError(_("You cannot record an observation about someone outside this organisation."))
    if source == Source.SELF:
        allowed = author.pk == employee.pk
    elif source == Source.MANAGER:
        allowed = author.pk != employee.pk and can(author, RECORD_OBSERVATION, employee)
    elif source == Source.COLLEAGUE:
        allowed = (
            author.pk != employee.pk
            and request is not None
            and request.employee_id == employee.pk
            and request.colleague_id == author.pk
        )
    else:
        allowed = False
    if not allowed or (request is not None and source != Source.COLLEAGUE):
        raise ValidationError(_("You cannot record an observation about this person."))
    if (
        request is not None
        and Observation.objects.filter(organization_id=employee.organization_id, request=request).exists()
    ):
        raise ValidationError(_("This request has already been answered."))


def holding_conversation(*, employee: Employee) -> Conversation | None:
    """The conversation an observation about ``employee`` would be held for: their next open one, if any, leaving
    out those of moments before the last conversation held (a planning conversation never held, months ago, would
    keep the observation from them for good)."""
    return cycle_selectors.next_conversation(employee=employee, after_last_held=True)


@transaction.atomic
def observation_record(
    *,
    author: Employee,
    employee: Employee,
    source: str,
    request: ObservationRequest | None = None,
    hold: bool = False,
    **fields,
) -> Observation:
    """Record what ``author`` saw ``employee`` do; ``fields`` are expectation, observed_on, the texts and shows.

    Protects: SELF only about oneself; MANAGER only by HR or the person's manager; COLLEAGUE only in answer to
    ``request``, made to ``author`` about ``employee`` and not answered yet; the expectation one that applies to
    the person; the date not in the future nor more than five years back; texts within TEXT_LIMIT. ``hold``
    (MANAGER only) holds it until the person's next open conversation, and is refused when there is none.
    Running it twice records two observations: each call is one thing someone saw.
    """
    _check_source(author=author, employee=employee, source=source, request=request)
    values = _check_fields(employee=employee, fields=fields)
    held_for = None
    if hold:
        if source != Source.MANAGER:
            raise ValidationError({"hold": _("Only a manager or HR can hold an observation until a conversation.")})
        held_for = holding_conversation(employee=employee)
        if held_for is None:
            raise ValidationError(
                {
                    "hold": _(
                        "%(name)s has no conversation still to come (an overdue one from before their last held "
                        "conversation does not count), so there is nothing to hold it for."
                    )
                    % {"name": employee.full_name}
                }
            )
    now = timezone.now()
    return Observation.objects.create(
        organization_id=employee.organization_id,
        employee=employee,
        author=author,
        source=source,
        request=request,
        held_for=held_for,
        created_at=now,
        updated_at=now,
        **values,
    )


def stale() -> str:
    return _(
        "Someone changed this observation while you were editing it. Here it is as it is now; make your change again."
    )


@transaction.atomic
def observation_correct(*, observation: Observation, actor: Employee, version: int, **fields) -> Observation:
    """Its author corrects an observation: new text, ``version`` one up, the old text kept in the audit trail.

    ``version`` is the version the author edited; when another correction came first nothing is saved
    (a conditional update on the version), so a stale page never overwrites a newer text.
    """
    if not can(actor, CORRECT_OBSERVATION, observation):
        raise ValidationError(_("Only the person who wrote an observation can correct it."))
    values = _check_fields(
        employee=observation.employee, fields=fields, current_expectation_id=observation.expectation_id
    )
    if version != observation.version:
        raise ValidationError(stale())
    values.update(version=observation.version + 1, updated_at=timezone.now())
    moved = Observation.objects.filter(
        organization_id=observation.organization_id, pk=observation.pk, version=observation.version
    ).update(**values)
    if not moved:
        raise ValidationError(stale())
    audit.record_update(observation, **values)
    observation.refresh_from_db()
    return observation


@transaction.atomic
def observation_delete(*, observation: Observation, actor: Employee) -> None:
    """Its author deletes an observation while it is still held; once the person can see it, it stays.

    The held-for conversation's row is locked while deleting, so a conversation marked held at the same moment
    either waits for the delete or makes the observation visible first, after which nothing is deleted.
    Refused too when a review cites it as evidence. Running it twice: the second call finds nothing.
    """
    if not can(actor, DELETE_OBSERVATION, observation):
        raise ValidationError(_("The employee can already see this observation, so it cannot be deleted any more."))
    still_held = (
        Conversation.objects.select_for_update()
        .filter(organization_id=observation.organization_id, pk=observation.held_for_id, state__in=OPEN_STATES)
        .exists()
    )
    if not still_held:
        raise ValidationError(_("The employee can already see this observation, so it cannot be deleted any more."))
    cited = Rating.evidence.through.objects.filter(observation_id=observation.pk).exists()
    if cited:
        raise ValidationError(_("A review cites this observation as evidence, so it cannot be deleted."))
    deleted, _rows = Observation.objects.filter(
        organization_id=observation.organization_id,
        pk=observation.pk,
        author=actor,
        held_for_id=observation.held_for_id,
    ).delete()
    if not deleted:
        raise ValidationError(_("This observation has already been deleted."))


@transaction.atomic
def observation_react(*, observation: Observation, actor: Employee, reaction: str) -> Observation:
    """The person an observation is about adds, changes or (with an empty text) removes their reaction.

    Only once they can see it (the update re-reads VISIBLE_TO_EMPLOYEE). Harmless twice.
    """
    if not can(actor, REACT_TO_OBSERVATION, observation):
        raise ValidationError(_("You can react only to an observation about you that you can see."))
    reaction = (reaction or "").strip()
    if len(reaction) > TEXT_LIMIT:
        raise ValidationError(
            {
                "reaction": _("Keep this to %(limit)d characters at most (it has %(count)d).")
                % {"limit": TEXT_LIMIT, "count": len(reaction)}
            }
        )
    values = {"reaction": reaction, "reacted_at": timezone.now() if reaction else None}
    moved = (
        Observation.objects.filter(organization_id=observation.organization_id, pk=observation.pk, employee=actor)
        .filter(VISIBLE_TO_EMPLOYEE)
        .update(**values)
    )
    if not moved:
        raise ValidationError(_("You can react only to an observation about you that you can see."))
    audit.record_update(observation, **values)
    for name, value in values.items():
        setattr(observation, name, value)
    return observation
