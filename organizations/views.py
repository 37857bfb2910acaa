from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.confirm import confirm_page, confirmed
from core.forms import errors_onto_form
from core.urls import get_or_404

from . import extensions, previews, selectors, services
from .forms import PersonForm, TeamForm
from .forms_people import PeopleFilterForm
from .models import Team
from .permissions import MANAGE_PEOPLE, VIEW_PERSON, can
from .tenancy import org_view

PEOPLE_PER_PAGE = 50


@login_required
@require_GET
def start(request):
    """Where a login lands: the only organisation, or a choice between several."""
    rows = selectors.memberships(user=request.user)
    if len(rows) == 1:
        return redirect(rows[0].organization)
    return render(request, "organizations/choose.html", {"memberships": rows})


@org_view(MANAGE_PEOPLE)
@require_GET
def people_list(request):
    form = PeopleFilterForm(request.GET or None, organization=request.organization)
    rows = selectors.people(organization=request.organization, **form.filters())
    page = Paginator(rows, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "querystring": querystring_without_page(request),
        # Part of a team's name: the teams containing it, each a link that chooses it (also without JavaScript).
        "teams": [(team, querystring_choosing(request, team)) for team in form.teams[: selectors.TEAMS_SHOWN]],
        "more_teams": len(form.teams) > selectors.TEAMS_SHOWN,
        "teams_shown": selectors.TEAMS_SHOWN,
    }
    template = "organizations/people_list.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return render(request, template, context)


def querystring_without_page(request):
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def querystring_choosing(request, team):
    """The people list's address with the same filters and ``team`` chosen by its whole name."""
    params = request.GET.copy()
    for name in ("page", "team"):
        params.pop(name, None)
    params["team_name"] = team.name
    return params.urlencode()


@org_view(MANAGE_PEOPLE)
@require_http_methods(["GET", "POST"])
def person_create(request):
    form = PersonForm(request.POST if request.method == "POST" else None, organization=request.organization)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_create(
                organization=request.organization, actor=request.employee, **form.cleaned_data
            )
        except ValidationError as error:
            errors_onto_form(form, error)
        else:
            messages.success(
                request,
                # The same words for a new address and one known elsewhere: both are invited (issue 9).
                _("%(name)s has been added, and an invitation has been sent to %(email)s.")
                % {"name": person.full_name, "email": person.user.email},
            )
            return redirect(person)
    return render(request, "organizations/person_form.html", {"form": form, "person": None})


def get_person(request, employee_id):
    return get_or_404(selectors.people_detailed(organization=request.organization), employee_id)


@org_view()
@require_GET
def person_detail(request, employee_id):
    person = get_person(request, employee_id)
    if not can(request.employee, VIEW_PERSON, person):
        raise PermissionDenied
    context = {
        "person": person,
        "reports": selectors.reports(manager=person),
        "can_manage": can(request.employee, MANAGE_PEOPLE),
        "invitation": person.invitations.order_by("-created_at").first(),
        "links": extensions.person_links(viewer=request.employee, person=person),  # what higher apps offer
        # Parts of the page higher apps render (cycles: the offer to add them to an active cycle, their conversations).
        "sections": extensions.person_sections(viewer=request.employee, person=person),
    }
    if context["can_manage"]:
        # The person's history is HR's: who changed their role, team, manager or access, and when.
        context["history"] = selectors.history(
            organization=request.organization, objects=[person], page=request.GET.get("history")
        )
    return render(request, "organizations/person_detail.html", context)


@org_view(MANAGE_PEOPLE)
@require_http_methods(["GET", "POST"])
def person_edit(request, employee_id):
    person = get_person(request, employee_id)
    initial = {
        "email": person.user.email,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "job_title": person.job_title,
        "role": person.role,
        "team": person.team_id,
        "manager": person.manager_id,
    }
    data = request.POST if request.method == "POST" else None
    form = PersonForm(data, organization=request.organization, person=person, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(employee=person, actor=request.employee, **form.cleaned_data)
        except ValidationError as error:
            errors_onto_form(form, error)
            person = get_person(request, employee_id)
        else:
            messages.success(request, _("The changes to %(name)s have been saved.") % {"name": person.full_name})
            return redirect(person)
    return render(request, "organizations/person_form.html", {"form": form, "person": person})


@org_view(MANAGE_PEOPLE)
@require_http_methods(["GET", "POST"])
def person_deactivate(request, employee_id):
    """Deactivate a person, after a page saying what that does to them, their reports and their conversations."""
    person = get_person(request, employee_id)
    if not confirmed(request):
        if not person.is_active:
            messages.error(request, _("%(name)s has already been deactivated.") % {"name": person.full_name})
            return redirect(person)
        if person.pk == request.employee.pk:  # the service's refusal, at the first click already
            messages.error(request, _("You cannot deactivate yourself; ask another HR admin."))
            return redirect(person)
        return deactivate_page(request, person)
    try:
        services.person_deactivate(employee=person, actor=request.employee)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            # The same words whether or not their login is used elsewhere: that is not this organisation's business.
            _("%(name)s has been deactivated and no longer has access to this organisation. Their history is kept.")
            % {"name": person.full_name},
        )
    return redirect(person)


