"""Starting an organisation: what an operator does once per customer, from the command line or the platform pages.

An organisation starts with one HR admin, invited by email like anyone else:
nobody gets in until the owner of the address accepts (issue 9's rule holds
here too). Both the command (create_organization) and the platform pages
(views_platform, for superusers) call these services. They work across
organisations, so they run with django-scopes' scopes disabled.
"""

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from .invitations import invitation_send
from .logins import normalise_email
from .models import Employee, Invitation, Organization, Role
from .services import person_create

# Addresses of organisations are also paths of Helder itself (/o/<slug>/): these would read oddly or collide.
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
RESERVED_SLUGS = frozenset({"admin", "platform", "accounts", "account", "static", "media", "healthz", "o"})

# HR admins who can log in: the organisation has been taken into use.
JOINED_HR = Q(employees__role=Role.HR_ADMIN, employees__is_active=True, employees__joined_at__isnull=False)


def organizations_overview():
    """Every organisation with its number of active people and of HR admins who have joined, by name."""
    return Organization.objects.annotate(
        people=Count("employees", filter=Q(employees__is_active=True)),
        hr_joined=Count("employees", filter=JOINED_HR),
    ).order_by("name")


@transaction.atomic
def organization_start(
    *,
    slug: str,
    name: str,
    language: str,
    time_zone: str,
    hr_email: str,
    hr_first_name: str = "",
    hr_last_name: str = "",
) -> tuple[Organization, Invitation | None, bool]:
    """Create the organisation and invite its first HR admin; returns (organisation, invitation, created).

    Harmless twice: for an existing organisation of the same name with the same
    first HR admin, nothing is created; the invitation is sent again while that
    admin has not joined (invitation is None once they have). A slug that is
    taken by another organisation, or another first HR admin, is refused.
    """
    with scopes_disabled():
        return _start(slug, name, language, time_zone, hr_email, hr_first_name, hr_last_name)


def _start(slug, name, language, time_zone, hr_email, hr_first_name, hr_last_name):
    slug = (slug or "").strip()
    email = normalise_email(hr_email or "")
    errors = {}
    if not SLUG.fullmatch(slug):
        errors["slug"] = _("Use lower-case letters, digits and hyphens only, for example “acme”.")
    elif slug in RESERVED_SLUGS:
        errors["slug"] = _("“%(slug)s” is reserved; choose another address name.") % {"slug": slug}
    if not email or "@" not in email:
        errors["hr_email"] = _("Enter the email address of the first HR admin.")
    if errors:
        raise ValidationError(errors)
    existing = Organization.objects.filter(slug=slug).first()
    if existing is not None:
        admin = existing.employees.filter(role=Role.HR_ADMIN, user__email__iexact=email).first()
        if existing.name != name.strip() or admin is None:
            raise ValidationError({"slug": _("The address name “%(slug)s” is taken.") % {"slug": slug}})
        return existing, first_admin_invite(organization=existing), False
    organization = Organization(slug=slug, name=name.strip(), language=language, time_zone=time_zone)
    organization.full_clean()
    organization.save()
    first_name = hr_first_name.strip() or email.split("@")[0]
    admin = person_create(
        organization=organization,
        email=email,
        first_name=first_name,
        last_name=hr_last_name.strip(),
        role=Role.HR_ADMIN,
        invite=False,
    )
    return organization, invitation_send(employee=admin, actor=None), True


def first_admins(*, organization: Organization):
    """The organisation's HR admins (active), earliest first."""
    return Employee.objects.filter(organization=organization, role=Role.HR_ADMIN, is_active=True).order_by("pk")


@transaction.atomic
def first_admin_invite(*, organization: Organization) -> Invitation | None:
    """Send the first HR admin a new invitation when no HR admin has joined yet; None when one has.

    Not harmless twice: each call mails a new link and revokes the previous one.
    """
    with scopes_disabled():
        return _invite_first(organization)


def _invite_first(organization):
    admins = list(first_admins(organization=organization))
    if any(admin.has_joined for admin in admins):
        return None
    if not admins:
        raise ValidationError(_("This organisation has no active HR admin to invite."))
    return invitation_send(employee=admins[0], actor=None)
