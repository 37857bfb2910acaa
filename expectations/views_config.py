"""HR's configuration of expectations: core values, strategic goals, what does not count, and the cap.

The three lists work alike: the list page shows the rows with an add form,
an edit page changes one row, and deleting is a POST from the edit page. A
``Kind`` says which form, selector and services each list uses, so the ten
views below stay one call each. Every change goes through expectations.services;
a refusal comes back as a field error (or a message, for a delete).
"""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from core.forms import errors_as_messages, errors_onto_form
from core.urls import get_or_404
from organizations.tenancy import org_view

from . import selectors, services
from .forms_config import ORDER_MAX, CapForm, CoreValueForm, NotCountedForm, StrategicGoalForm
from .rules import MANAGE_EXPECTATIONS
from .weights import weights_context


@dataclass(frozen=True)
class Kind:
    """What one of the three configuration lists is made of."""

    form: type
    rows: object  # selector(organization=...) -> queryset of the organisation's rows, in their order
    save: object  # service(organization=..., <instance>=..., **fields)
    delete: object  # service(<instance>=...)
    instance: str  # the keyword the services take the row under
    list_url: str
    edit_url: str
    id_kwarg: str
    list_template: str
    form_template: str
    added: str
    saved: str
    deleted: str


VALUES = Kind(
    form=CoreValueForm,
    rows=selectors.core_values,
    save=services.core_value_save,
    delete=services.core_value_delete,
    instance="core_value",
    list_url="expectations:value_list",
    edit_url="expectations:value_edit",
    id_kwarg="value_id",
    list_template="expectations/config/value_list.html",
    form_template="expectations/config/value_form.html",
    added=gettext_lazy("The core value %(name)s has been added."),
    saved=gettext_lazy("The changes to the core value %(name)s have been saved."),
    deleted=gettext_lazy("The core value %(name)s has been deleted."),
)

GOALS = Kind(
    form=StrategicGoalForm,
    rows=selectors.strategic_goals,
    save=services.strategic_goal_save,
    delete=services.strategic_goal_delete,
    instance="goal",
    list_url="expectations:goal_list",
    edit_url="expectations:goal_edit",
    id_kwarg="goal_id",
    list_template="expectations/config/goal_list.html",
    form_template="expectations/config/goal_form.html",
    added=gettext_lazy("The strategic goal %(name)s has been added."),
    saved=gettext_lazy("The changes to the strategic goal %(name)s have been saved."),
    deleted=gettext_lazy("The strategic goal %(name)s has been deleted."),
)

NOT_COUNTED = Kind(
    form=NotCountedForm,
    rows=selectors.not_counted,
    save=services.not_counted_save,
    delete=services.not_counted_delete,
    instance="item",
    list_url="expectations:not_counted_list",
    edit_url="expectations:not_counted_edit",
    id_kwarg="item_id",
    list_template="expectations/config/not_counted_list.html",
    form_template="expectations/config/not_counted_form.html",
    added=gettext_lazy("“%(name)s” has been added to what does not count."),
    saved=gettext_lazy("The changes to “%(name)s” have been saved."),
    deleted=gettext_lazy("“%(name)s” has been taken off what does not count."),
)


def get_row(request, kind: Kind, row_id):
    """One row of this organisation through the kind's selector, or 404."""
    return get_or_404(kind.rows(organization=request.organization), row_id)


def list_page(request, kind: Kind):
    """GET: the rows with an empty add form. POST: add a row, or show the form with its errors."""
    organization = request.organization
    rows = list(kind.rows(organization=organization))
    if request.method == "POST":
        form = kind.form(request.POST, organization=organization)
        if form.is_valid():
            try:
                row = kind.save(organization=organization, **form.cleaned_data)
            except ValidationError as error:
                errors_onto_form(form, error)
            else:
                messages.success(request, kind.added % {"name": row})
                return redirect(kind.list_url, org_slug=organization.slug)
    else:
        # A new row goes after the last one unless HR says otherwise.
        next_order = min(rows[-1].order + 1, ORDER_MAX) if rows else 0
        form = kind.form(organization=organization, initial={"order": next_order})
    return render(request, kind.list_template, {"rows": rows, "form": form})