def deactivate_page(request, person):
    """What deactivating does (organizations.services.person_deactivate, and what the higher apps add), with counts.

    Not whether their login is used elsewhere: the same words either way (issue 9).
    """
    reports = previews.active_reports(manager=person)
    names = {"name": person.full_name, "count": reports.count}
    points = [
        _("%(name)s loses access to this organisation at once; an invitation not yet accepted stops working.") % names,
        *extensions.step_notes("person_deactivate", person),
    ]
    if reports.count:
        points.append(
            ngettext(
                "%(count)d person reports to %(name)s. They keep %(name)s as their manager until you choose another; "
                "until then nobody can schedule or hold their conversations, and %(name)s gets no reminders about "
                "them.",
                "%(count)d people report to %(name)s. They keep %(name)s as their manager until you choose another; "
                "until then nobody can schedule or hold their conversations, and %(name)s gets no reminders about "
                "them.",
                reports.count,
            )
            % names
        )
    points.append(_("Their history is kept, and you can reactivate them later."))
    return confirm_page(
        request,
        title=_("Deactivate %(name)s") % names,
        points=points,
        button=_("Deactivate %(name)s") % names,
        back=person.get_absolute_url(),
        back_label=_("Back to %(name)s") % names,
        names=reports.names,
        names_total=reports.count,
        names_heading=_("Who reports to %(name)s") % names,
    )


@org_view(MANAGE_PEOPLE)
@require_POST
def person_reactivate(request, employee_id):
    person = get_person(request, employee_id)
    services.person_reactivate(employee=person)
    messages.success(request, _("%(name)s is active again.") % {"name": person.full_name})
    return redirect(person)


@org_view(MANAGE_PEOPLE)
@require_POST
def person_invite(request, employee_id):
    person = get_person(request, employee_id)
    try:
        services.invitation_send(employee=person, actor=request.employee)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("An invitation has been sent to %(email)s.") % {"email": person.user.email})
    return redirect(person)


@org_view(MANAGE_PEOPLE)
@require_http_methods(["GET", "POST"])
def team_list(request):
    form = TeamForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            team = services.team_create(organization=request.organization, name=form.cleaned_data["name"])
        except ValidationError:
            form.add_error("name", _("There is already a team with this name."))
        else:
            messages.success(request, _("Team %(name)s has been created.") % {"name": team.name})
            return redirect("organizations:team_list", org_slug=request.organization.slug)
    context = {"form": form, "teams": selectors.teams(organization=request.organization)}
    return render(request, "organizations/team_list.html", context)


def get_team(request, team_id):
    return get_or_404(Team.objects.filter(organization=request.organization), team_id)


@org_view(MANAGE_PEOPLE)
@require_http_methods(["GET", "POST"])
def team_edit(request, team_id):
    team = get_team(request, team_id)
    form = TeamForm(request.POST if request.method == "POST" else None, initial={"name": team.name})
    if request.method == "POST" and form.is_valid():
        try:
            services.team_rename(team=team, name=form.cleaned_data["name"])
        except ValidationError:
            form.add_error("name", _("There is already a team with this name."))
            team.refresh_from_db()
        else:
            messages.success(request, _("The team has been renamed."))
            return redirect("organizations:team_list", org_slug=request.organization.slug)
    members = selectors.people(organization=request.organization, team_id=team.pk)
    return render(request, "organizations/team_form.html", {"form": form, "team": team, "members": members})


@org_view(MANAGE_PEOPLE)
@require_http_methods(["GET", "POST"])
def team_delete(request, team_id):
    """Delete a team, after a page saying who loses it and what was aimed at it."""
    team = get_team(request, team_id)
    if not confirmed(request):
        return team_delete_page(request, team)
    name = team.name
    count = services.team_delete(team=team)
    if count:
        done = ngettext(
            "Team %(name)s has been deleted; its %(count)d member no longer has a team.",
            "Team %(name)s has been deleted; its %(count)d members no longer have a team.",
            count,
        )
    else:
        done = _("Team %(name)s has been deleted.")
    messages.success(request, done % {"name": name, "count": count})
    return redirect(reverse("organizations:team_list", kwargs={"org_slug": request.organization.slug}))


def team_delete_page(request, team):
    """What deleting a team does (organizations.services.team_delete, and what the higher apps add), with counts."""
    members = previews.team_members(team=team)
    names = {"name": team.name, "count": members.count}
    if members.count:
        points = [
            ngettext(
                "%(count)d member of %(name)s loses their team; they stay in the organisation, without a team.",
                "%(count)d members of %(name)s lose their team; they stay in the organisation, without a team.",
                members.count,
            )
            % names
        ]
    else:
        points = [_("Team %(name)s has no members.") % names]
    points += extensions.step_notes("team_delete", team)
    points.append(_("This cannot be undone; a new team with the same name is a new team."))
    return confirm_page(
        request,
        title=_("Delete team %(name)s") % names,
        points=points,
        button=_("Delete team %(name)s") % names,
        back=reverse("organizations:team_edit", kwargs={"org_slug": request.organization.slug, "team_id": team.pk}),
        back_label=_("Back to the team"),
        names=members.names,
        names_total=members.count,
        names_heading=_("Members who lose their team"),
    )
