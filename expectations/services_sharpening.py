"""Sharpening: suggestions of better wording and endorsements while a draft is open, and deciding suggestions.

Re-exported by expectations.services, the app's one services name. Each service owns its transaction; deciding a
suggestion is a conditional update, so of two people deciding at once the second is told it was decided.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.states import move_state
from organizations import audit
from organizations.models import Employee

from .models import Endorsement, Expectation, ExpectationVersion, Suggestion, SuggestionStatus
from .rules import UNPUBLISHED


def _require_open(expectation: Expectation) -> None:
    if not expectation.is_open_for_suggestions:
        raise ValidationError(_("This expectation is not open for suggestions."))


@transaction.atomic
def suggestion_create(
    *, expectation: Expectation, author: Employee, text: str, why: str = "", language: str
) -> Suggestion:
    """Suggest better wording for the observable behaviour while the expectation is being sharpened.

    The view has already proved the author is in the audience (404 otherwise).

    Not idempotent: each call adds a suggestion.
    """
    _require_open(expectation)
    suggestion = Suggestion(
        organization_id=expectation.organization_id,
        expectation=expectation,
        author=author,
        language=language if language in ("nl", "en") else expectation.organization.language,
        text=text.strip(),
        why=why.strip(),
    )
    suggestion.full_clean()
    suggestion.save()
    return suggestion


@transaction.atomic
def endorsement_add(*, expectation: Expectation, employee: Employee) -> bool:
    """Say "clear to me" about the current wording. Running it twice is harmless; returns True when new."""
    _require_open(expectation)
    _endorsement, created = Endorsement.objects.get_or_create(
        organization_id=expectation.organization_id,
        expectation=expectation,
        employee=employee,
        wording_revision=expectation.wording_revision,
    )
    return created


def _decide(suggestion: Suggestion, actor: Employee, status: str, reply: str) -> None:
    """Decide an open suggestion, once: of two people deciding at once, the second is told it was decided."""
    fields = {"reply": reply.strip(), "decided_by": actor, "decided_at": timezone.now()}
    if not move_state(Suggestion, suggestion.pk, SuggestionStatus.OPEN, status, **fields):
        raise ValidationError(_("This suggestion has already been decided."))
    suggestion.refresh_from_db()


@transaction.atomic
def suggestion_accept(*, suggestion: Suggestion, actor: Employee, reply: str = "") -> Suggestion:
    """The draft takes the suggested behaviour wording (in the suggestion's language); the author is credited.

    The behaviour in the other language is emptied, so its readers see the accepted words (the
    fallback) instead of a translation of the words that were just replaced.

    Twice (or after a decline): the second is refused, the suggestion is decided.
    """
    expectation = Expectation.objects.select_for_update().get(pk=suggestion.expectation_id)
    if expectation.status not in UNPUBLISHED:
        raise ValidationError(_("Only the wording of a draft can take a suggestion."))
    _decide(suggestion, actor, SuggestionStatus.ACCEPTED, reply)
    other = "en" if suggestion.language == "nl" else "nl"
    # The other language's wording said what the old words said; rather than show readers of that
    # language a stale text, it is emptied and falls back to the accepted one until someone translates it.
    wording = {f"behaviour_{suggestion.language}": suggestion.text, f"behaviour_{other}": ""}
    version = ExpectationVersion.objects.get(pk=expectation.current_version_id)
    ExpectationVersion.objects.filter(pk=version.pk).update(**wording)
    audit.record_update(version, **wording)
    Expectation.objects.filter(pk=expectation.pk).update(wording_revision=expectation.wording_revision + 1)
    return suggestion


@transaction.atomic
def suggestion_decline(*, suggestion: Suggestion, actor: Employee, reply: str) -> Suggestion:
    """Decline with a reply the author sees; the reply is required.

    Twice: the second is refused, the suggestion is decided.
    """
    if not reply.strip():
        raise ValidationError({"reply": _("Tell the author why, in a sentence or two.")})
    _decide(suggestion, actor, SuggestionStatus.DECLINED, reply)
    return suggestion