def edit_page(request, kind: Kind, row_id):
    """GET: the row's form. POST: save the change, or show the form with its errors."""
    organization = request.organization
    row = get_row(request, kind, row_id)
    if request.method == "POST":
        form = kind.form(request.POST, organization=organization)
        if form.is_valid():
            try:
                row = kind.save(organization=organization, **{kind.instance: row}, **form.cleaned_data)
            except ValidationError as error:
                errors_onto_form(form, error)
                row = get_row(request, kind, row_id)  # the service set the refused values on it
            else:
                messages.success(request, kind.saved % {"name": row})
                return redirect(kind.list_url, org_slug=organization.slug)
    else:
        form = kind.form(organization=organization, initial=kind.form.initial_for(row))
    return render(request, kind.form_template, {"row": row, "form": form})


def delete_row(request, kind: Kind, row_id):
    """Delete the row and go back to the list; a refusal goes back to the row's page with the reason."""
    row = get_row(request, kind, row_id)
    name = str(row)
    try:
        kind.delete(**{kind.instance: row})
    except ValidationError as error:
        errors_as_messages(request, error)
        return redirect(kind.edit_url, org_slug=request.organization.slug, **{kind.id_kwarg: row.pk})
    messages.success(request, kind.deleted % {"name": name})
    return redirect(kind.list_url, org_slug=request.organization.slug)


@org_view(MANAGE_EXPECTATIONS)
@require_http_methods(["GET", "POST"])
def value_list(request):
    return list_page(request, VALUES)


@org_view(MANAGE_EXPECTATIONS)
@require_http_methods(["GET", "POST"])
def value_edit(request, value_id):
    return edit_page(request, VALUES, value_id)


@org_view(MANAGE_EXPECTATIONS)
@require_POST
def value_delete(request, value_id):
    """Refused while expectations (retired ones too: their history needs it) belong to the core value."""
    return delete_row(request, VALUES, value_id)


@org_view(MANAGE_EXPECTATIONS)
@require_http_methods(["GET", "POST"])
def goal_list(request):
    return list_page(request, GOALS)


@org_view(MANAGE_EXPECTATIONS)
@require_http_methods(["GET", "POST"])
def goal_edit(request, goal_id):
    return edit_page(request, GOALS, goal_id)


@org_view(MANAGE_EXPECTATIONS)
@require_POST
def goal_delete(request, goal_id):
    """Expectations that served the goal keep their wording and lose the link."""
    return delete_row(request, GOALS, goal_id)


@org_view(MANAGE_EXPECTATIONS)
@require_http_methods(["GET", "POST"])
def not_counted_list(request):
    return list_page(request, NOT_COUNTED)


@org_view(MANAGE_EXPECTATIONS)
@require_http_methods(["GET", "POST"])
def not_counted_edit(request, item_id):
    return edit_page(request, NOT_COUNTED, item_id)


@org_view(MANAGE_EXPECTATIONS)
@require_POST
def not_counted_delete(request, item_id):
    return delete_row(request, NOT_COUNTED, item_id)


@org_view(MANAGE_EXPECTATIONS)
@require_http_methods(["GET", "POST"])
def cap_settings(request):
    """The cap on applicable published expectations per person, with where each team stands now.

    Lowering the cap below what is already published is refused by the service,
    naming the teams; the message shows at the field.
    """
    organization = request.organization
    form = CapForm(request.POST if request.method == "POST" else None, initial={"cap": organization.expectation_cap})
    if request.method == "POST" and form.is_valid():
        try:
            services.organization_cap_set(organization=organization, cap=form.cleaned_data["cap"])
        except ValidationError as error:
            errors_onto_form(form, error)
        else:
            messages.success(
                request,
                _("From now on at most %(cap)d published expectations apply to one person.")
                % {"cap": organization.expectation_cap},
            )
            return redirect("expectations:settings", org_slug=organization.slug)
    groups = selectors.groups(organization=organization)
    context = {
        "form": form,
        "cap": organization.expectation_cap,
        "groups": groups,
        **weights_context(request, groups=groups, cap=organization.expectation_cap),
    }
    return render(request, "expectations/config/settings.html", context)
