"""What cycles does when a lower app announces a change (organizations.signals), connected in CyclesConfig.ready."""

from django.db import transaction
from django.db.models import Q
from django.dispatch import receiver
from django_scopes import scope

from organizations.models import Employee, Role
from organizations.signals import membership_moved, person_changed, person_deactivated

from .models import CalendarFeed, Cycle, CycleStatus, PlanRequest
from .plan_requests import plan_request_record


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


@receiver(person_changed, dispatch_uid="cycles.replan.person_changed")
def replan_for_person(sender, *, organization_id: int, employee_id: int, fields: frozenset, **kwargs) -> None:
    """Re-plan the reminders of the active cycles a person's change reaches, after the sender's commit.

    Who is reminded depends on people: a conversation's reminders go to its
    person and their manager, the weekly digest to the HR admins, and nobody
    inactive gets one. So a changed manager, team or active state re-plans the
    cycles in which the person, or someone reporting to them, has a
    conversation; a role change, or any change of an HR admin, re-plans every
    active cycle (the digest's readers). Whole cycles, since a manager's
    per-moment reminders cover all their reports: the old manager's go, the new
    manager's come. The request is recorded in the outbox inside the sender's
    transaction (cycles.plan_requests), so a refused change plans nothing and a
    saved one is planned even with the broker down. One request per cycle and
    transaction, so an import that moves 500 people plans each cycle once and
    asks the database little per person. Harmless twice, like every planning.
    """
    with scope(organization=organization_id):
        pending = _Replanning.of(organization_id)
        if not pending.active_cycles() or pending.covers_all():
            return
        for cycle_id in _cycles_reached(organization_id, employee_id, fields):
            if not pending.covers(cycle_id):
                pending.record(cycle_id)


def _cycles_reached(organization_id: int, employee_id: int, fields: frozenset) -> list[int]:
    active = Cycle.objects.filter(organization_id=organization_id, status=CycleStatus.ACTIVE)
    if "role" not in fields and not Employee.objects.filter(pk=employee_id, role=Role.HR_ADMIN).exists():
        takes_part = Q(moments__conversations__employee_id=employee_id) | Q(
            moments__conversations__employee__manager_id=employee_id
        )
        active = active.filter(takes_part).distinct()
    return list(active.values_list("pk", flat=True))


class _Replanning:
    """What the running transaction has asked to re-plan in one organisation, kept among its on-commit hooks.

    Django keeps the hooks of the running transaction, and only those, until it commits or rolls back; so
    this record lives exactly as long as the transaction, and a rolled-back one takes its requests along.
    Calling it after the commit does nothing: the requests' own hooks (plan_requests_kick) do the work.
    """

    def __init__(self, organization_id: int):
        self.organization_id = organization_id
        self.active: list[int] | None = None  # the organisation's active cycles, read once per transaction
        self.requests: dict[int, int] = {}  # cycle id -> the whole-cycle plan request recorded for it

    def __call__(self) -> None:
        pass

    @classmethod
    def of(cls, organization_id: int) -> "_Replanning":
        # Django's list of the running transaction's hooks: a private attribute, so read defensively.
        for _savepoints, hook, *_rest in getattr(transaction.get_connection(), "run_on_commit", None) or []:
            if isinstance(hook, cls) and hook.organization_id == organization_id:
                return hook
        record = cls(organization_id)
        transaction.on_commit(record)
        return record

    def active_cycles(self) -> list[int]:
        if self.active is None:
            self.active = list(
                Cycle.objects.filter(organization_id=self.organization_id, status=CycleStatus.ACTIVE).values_list(
                    "pk", flat=True
                )
            )
        return self.active

    def covers(self, cycle_id: int) -> bool:
        return cycle_id in self.requests and self._waiting([self.requests[cycle_id]])

    def covers_all(self) -> bool:
        return all(cycle_id in self.requests for cycle_id in self.active_cycles()) and self._waiting(
            list(self.requests.values())
        )

    @staticmethod
    def _waiting(request_ids: list[int]) -> bool:
        """Not yet planned: planning it after the commit covers this change too. (A test that runs the on-commit
        hooks early has planned and deleted it already.)"""
        return PlanRequest.objects.filter(pk__in=request_ids, claim="").count() == len(request_ids)

    def record(self, cycle_id: int) -> None:
        self.requests[cycle_id] = plan_request_record(organization_id=self.organization_id, cycle_id=cycle_id).pk
