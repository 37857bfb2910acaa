from allauth.account.utils import perform_login
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from organizations import selectors
from organizations.invitations import (
    InvitationNeedsOwnLogin,
    InvitationUnusable,
    invitation_accept,
    invitation_for_token,
)

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
    """Accept an invitation: choose a first password, or, for a login that has one, confirm while logged in as it."""
    try:
        invitation = invitation_for_token(token)
    except InvitationUnusable:
        return render(request, "accounts/invitation_unusable.html", status=404)
    user = invitation.employee.user
    if not request.user.is_authenticated:
        # The page speaks the language the invitation email was written in.
        translation.activate(user.language or invitation.organization.language)
    if user.has_usable_password():
        return existing_login_accept(request, token, invitation)
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


def existing_login_accept(request, token, invitation):
    """A login that has a password accepts only while logged in as exactly that login.

    Holding the link is not enough: it may have been forwarded, and the
    address may once have been claimed by someone else. Logging in proves the
    login; the link proves the address; together they join the organisation.
    """
    context = {"invitation": invitation, "email": invitation.employee.user.email}
    if not request.user.is_authenticated:
        context["login_url"] = f"{reverse('account_login')}?{urlencode({'next': request.path})}"
        return render(request, "accounts/invitation_existing.html", context)
    if request.user.pk != invitation.employee.user_id:
        return render(request, "accounts/invitation_wrong_login.html", context, status=403)
    if request.method == "POST":
        try:
            invitation_accept(token=token, accepted_by=request.user)
        except (InvitationUnusable, InvitationNeedsOwnLogin):
            return render(request, "accounts/invitation_unusable.html", status=404)
        messages.success(
            request, _("You have joined %(organization)s.") % {"organization": invitation.organization.name}
        )
        return redirect(invitation.organization)
    return render(request, "accounts/invitation_confirm.html", context)


def closed(request, *args, **kwargs):
    """Pages of allauth that Helder does not offer, answered with 404.

    People are matched to logins by email address, so a login's address never
    changes by itself: HR changes a person's address, and the new address
    accepts an invitation (organizations.logins.email_owner).
    """
    raise Http404
