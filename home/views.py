"""The pages that gather what several apps offer: the organisation's home page, and the profile.

The profile is the login's (accounts) but lists the person's organisations (organizations), so it lives here.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.forms import ProfileForm
from organizations import selectors as organization_selectors
from organizations.tenancy import org_view

from . import selectors


@org_view()
@require_GET
def home(request):
    """Every member's start page: their place, their next conversation, and what their role looks after."""
    return render(request, "home/home.html", selectors.home_cards(employee=request.employee))


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    data = request.POST if request.method == "POST" else None
    form = ProfileForm(data, initial={"language": request.user.language})
    if request.method == "POST" and form.is_valid():
        request.user.language = form.cleaned_data["language"]
        request.user.save(update_fields=["language"])
        if request.user.language:
            translation.activate(request.user.language)
        messages.success(request, _("Your profile has been saved."))
        return redirect("profile")
    context = {"form": form, "memberships": organization_selectors.memberships(user=request.user)}
    return render(request, "accounts/profile.html", context)
