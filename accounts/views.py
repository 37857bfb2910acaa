from allauth.account.utils import perform_login
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
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
    data = request.POST if request.method == "POST" else None
    form = ProfileForm(data, initial={"language": request.user.language})
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
    if not request.user.is_authenticated:
        # The page speaks the language the invitation email was written in.
        translation.activate(user.language or invitation.organization.language)
    if user.has_usable_password():
        # A login that already exists keeps its password; the link only adds this organisation.
        if request.method == "POST":
            try:
                invitation_accept(token=token, password=None)
            except InvitationUnusable:
                return render(request, "accounts/invitation_unusable.html", status=404)
            login_url = reverse("account_login")
            return redirect(f"{login_url}?next={invitation.organization.get_absolute_url()}")
        return render(request, "accounts/invitation_existing.html", {"invitation": invitation})
    form = SetPasswordForm(request.POST if request.method == "POST" else None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            user = invitation_accept(token=token, password=form.cleaned_data["password1"])
        except InvitationUnusable:
            return render(request, "accounts/invitation_unusable.html", status=404)
        messages.success(request, _("Welcome to Helder. Your password has been set."))
        # allauth's login (not django.contrib.auth's) so usersessions records the
        # session and person_deactivate can end it.
        return perform_login(request, user, redirect_url=invitation.organization.get_absolute_url())
    context = {"form": form, "invitation": invitation}
    return render(request, "accounts/invitation_accept.html", context)
