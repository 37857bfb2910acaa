"""HR's configuration of the rating scale and of a cycle's outcome bands.

The organisation's scale (RatingLevel rows without a cycle) has values 1..N,
consecutive, with 2 <= N <= 7: a level is added on top or the top one removed,
so the values never have a gap. A cycle copies the scale when it is activated
(reviews.receivers), so nothing here reaches a cycle that has begun.

A cycle's bands (2 to 5) start at 0 and their thresholds strictly increase,
each above the scale's lowest value and at most its highest, so every band can
be reached. They change while the cycle is being prepared or active and none of
its reviews has been shared (rules_config.EDIT_BANDS); the draft reviews then
follow the new rule at once. Each service locks its organisation or cycle row,
so two HR admins editing at once take turns, and checks the rule on the row as
it is in the database.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, ProtectedError, Q
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.i18n import missing_in_language, require_in_language
from cycles.models import Cycle, CycleStatus
from organizations.models import Organization

from . import selectors_config
from .models import OutcomeBand, RatingLevel, Review, ReviewState
from .rules_config import BANDS_EDITABLE

LEVELS_MIN, LEVELS_MAX = 2, 7
BANDS_MIN, BANDS_MAX = 2, 5
LEVEL_TEXTS = ("label_nl", "label_en", "description_nl", "description_en")
BAND_TEXTS = ("name_nl", "name_en", "description_nl", "description_en")


def _clean(fields: dict, names) -> dict:
    """The texts of ``fields`` among ``names``, surrounding whitespace taken off, so "  " counts as empty."""
    return {name: (fields.get(name) or "").strip() for name in names}


def _number(value) -> str:
    """A score as people read it in the active language: 2,50 in Dutch, 2.50 in English."""
    return number_format(value, decimal_pos=2)


def _stale():
    return ValidationError(_("The scale was changed by someone else meanwhile. Here it is as it is now."))


# --- the organisation's scale ----------------------------------------------------------------------------------


def _locked_levels(organization: Organization) -> list[RatingLevel]:
    Organization.objects.select_for_update().filter(pk=organization.pk).first()
    return list(RatingLevel.objects.filter(organization=organization, cycle__isnull=True).order_by("value"))


@transaction.atomic
def scale_save(*, organization: Organization, texts: dict[int, dict]) -> list[RatingLevel]:
    """Set the labels and descriptions of each level of the organisation's scale: ``{value: {field: text}}``.

    Every level must be given (a page older than an added or removed level is refused, nothing saved); each label
    is required in the organisation's language. Errors are keyed ``level-<value>-<field>``, as the form prefixes
    read. Saving the same texts twice changes nothing the second time.
    """
    levels = _locked_levels(organization)
    if sorted(texts) != [level.value for level in levels]:
        raise _stale()
    errors = {}
    for level in levels:
        for name, value in _clean(texts[level.value], LEVEL_TEXTS).items():
            setattr(level, name, value)
        for name, message in missing_in_language(level, organization.language, "label").items():
            errors[f"level-{level.value}-{name}"] = message
    if errors:
        raise ValidationError(errors)
    for level in levels:
        level.full_clean()
        level.save()
    return levels


@transaction.atomic
def scale_level_add(*, organization: Organization, **fields) -> RatingLevel:
    """Add a level above the highest one (value N + 1), with its label in the organisation's language; at most 7."""
    levels = _locked_levels(organization)
    if len(levels) >= LEVELS_MAX:
        raise ValidationError(_("A scale has at most %(max)d levels.") % {"max": LEVELS_MAX})
    level = RatingLevel(organization=organization, value=len(levels) + 1, **_clean(fields, LEVEL_TEXTS))
    require_in_language(level, organization.language, "label")
    level.full_clean()
    level.save()
    return level


