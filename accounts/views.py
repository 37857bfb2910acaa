from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from organizations import selectors
from organizations.services import InvitationUnusable, invitation_accept, invitation_for_token

from .forms import LanguageForm, ProfileForm, SetPasswordForm


@require_POST
def language_set(request):
    """Switch the interface language: remembered on the profile when logged in, in a cookie always."""
    form = LanguageForm(request.POST)
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if form.is_valid():
        language = form.cleaned_data["language"]
        if request.user.is_authenticated:
            request.user.language = language
            request.user.save(update_fields=["language"])
        response.set_cookie(
            "django_language",
            language,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            secure=request.is_secure(),
            httponly=True,
        )
    return response


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    form = ProfileForm(request.POST or None, initial={"language": request.user.language})
    if request.method == "POST" and form.is_valid():
        request.user.language = form.cleaned_data["language"]
        request.user.save(update_fields=["language"])
        if request.user.language:
            translation.activate(request.user.language)
        messages.success(request, _("Your profile has been saved."))
        return redirect("profile")
    context = {"form": form, "memberships": selectors.memberships(user=request.user)}
    return render(request, "accounts/profile.html", context)


@require_http_methods(["GET", "POST"])
def invitation_accept_view(request, token):
    """Set a first password from an invitation link, then log in."""
    try:
        invitation = invitation_for_token(token)
    except InvitationUnusable:
        return render(request, "accounts/invitation_unusable.html", status=404)
    user = invitation.employee.user
    if not request.user.is_authenticated and not user.language:
        translation.activate(invitation.organization.language)
    form = SetPasswordForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            user = invitation_accept(token=token, password=form.cleaned_data["password1"])
        except InvitationUnusable:
            return render(request, "accounts/invitation_unusable.html", status=404)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome to Helder. Your password has been set."))
        return redirect(invitation.organization)
    context = {"form": form, "invitation": invitation}
    return render(request, "accounts/invitation_accept.html", context)
