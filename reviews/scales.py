"""The rating scale and the outcome bands a cycle starts with, and the copy a cycle keeps of the scale.

An organisation has one scale (``RatingLevel`` rows without a cycle), made with
the defaults below the first time it is read. Activating a cycle copies it
(cycles.signals.cycle_activated, reviews.receivers), so later edits never
rewrite that cycle's reviews; the cycle's outcome bands start from
:data:`DEFAULT_BANDS`. A cycle activated before this app existed gets both the
first time one of its reviews needs them (:func:`cycle_levels`, :func:`cycle_bands`).
"""

from decimal import Decimal

from django.db import IntegrityError, transaction

from .models import OutcomeBand, RatingLevel

# (value, label nl, label en, description nl, description en)
DEFAULT_LEVELS = (
    (
        1,
        "Nog niet zichtbaar",
        "Not yet visible",
        "Het gedrag is (nog) niet gezien, of alleen bij uitzondering.",
        "The behaviour has not been seen (yet), or only by exception.",
    ),
    (
        2,
        "In ontwikkeling",
        "Developing",
        "Het gedrag is soms te zien; er zijn duidelijke voorbeelden van groei.",
        "The behaviour shows at times; there are clear examples of growth.",
    ),
    (
        3,
        "Consistent zichtbaar",
        "Consistently visible",
        "Het gedrag is steeds te zien, ook als het moeilijk wordt.",
        "The behaviour shows every time, also when things get hard.",
    ),
    (
        4,
        "Rolmodel",
        "Role model",
        "Het gedrag is steeds te zien en anderen nemen het over.",
        "The behaviour shows every time and others take it up.",
    ),
)

# (position, name nl, name en, description nl, description en, from a weighted score of)
DEFAULT_BANDS = (
    (
        0,
        "Onder verwachting",
        "Below expectations",
        "Het gewogen gemiddelde van de beoordelingen is lager dan 2,50.",
        "The weighted average of the ratings is below 2.50.",
        Decimal("0"),
    ),
    (
        1,
        "Voldoet aan verwachting",
        "Meets expectations",
        "Het gewogen gemiddelde is 2,50 of hoger, en lager dan 3,50.",
        "The weighted average is 2.50 or more, and below 3.50.",
        Decimal("2.50"),
    ),
    (
        2,
        "Boven verwachting",
        "Exceeds expectations",
        "Het gewogen gemiddelde is 3,50 of hoger.",
        "The weighted average is 3.50 or more.",
        Decimal("3.50"),
    ),
)


def _ensure(make, read):
    """Create the defaults once: a second caller racing the first finds the rows the first made."""
    rows = list(read())
    if rows:
        return rows
    try:
        with transaction.atomic():
            make()
    except IntegrityError:
        pass
    return list(read())


def organization_levels(*, organization_id: int) -> list[RatingLevel]:
    """The organisation's rating scale, low to high; the default scale the first time."""

    def read():
        return RatingLevel.objects.filter(organization_id=organization_id, cycle__isnull=True).order_by("value")

    def make():
        RatingLevel.objects.bulk_create(
            RatingLevel(
                organization_id=organization_id,
                value=value,
                label_nl=label_nl,
                label_en=label_en,
                description_nl=description_nl,
                description_en=description_en,
            )
            for value, label_nl, label_en, description_nl, description_en in DEFAULT_LEVELS
        )

    return _ensure(make, read)


def cycle_levels(*, cycle) -> list[RatingLevel]:
    """The scale ``cycle`` rates on, low to high: its copy, made from the organisation's scale the first time."""

    def read():
        return RatingLevel.objects.filter(organization_id=cycle.organization_id, cycle=cycle).order_by("value")

    def make():
        RatingLevel.objects.bulk_create(
            RatingLevel(
                organization_id=cycle.organization_id,
                cycle=cycle,
                value=level.value,
                label_nl=level.label_nl,
                label_en=level.label_en,
                description_nl=level.description_nl,
                description_en=level.description_en,
            )
            for level in organization_levels(organization_id=cycle.organization_id)
        )

    return _ensure(make, read)


def cycle_bands(*, cycle) -> list[OutcomeBand]:
    """The outcome bands of ``cycle``, low to high: the defaults the first time."""

    def read():
        return OutcomeBand.objects.filter(organization_id=cycle.organization_id, cycle=cycle).order_by("position")

    def make():
        OutcomeBand.objects.bulk_create(
            OutcomeBand(
                organization_id=cycle.organization_id,
                cycle=cycle,
                position=position,
                name_nl=name_nl,
                name_en=name_en,
                description_nl=description_nl,
                description_en=description_en,
                min_score=min_score,
            )
            for position, name_nl, name_en, description_nl, description_en, min_score in DEFAULT_BANDS
        )

    return _ensure(make, read)
