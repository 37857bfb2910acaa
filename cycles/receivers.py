"""What cycles does when a lower app announces a change (organizations.signals), connected in CyclesConfig.ready."""

from django.dispatch import receiver
from django_scopes import scope

from organizations.signals import membership_moved, person_deactivated

from .models import CalendarFeed


@receiver(person_deactivated, dispatch_uid="cycles.feed_retire.person_deactivated")
@receiver(membership_moved, dispatch_uid="cycles.feed_retire.membership_moved")
def feed_retire(sender, *, organization_id: int, employee_id: int, **kwargs) -> None:
    """Retire the membership's calendar address when its access ends or passes to another login.

    Deactivated: the feed view already refuses an inactive person's token, but
    without this the old address (perhaps still subscribed by a calendar
    provider, or shared by mistake) would work again the day HR reactivates
    them. Moved to another login: the address the old owner subscribed to
    would go on showing the new owner's conversations. Deleting the row is
    enough: ``services.feed_for`` makes a new address, with a new token, the
    next time the person opens "My year". Runs inside the sender's
    transaction, so a refused change keeps the address; harmless twice.
    """
    with scope(organization=organization_id):
        CalendarFeed.objects.filter(organization_id=organization_id, employee_id=employee_id).delete()
