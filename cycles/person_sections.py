"""What cycles shows on organizations' pages about people, through organizations.extensions (registered in
CyclesConfig.ready; organizations never imports cycles).

- On a person's page, right under the heading (HR only): each active cycle whose scope they are in and in which
  they have no conversations yet, with what adding them would create (cycles.newcomers), and a button to the
  confirmation (cycles.views_newcomers).
- On a person's page, below their details (whoever may see the page: HR, their manager, themselves; the same people
  cycles.rules.SEE_CONVERSATION lets open each conversation): their conversations in their latest two cycles.
- On the page of an applied people import (HR only): each active cycle that has newcomers, named.

Each runs a fixed number of queries, whatever the number of people or conversations.
"""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef

from organizations.extensions import Section
from organizations.models import Employee
from organizations.permissions import can

from . import newcomers
from .models import Conversation, Cycle
from .rules import ADD_NEWCOMERS, MANAGE_CYCLES, SEE_CONVERSATION

CYCLES_SHOWN = 2  # a person's page lists the conversations of their latest two cycles: this one and the one before

OFFER_TEMPLATE = "cycles/newcomer_offers.html"
CONVERSATIONS_TEMPLATE = "cycles/person_conversations.html"


@dataclass(frozen=True)
class PersonConversations:
    conversations: list[Conversation]  # of the latest CYCLES_SHOWN cycles, newest cycle first, moments in order
    older: bool  # they have conversations in older cycles too, not listed


def person_conversations(*, person: Employee) -> PersonConversations:
    """``person``'s conversations in the latest cycles they have any in, with moment and cycle. Two queries."""
    has_one = Conversation.objects.filter(
        organization_id=person.organization_id, employee_id=person.pk, moment__cycle_id=OuterRef("pk")
    )
    latest = list(
        Cycle.objects.filter(organization_id=person.organization_id)
        .filter(Exists(has_one))
        .order_by("-starts_on", "-pk")
        .values_list("pk", flat=True)[: CYCLES_SHOWN + 1]
    )
    if not latest:
        return PersonConversations(conversations=[], older=False)
    conversations = list(
        Conversation.objects.filter(
            organization_id=person.organization_id, employee_id=person.pk, moment__cycle_id__in=latest[:CYCLES_SHOWN]
        )
        .select_related("moment", "moment__cycle")
        .order_by("-moment__cycle__starts_on", "-moment__cycle__pk", "moment__opens_on", "moment__closes_on", "pk")
    )
    return PersonConversations(conversations=conversations, older=len(latest) > CYCLES_SHOWN)


def offers_on_person_page(*, viewer, person) -> Section | None:
    """HR's offer to add ``person`` to the active cycles they are in the scope of but have no conversations in."""
    if not can(viewer, MANAGE_CYCLES):
        return None
    offers = [offer for offer in newcomers.person_offers(person=person) if can(viewer, ADD_NEWCOMERS, offer.cycle)]
    if not offers:
        return None
    return Section(template=OFFER_TEMPLATE, context={"offers": offers, "person": person}, lead=True)


def conversations_on_person_page(*, viewer, person) -> Section | None:
    """The person's conversations, to whoever may open them (HR, their manager, themselves)."""
    probe = Conversation(employee=person)  # the rule asks only whose conversation it is
    if not can(viewer, SEE_CONVERSATION, probe):
        return None
    return Section(template=CONVERSATIONS_TEMPLATE, context={"listed": person_conversations(person=person)})


def offers_after_import(*, viewer, people_import) -> Section | None:
    """After an import: the active cycles with people in scope who have no conversations yet (those just imported
    among them), named, each with what adding them would create."""
    if not can(viewer, MANAGE_CYCLES):
        return None
    offers = newcomers.organization_offers(organization=people_import.organization)
    offers = [offer for offer in offers if can(viewer, ADD_NEWCOMERS, offer.cycle)]
    if not offers:
        return None
    return Section(template=OFFER_TEMPLATE, context={"offers": offers, "person": None}, lead=True)
