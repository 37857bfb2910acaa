"""Role predicates and the people rules: who may do what inside an organisation.

Every predicate takes the acting Employee (the membership the tenancy door
put on ``request.employee``) and, for object rules, the other object. The door
has already proved that both belong to the same organisation.
"""

import rules

from .models import Role


@rules.predicate
def is_hr_admin(employee):
    return employee is not None and employee.role == Role.HR_ADMIN


@rules.predicate
def is_manager(employee):
    return employee is not None and employee.role == Role.MANAGER


@rules.predicate
def is_manager_of(employee, other):
    return employee is not None and other is not None and other.manager_id == employee.pk


@rules.predicate
def is_self(employee, other):
    return employee is not None and other is not None and other.pk == employee.pk


MANAGE_PEOPLE = "organizations.manage_people"
VIEW_PERSON = "organizations.view_person"

rules.add_rule(MANAGE_PEOPLE, is_hr_admin)
rules.add_rule(VIEW_PERSON, is_hr_admin | is_manager_of | is_self)


def can(employee, rule, obj=None):
    """True when ``employee`` passes ``rule`` (optionally about ``obj``)."""
    return rules.test_rule(rule, employee, obj)
