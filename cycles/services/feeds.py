"""A person's calendar feed address: made on first use, replaced on request."""

from django.db import transaction
from django.utils import timezone

from organizations.models import Employee

from ..models import CalendarFeed, new_feed_token


@transaction.atomic
def feed_for(*, employee: Employee) -> CalendarFeed:
    """The person's calendar feed, created on first use; one per membership (a unique key), so harmless twice."""
    feed, _created = CalendarFeed.objects.get_or_create(organization_id=employee.organization_id, employee=employee)
    return feed


@transaction.atomic
def feed_regenerate(*, employee: Employee) -> CalendarFeed:
    """Give the person a new feed address; the old one answers 404 from now on. Twice gives two new addresses,
    the last of which works."""
    feed = feed_for(employee=employee)
    feed.token = new_feed_token()
    feed.created_at = timezone.now()
    feed.save(update_fields=["token", "created_at"])
    return feed
