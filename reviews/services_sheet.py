"""The self-reflection: the person's answers to their moment's questions, saved as a draft or submitted.

Rules (reviews.rules_sheet): only the person writes it, only when the moment
asks for one, and only while the conversation is open (to schedule or
scheduled). Submitted, the manager reads it; the person may still change it
until the conversation is held or cancelled, and it stays submitted: the
manager always reads the latest submitted text (the audit trail keeps the
earlier ones). A draft is never shown to the manager.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.i18n import localized
from cycles.models import Conversation
from cycles.services.moments import reflection_questions
from organizations.models import Employee

from .models import SelfReflection
from .rules_sheet import REFLECTION_OPEN

ANSWER_LIMIT = 2000  # a few paragraphs per question


def questions_for(*, conversation: Conversation, reflection: SelfReflection | None) -> list[str]:
    """The questions the person answers: those they answered before, else the moment's in the active language.

    Stored with the answers, so a later edit of the moment's questions or a change of language never changes
    what someone answered.
    """
    if reflection is not None and reflection.answers:
        return [str(item.get("question", "")) for item in reflection.answers]
    return reflection_questions(localized(conversation.moment, "reflection_questions"))


def answers_of(reflection: SelfReflection | None) -> list[str]:
    return [str(item.get("answer", "")) for item in reflection.answers] if reflection else []


@transaction.atomic
def reflection_save(
    *, conversation: Conversation, employee: Employee, questions: list[str], answers: list[str], submit: bool
) -> SelfReflection:
    """Save ``employee``'s answers to ``questions`` for ``conversation``; ``submit`` makes them the manager's to read.

    Refuses (ValidationError) another person, a moment that does not ask for a self-reflection, a conversation
    that is held or cancelled (as stored now, not as the page showed it), an answer over ANSWER_LIMIT, a submit
    without any answer, and questions that are not the ones stored (a stale page). Nothing is saved then.
    Harmless twice: the second call writes the same answers (and keeps the first submission's time).
    """
    if conversation.employee_id != employee.pk:
        raise ValidationError(_("Only the person whose conversation it is writes the self-reflection."))
    if not conversation.moment.asks_reflection:
        raise ValidationError(_("This conversation does not ask for a self-reflection."))
    # Lock the conversation's row while saving, so marking it held at the same time waits for this or refuses it
    # (on SQLite a writer is alone anyway).
    state = (
        Conversation.objects.select_for_update()
        .filter(pk=conversation.pk, organization_id=conversation.organization_id)
        .values_list("state", flat=True)
        .first()
    )
    if state not in REFLECTION_OPEN:
        raise ValidationError(_("The conversation has taken place or was cancelled; the self-reflection is closed."))
    reflection = (
        SelfReflection.objects.select_for_update()
        .filter(organization_id=conversation.organization_id, conversation=conversation)
        .first()
    )
    if questions != questions_for(conversation=conversation, reflection=reflection) or len(answers) != len(questions):
        raise ValidationError(_("The questions changed while you were writing; check your answers and save again."))
    errors = {
        f"answer_{number}": _("Keep each answer to %(limit)d characters (this one has %(length)d).")
        % {"limit": ANSWER_LIMIT, "length": len(answer)}
        for number, answer in enumerate(answers)
        if len(answer) > ANSWER_LIMIT
    }
    if errors:
        raise ValidationError(errors)
    answers = [answer.strip() for answer in answers]
    if submit and not any(answers):
        raise ValidationError(_("Answer at least one question before you submit."))
    now = timezone.now()
    items = [{"question": question, "answer": answer} for question, answer in zip(questions, answers, strict=True)]
    if reflection is None:
        reflection = SelfReflection(
            organization_id=conversation.organization_id, conversation=conversation, employee=employee
        )
    reflection.answers = items
    reflection.updated_at = now
    if submit and reflection.submitted_at is None:
        reflection.submitted_at = now
    try:
        with transaction.atomic():  # a savepoint: two first saves at once meet the one-to-one constraint
            reflection.save()
    except IntegrityError:
        raise ValidationError(
            _("Your self-reflection was saved from another window just now; reload and try again.")
        ) from None
    return reflection