@transaction.atomic
def scale_level_remove(*, organization: Organization) -> RatingLevel:
    """Remove the highest level; at least 2 stay. Returns the removed level (its primary key gone).

    Refused while a cycle being prepared has a band that would start above the new highest level, so no cycle
    is activated with a band nobody can reach. Active cycles keep their copy and are not affected.
    """
    levels = _locked_levels(organization)
    if len(levels) <= LEVELS_MIN:
        raise ValidationError(_("A scale has at least %(min)d levels.") % {"min": LEVELS_MIN})
    top = levels[-1]
    new_top = levels[-2].value
    blocked = (
        Cycle.objects.filter(
            organization=organization,
            status=CycleStatus.DRAFT,
            outcome_bands__min_score__gt=new_top,
        )
        .distinct()
        .order_by("name")
        .values_list("name", flat=True)
    )
    if blocked:
        raise ValidationError(
            _(
                "A band of %(cycles)s starts above %(value)s, the highest level that would remain. "
                "Lower that threshold first."
            )
            % {"cycles": ", ".join(blocked), "value": new_top}
        )
    top.delete()
    return top


# --- a cycle's outcome bands -----------------------------------------------------------------------------------


def _locked_cycle(cycle: Cycle) -> tuple[Cycle, list[OutcomeBand]]:
    """``cycle`` as it is in the database, locked, with its bands; refused unless its bands may change now."""
    locked = Cycle.objects.select_for_update().filter(organization_id=cycle.organization_id, pk=cycle.pk).first()
    if locked is None or locked.status not in BANDS_EDITABLE:
        raise ValidationError(_("This cycle is closed: its outcome bands no longer change."))
    if selectors_config.has_shared_review(cycle=locked):
        raise ValidationError(
            _(
                "A review of this cycle has been shared with an employee, so its outcome bands no longer change: "
                "that would change an outcome people have seen."
            )
        )
    bands = list(OutcomeBand.objects.filter(organization_id=cycle.organization_id, cycle=locked).order_by("position"))
    return locked, bands


def _scale_range(cycle: Cycle) -> tuple[int, int]:
    values = [level.value for level in selectors_config.scale_of(cycle=cycle)]
    return min(values), max(values)


def _check_thresholds(cycle: Cycle, thresholds: list[Decimal], keys: list[str]) -> dict:
    """Errors (by ``keys``) for thresholds that do not increase or fall outside the scale; the first is 0."""
    low, high = _scale_range(cycle)
    errors = {}
    for number, (threshold, key) in enumerate(zip(thresholds, keys, strict=True)):
        if number == 0:
            continue
        if threshold is None:
            errors[key] = _("Enter the score from which this band applies.")
        elif not low < threshold <= high:
            errors[key] = _("Enter a score above %(low)s and at most %(high)s, the range of the scale.") % {
                "low": low,
                "high": high,
            }
        elif thresholds[number - 1] is not None and threshold <= thresholds[number - 1]:
            errors[key] = _("Enter a score above %(previous)s, where the band below starts.") % {
                "previous": _number(thresholds[number - 1])
            }
    return errors


def _follow_rule(cycle: Cycle, bands: list[OutcomeBand]) -> None:
    """Put every draft review of ``cycle`` in the band its score reaches under ``bands`` (low to high).

    A draft whose outcome was the rule's (band = computed band) moves with it; a draft where the manager chose
    another band keeps that choice. Two UPDATEs per band, whatever the number of reviews; drafts only, which the
    employee has not seen.
    """
    drafts = Review.objects.filter(organization_id=cycle.organization_id, cycle=cycle, state=ReviewState.DRAFT)
    for number, band in enumerate(bands):
        reach = Q(score__gte=band.min_score if number else Decimal("0"))
        if number + 1 < len(bands):
            reach &= Q(score__lt=bands[number + 1].min_score)
        drafts.filter(reach, band=F("computed_band")).update(computed_band=band, band=band)
        drafts.filter(reach).update(computed_band=band)


