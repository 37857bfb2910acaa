"""The platform pages: Helder's operators (superusers) list organisations, start one and re-invite its first HR admin.

These pages sit outside every organisation (/platform/). Anyone who is not a
superuser gets 404, so the pages do not announce themselves; someone not
logged in is sent to the login page first.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_scopes import scopes_disabled

from core.forms import errors_onto_form
from core.urls import get_or_404

from . import platform
from .forms_platform import OrganizationStartForm
from .models import Organization

PER_PAGE = 50


def platform_view(view):
    """Only superusers; 404 for every other login."""

    @login_required
    @wraps(view)
    def door(request, *args, **kwargs):
        if not request.user.is_superuser:
            raise Http404
        with scopes_disabled():
            return view(request, *args, **kwargs)

    return door


@platform_view
@require_GET
def organization_list(request):
    page = Paginator(platform.organizations_overview(), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "organizations/platform_list.html", {"page": page})


@platform_view
@require_http_methods(["GET", "POST"])
def organization_create(request):
    form = OrganizationStartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organization, invitation, created = platform.organization_start(**form.cleaned_data)
        except ValidationError as error:
            errors_onto_form(form, error)
        else:
            if created:
                messages.success(
                    request,
                    _("%(name)s is ready; its first HR admin has been invited at %(email)s.")
                    % {"name": organization.name, "email": form.cleaned_data["hr_email"]},
                )
            else:
                messages.info(
                    request, _("%(name)s already existed; nothing was created.") % {"name": organization.name}
                )
            return redirect("platform:organization_list")
    return render(request, "organizations/platform_form.html", {"form": form})


@platform_view
@require_POST
def organization_invite(request, organization_id):
    organization = get_or_404(Organization.objects.all(), organization_id)
    try:
        invitation = platform.first_admin_invite(organization=organization)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        if invitation is None:
            messages.info(request, _("An HR admin of %(name)s has already joined.") % {"name": organization.name})
        else:
            messages.success(
                request,
                _("A new invitation went to %(email)s; the previous link no longer works.")
                % {"email": invitation.employee.user.email},
            )
    return redirect("platform:organization_list")
