"""Accepting an invitation, at the token address /invite/<token>/ (the services are in invitations.py).

The templates stay under accounts/: to the person they are pages about their login.
"""

from allauth.account.utils import perform_login
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.forms import SetPasswordForm

from .invitations import InvitationNeedsOwnLogin, InvitationUnusable, invitation_accept, invitation_for_token


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