@transaction.atomic
def bands_save(*, cycle: Cycle, texts: dict[int, dict]) -> list[OutcomeBand]:
    """Set the names, descriptions and thresholds of ``cycle``'s bands: ``{position: {field: value}}``.

    Every band must be given (else the page was stale; nothing saved). Names are required in the organisation's
    language; the lowest band starts at 0 whatever is sent; thresholds strictly increase within the scale's
    range. Errors are keyed ``band-<position>-<field>``. Draft reviews follow the new thresholds.
    """
    cycle, bands = _locked_cycle(cycle)
    if sorted(texts) != [band.position for band in bands]:
        raise ValidationError(_("The bands were changed by someone else meanwhile. Here they are as they are now."))
    language = cycle.organization.language
    errors = {}
    for band in bands:
        given = texts[band.position]
        for name, value in _clean(given, BAND_TEXTS).items():
            setattr(band, name, value)
        band.min_score = Decimal("0") if band.position == bands[0].position else given.get("min_score")
        for name, message in missing_in_language(band, language, "name").items():
            errors[f"band-{band.position}-{name}"] = message
    keys = [f"band-{band.position}-min_score" for band in bands]
    errors.update(_check_thresholds(cycle, [band.min_score for band in bands], keys))
    if errors:
        raise ValidationError(errors)
    for band in bands:
        band.full_clean(exclude=["cycle", "organization"])
        band.save()
    _follow_rule(cycle, bands)
    return bands


@transaction.atomic
def band_add(*, cycle: Cycle, min_score: Decimal | None, **fields) -> OutcomeBand:
    """Add a band above the highest one, from ``min_score`` (above where that one starts); at most 5 bands."""
    cycle, bands = _locked_cycle(cycle)
    if len(bands) >= BANDS_MAX:
        raise ValidationError(_("A cycle has at most %(max)d outcome bands.") % {"max": BANDS_MAX})
    band = OutcomeBand(
        organization_id=cycle.organization_id,
        cycle=cycle,
        position=bands[-1].position + 1 if bands else 0,
        min_score=min_score if bands else Decimal("0"),
        **_clean(fields, BAND_TEXTS),
    )
    errors = missing_in_language(band, cycle.organization.language, "name")
    thresholds = [existing.min_score for existing in bands] + [band.min_score]
    errors.update(
        {
            key: message
            for key, message in _check_thresholds(cycle, thresholds, [""] * len(bands) + ["min_score"]).items()
            if key
        }
    )
    if errors:
        raise ValidationError(errors)
    band.full_clean(exclude=["cycle", "organization"])
    band.save()
    _follow_rule(cycle, [*bands, band])
    return band


@transaction.atomic
def band_remove(*, cycle: Cycle) -> OutcomeBand:
    """Remove the highest band; at least 2 stay. Draft reviews it held fall to the band below.

    Refused while a draft review has it as the outcome its manager chose instead of the rule's: that manager
    decides first. Returns the removed band (its primary key gone).
    """
    cycle, bands = _locked_cycle(cycle)
    if len(bands) <= BANDS_MIN:
        raise ValidationError(_("A cycle has at least %(min)d outcome bands.") % {"min": BANDS_MIN})
    top = bands[-1]
    chosen = (
        Review.objects.filter(organization_id=cycle.organization_id, cycle=cycle, band=top)
        .exclude(computed_band=top)
        .count()
    )
    if chosen:
        raise ValidationError(
            ngettext(
                "%(count)d draft review has this band as the outcome its manager chose. Ask them to change it first.",
                "%(count)d draft reviews have this band as the outcome their managers chose. "
                "Ask them to change it first.",
                chosen,
            )
            % {"count": chosen}
        )
    _follow_rule(cycle, bands[:-1])
    try:
        with transaction.atomic():
            top.delete()
    except ProtectedError:
        # Another part of Helder keeps something about this band that people have read (the pay table's
        # consequence of this outcome): removing it would rewrite what they were told.
        raise ValidationError(
            _("This band has a consequence in the cycle's pay table, which people may have read; it stays.")
        ) from None
    return top
