"""reviews' answers to the signals of lower apps (connected in ReviewsConfig.ready)."""

from django.dispatch import receiver

from cycles.signals import cycle_activated

from . import scales


@receiver(cycle_activated, dispatch_uid="reviews.freeze_scale")
def freeze_scale(sender, cycle, **kwargs):
    """A cycle that becomes active rates on a copy of today's scale and starts with the default outcome bands."""
    scales.cycle_levels(cycle=cycle)
    scales.cycle_bands(cycle=cycle)
