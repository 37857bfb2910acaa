"""A cycle's moments: added, changed and removed while the cycle is being prepared; once it is active, only a
window moves, with a reason that is kept and told to the people concerned."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.i18n import missing_in_language
from organizations.models import Employee

from .. import bounds
from ..models import Cycle, Moment, MomentChange, MomentKind
from ..rules import PREPARED, RUNNING
from . import changes

MOMENT_FIELDS = (
    "kind",
    "name_nl",
    "name_en",
    "purpose_nl",
    "purpose_en",
    "opens_on",
    "closes_on",
    "preparation_employee_nl",
    "preparation_employee_en",
    "preparation_manager_nl",
    "preparation_manager_en",
    "produces_rating",
    "asks_reflection",
    "reflection_questions_nl",
    "reflection_questions_en",
)
MAX_REFLECTION_QUESTIONS = 10  # a short self-reflection: a few questions, each a textarea on one page


def reflection_questions(text: str) -> list[str]:
    """The questions of a moment's self-reflection text: one per non-empty line, trimmed."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def validate_moment(moment: Moment, cycle: Cycle) -> None:
    """A name in the organisation's language, a purpose, a window inside the cycle and within reach
    (cycles.bounds), and a rating only for an assessment. Raises ValidationError per field."""
    language = cycle.organization.language
    errors = missing_in_language(moment, language, "name")
    if not (moment.purpose_nl.strip() or moment.purpose_en.strip()):
        errors[f"purpose_{language}"] = _("Say what this moment is for: everyone sees the purpose wherever it appears.")
    if moment.opens_on and moment.closes_on:
        if moment.opens_on > moment.closes_on:
            errors["closes_on"] = _("The window closes before it opens.")
        elif moment.opens_on < cycle.starts_on or moment.closes_on > cycle.ends_on:
            errors["opens_on"] = _("The window must lie inside the cycle (%(start)s – %(end)s).") % {
                "start": date_format(cycle.starts_on),
                "end": date_format(cycle.ends_on),
            }
        else:
            errors.update(bounds.window_errors(opens_on=moment.opens_on, closes_on=moment.closes_on))
    if moment.produces_rating and moment.kind != MomentKind.ASSESSMENT:
        errors["produces_rating"] = _("Only an assessment conversation produces a rating.")
    errors.update(_reflection_errors(moment, language))
    if errors:
        raise ValidationError(errors)


def _reflection_errors(moment: Moment, language: str) -> dict:
    """A moment that asks for a self-reflection has its questions in the organisation's language; at most ten."""
    errors = {}
    if moment.asks_reflection and not reflection_questions(getattr(moment, f"reflection_questions_{language}")):
        errors[f"reflection_questions_{language}"] = _(
            "Write at least one question (one per line), or do not ask for a self-reflection."
        )
    for other in ("nl", "en"):
        if len(reflection_questions(getattr(moment, f"reflection_questions_{other}"))) > MAX_REFLECTION_QUESTIONS:
            errors[f"reflection_questions_{other}"] = _("At most %(count)d questions, one per line.") % {
                "count": MAX_REFLECTION_QUESTIONS
            }
    return errors


@transaction.atomic
def moment_save(*, cycle: Cycle, moment: Moment | None = None, **fields) -> Moment:
    """Add or change a moment of a cycle being prepared (cycles.rules.CHANGE_MOMENTS; an active cycle's windows
    move with moment_move). Changing a moment twice is harmless; adding twice adds two."""
    if cycle.status not in PREPARED:
        raise ValidationError(_("An active cycle's calendar is fixed; move a moment's window instead."))
    moment = moment or Moment(organization_id=cycle.organization_id, cycle=cycle)
    for name, value in fields.items():
        setattr(moment, name, value.strip() if isinstance(value, str) else value)
    validate_moment(moment, cycle)
    moment.full_clean()
    moment.save()
    return moment


@transaction.atomic
def moment_delete(*, moment: Moment) -> None:
    """Remove a moment from a cycle being prepared (cycles.rules.CHANGE_MOMENTS). Harmless twice."""
    if moment.cycle.status not in PREPARED:
        raise ValidationError(_("An active cycle's moments cannot be removed."))
    moment.delete()


@transaction.atomic
def moment_move(*, moment: Moment, opens_on: date, closes_on: date, reason: str, actor: Employee) -> Moment:
    """Move the window of an active cycle's moment (cycles.rules.MOVE_WINDOWS), with a reason that is kept.
    Conversations keep their state.

    After commit the unsent reminders follow the new dates and the people concerned are emailed the change.
    Not harmless twice: each call records a change and tells the people again.
    """
    cycle = moment.cycle
    if cycle.status not in RUNNING:
        raise ValidationError(_("Only an active cycle's windows are moved this way; edit the moment instead."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the window moves; the people affected will see it.")})
    old_opens, old_closes = moment.opens_on, moment.closes_on
    moment.opens_on, moment.closes_on = opens_on, closes_on
    validate_moment(moment, cycle)
    moment.save(update_fields=["opens_on", "closes_on"])
    change = MomentChange.objects.create(
        organization_id=moment.organization_id,
        moment=moment,
        old_opens_on=old_opens,
        old_closes_on=old_closes,
        new_opens_on=opens_on,
        new_closes_on=closes_on,
        reason=reason.strip(),
        changed_by=actor,
    )
    # The notice travels with the plan request: recorded now, sent after the re-planning, never a 500.
    changes.changed(moment=moment, notice=change)
    return moment
