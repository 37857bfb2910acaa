"""The last HR admin: every organisation keeps at least one HR admin who can log in.

Nobody outside an organisation can give it a new HR admin, so a change that
leaves it without one cannot be undone by anyone. The rule is written once
here and every path that can take the role or the access away goes through
it: editing a person (their role or their email address), deactivating a
person, and the people import.

"Can log in" means: an active, joined membership whose login is switched on
and has a usable password. An HR admin who was only invited does not count:
until they accept, nobody can act as them.
"""

from collections.abc import Iterable, Mapping
from contextlib import contextmanager

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import OPEN_MEMBERSHIP, Employee, Organization, Role


def rule_message() -> str:
    return _(
        "An organisation always keeps at least one active HR admin who can log in. Make someone else HR admin first."
    )


def can_act_as_hr_admin(employee: Employee, role: str | None = None) -> bool:
    """Whether ``employee`` (its login loaded) is, or with ``role`` would be, an HR admin who can log in."""
    return (
        (role or employee.role) == Role.HR_ADMIN
        and employee.is_active
        and employee.joined_at is not None
        and employee.user.is_active
        and employee.user.has_usable_password()
    )


def hr_admins_remain(*, people: Iterable[Employee], roles: Mapping[int, str] | None = None) -> bool:
    """Whether one of ``people`` is an HR admin who can log in once ``roles`` (employee id → role) apply.

    Reads nothing: the people import asks it about the people it has already loaded.
    """
    roles = roles or {}
    return any(can_act_as_hr_admin(person, roles.get(person.pk)) for person in people)


@contextmanager
def hr_admin_kept(*, organization_id: int):
    """Run a change of the organisation's people, then refuse it if no HR admin who can log in remains.

    The organisation's row is locked first, so two changes that each take
    away one of two HR admins run one after the other: the second sees the
    first one's result and is refused. The check runs after the change, inside
    the same transaction, so it judges what would be committed whatever the
    path changed (a role, a login, an active flag). Raises ValidationError,
    rolling the change back.
    """
    with transaction.atomic():
        list(Organization.objects.select_for_update().filter(pk=organization_id).values_list("pk"))
        yield
        candidates = (
            Employee.objects.filter(OPEN_MEMBERSHIP, organization_id=organization_id, role=Role.HR_ADMIN)
            .filter(user__is_active=True)
            .exclude(user__password__startswith=UNUSABLE_PASSWORD_PREFIX)
            .select_related("user")
        )
        if not hr_admins_remain(people=candidates):
            raise ValidationError(rule_message(), code="last_hr_admin")
