"""Writing a cycle's pay table: saving the draft, publishing it, discarding it.

Invariants these services protect:

- One draft per cycle (the database's ``pay_table_one_draft``), numbered one above the highest version, so a
  version number is never reused; it starts as a copy of the latest published version (the edit form shows
  that version's values and the first save makes the draft from them).
- A published version is never edited: only a draft is saved, and publishing is a conditional update from
  "draft" to "published", so two HR admins publishing at once cannot both win.
- A pay table gives a rule for every outcome band of its cycle: saving refuses a set of rules that skips a
  band or names another cycle's band, and publishing refuses a draft that lacks one (bands may be added after
  the draft was saved).
- A closed cycle's pay table no longer changes.

Each service locks the cycle's row first, so changes to one cycle's pay table run one after the other; each
runs in one transaction and leaves nothing half-saved. Every change reaches the audit trail: saves and deletes
through auditlog (pay/apps.py registers PayTable and PayRule), bulk-created rules and the publishing update
through organizations.audit.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.i18n import missing_in_language
from cycles.models import Cycle, CycleStatus
from organizations import audit
from organizations.models import Employee
from reviews import scales

from .models import PayRule, PayTable
from .standing import terms_of

# A cycle whose pay table may still change: being prepared or active.
TABLE_EDITABLE = frozenset({CycleStatus.DRAFT, CycleStatus.ACTIVE})
RULE_FIELDS = ("steps", "raise_percent", "one_off_percent", "promotion", "sentence_nl", "sentence_en")

CLOSED = gettext_lazy("This cycle is closed: its pay table no longer changes.")
SKIPS_A_BAND = gettext_lazy(
    "A pay table gives a rule for every outcome band of its cycle, and only for those. The bands have changed "
    "since this page was opened: here is the form with the cycle's bands as they are now."
)


@dataclass(frozen=True)
class RuleInput:
    """What HR sets for one band."""

    steps: int = 0
    raise_percent: Decimal = Decimal(0)
    one_off_percent: Decimal = Decimal(0)
    promotion: bool = False
    sentence_nl: str = ""
    sentence_en: str = ""


def _locked(cycle: Cycle) -> Cycle:
    """``cycle`` as it is in the database, locked; refused when it is closed."""
    locked = Cycle.objects.select_for_update().get(organization_id=cycle.organization_id, pk=cycle.pk)
    if locked.status not in TABLE_EDITABLE:
        raise ValidationError(CLOSED)
    return locked


def _draft(cycle: Cycle) -> PayTable | None:
    return (
        PayTable.objects.select_for_update()
        .filter(organization_id=cycle.organization_id, cycle=cycle, published_at__isnull=True)
        .first()
    )


def skipped_bands(bands) -> str:
    """Why a draft without a rule for ``bands`` cannot be published (the publish page and the service say it alike)."""
    names = ", ".join(f"“{band.local_name}”" for band in bands)
    return _("The draft gives no rule for %(bands)s. Edit the draft first.") % {"bands": names}


def _missing_bands(cycle: Cycle, table: PayTable) -> list:
    rules = PayRule.objects.filter(organization_id=cycle.organization_id, table=table)
    covered = set(rules.values_list("band_id", flat=True))
    return [band for band in scales.cycle_bands(cycle=cycle) if band.pk not in covered]


@transaction.atomic
def pay_table_draft_save(
    *, cycle: Cycle, top_rule: str, top_one_off_percent: Decimal, rules: dict[int, RuleInput]
) -> PayTable:
    """Save the draft of ``cycle``'s pay table: the top-of-scale rule and ``rules``, one per band id.

    Makes the draft on first save, as version (highest version + 1). Refused, nothing saved: a closed cycle,
    ``rules`` that skip one of the cycle's bands or name another band (a page older than a band added since,
    or a crafted POST), a sentence missing in the organisation's language (keyed ``band-<id>-sentence_<lang>``),
    a value outside its limits (steps 0 to 2, percentages 0 to 100 with two decimals; keyed
    ``band-<id>-<field>``). Saving the same values twice changes nothing the second time.
    """
    cycle = _locked(cycle)
    bands = scales.cycle_bands(cycle=cycle)
    if set(rules) != {band.pk for band in bands}:
        raise ValidationError(SKIPS_A_BAND)
    draft = _draft(cycle)
    made = draft is None
    if made:
        highest = PayTable.objects.filter(organization_id=cycle.organization_id, cycle=cycle).aggregate(
            highest=Max("version")
        )["highest"]
        draft = PayTable(organization_id=cycle.organization_id, cycle=cycle, version=(highest or 0) + 1)
    existing = {} if made else {rule.band_id: rule for rule in draft.rules.all()}
    before = {band_id: [getattr(rule, name) for name in RULE_FIELDS] for band_id, rule in existing.items()}
    table_before = None if made else (draft.top_rule, draft.top_one_off_percent)
    draft.top_rule = top_rule
    draft.top_one_off_percent = top_one_off_percent
    errors = {}
    try:
        draft.full_clean(exclude=["organization", "cycle", "published_by"], validate_constraints=False)
    except ValidationError as error:
        errors.update(error.message_dict)
    prepared = []
    for band in bands:
        rule = existing.get(band.pk) or PayRule(organization_id=cycle.organization_id, band=band)
        for name in RULE_FIELDS:
            value = getattr(rules[band.pk], name)
            setattr(rule, name, value.strip() if isinstance(value, str) else value)
        problems = missing_in_language(rule, cycle.organization.language, "sentence")
        try:
            rule.full_clean(exclude=["organization", "table", "band"], validate_constraints=False)
        except ValidationError as error:
            problems = {**error.message_dict, **problems}
        errors.update({f"band-{band.pk}-{name}": message for name, message in problems.items()})
        prepared.append(rule)
    if errors:
        raise ValidationError(errors)
    if table_before != (draft.top_rule, draft.top_one_off_percent):
        draft.save()  # auditlog records the new draft, or what changed in it
    new = []
    for rule in prepared:
        if rule.pk is None:
            rule.table = draft
            new.append(rule)
        elif before[rule.band_id] != [getattr(rule, name) for name in RULE_FIELDS]:
            rule.save()  # auditlog records the fields that changed
    if new:
        PayRule.objects.bulk_create(new)
        audit.record_creates(new)
    return draft


@transaction.atomic
def pay_table_publish(*, cycle: Cycle, actor: Employee) -> PayTable:
    """Publish the draft of ``cycle``'s pay table: from now on it is the version everyone reads.

    Refused (nothing changes): a closed cycle, no draft, a draft without a rule for one of the cycle's bands.
    The version keeps the organisation's terms of this moment (holiday allowance, thirteenth month, effective
    date): the cycle's figures use those until a next version. The previous versions stay, in the history. A
    conditional update (draft to published) decides between two
    HR admins publishing at once; the second is told there is no draft. Not repeatable: a second call finds no
    draft and is refused.
    """
    cycle = _locked(cycle)
    draft = _draft(cycle)
    if draft is None:
        raise ValidationError(_("There is no draft to publish. It may have been published or discarded meanwhile."))
    if missing := _missing_bands(cycle, draft):
        raise ValidationError(skipped_bands(missing))
    now = timezone.now()
    terms = terms_of(cycle=cycle)
    kept = {
        "holiday_allowance": terms.holiday_allowance,
        "thirteenth_month": terms.thirteenth_month,
        "effective_on": terms.effective_on,
    }
    published = PayTable.objects.filter(pk=draft.pk, published_at__isnull=True).update(
        published_at=now, published_by=actor, **kept
    )
    if published != 1:  # pragma: no cover - the lock on the cycle makes this unreachable on PostgreSQL
        raise ValidationError(_("There is no draft to publish. It may have been published or discarded meanwhile."))
    audit.record_update(draft, published_at=now, **kept)
    draft.published_at, draft.published_by = now, actor
    for name, value in kept.items():
        setattr(draft, name, value)
    return draft


@transaction.atomic
def pay_table_discard(*, cycle: Cycle) -> PayTable:
    """Delete the draft of ``cycle``'s pay table and its rules; the published versions stay as they are.

    Allowed on a closed cycle too: a draft nobody has read can always go. Refused when there is no draft (it was
    published or discarded meanwhile). Returns the deleted draft (its version number kept for the message).
    """
    Cycle.objects.select_for_update().get(organization_id=cycle.organization_id, pk=cycle.pk)
    draft = _draft(cycle)
    if draft is None:
        raise ValidationError(_("There is no draft to discard. It may have been published or discarded meanwhile."))
    draft.delete()  # auditlog records the draft's and each rule's deletion
    return draft
