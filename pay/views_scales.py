"""HR's salary scale pages: the table in force and every table, one table, a new table, a scale's steps, the import.

All HR's (pay.rules.MANAGE_PAY). Each view parses a form, calls one selector or service of pay's scales and
renders or redirects; a service's refusal shows at its field, or above the form. The import works without
JavaScript: the upload POST shows the preview (nothing saved), whose button POSTs the checked content back,
signed, with ``confirm=yes``; only that POST applies it.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from core.confirm import confirmed
from core.forms import errors_as_messages, errors_onto_form
from core.urls import get_or_404
from organizations.tenancy import org_view

from . import scale_import as reading
from . import selectors_scales as selectors
from . import services_scales as services
from .forms_scales import ImportConfirmForm, SalaryTableForm, ScaleForm, ScaleImportForm
from .rules import MANAGE_PAY


def _table_url(request, table):
    return redirect("pay:salary_table", org_slug=request.organization.slug, salary_table_id=table.pk)


def _state_of(rows, table):
    return next((row for row in rows if row.table.pk == table.pk), None)


@org_view(MANAGE_PAY)
@require_GET
def scales(request):
    """The table in force today as a grid, and every table with what it is (in force, to come, past)."""
    rows = selectors.salary_tables(organization=request.organization)
    in_force = next((row.table for row in rows if row.state == selectors.IN_FORCE), None)
    context = {"rows": rows, "in_force": in_force, "grid": selectors.table_grid(table=in_force)}
    return render(request, "pay/scales_index.html", context)


@org_view(MANAGE_PAY)
@require_GET
def salary_table(request, salary_table_id):
    """One table's grid, each scale with a link to its steps, and a link to add a scale."""
    table = get_or_404(selectors.tables(organization=request.organization), salary_table_id)
    rows = selectors.salary_tables(organization=request.organization)
    context = {"table": table, "row": _state_of(rows, table), "grid": selectors.table_grid(table=table)}
    return render(request, "pay/scales_table.html", context)


@org_view(MANAGE_PAY)
@require_http_methods(["GET", "POST"])
def salary_table_new(request):
    """A new table from a date, empty or with the steps of an existing one: how HR makes next year's."""
    organization = request.organization
    if request.method == "GET":
        # Next year's table usually starts as a copy of the newest one that has scales.
        rows = selectors.salary_tables(organization=organization)
        newest = next((row.table for row in rows if row.scale_count), None)
        form = SalaryTableForm(organization=organization, initial={"copy_from": newest})
        return render(request, "pay/scales_table_new.html", {"form": form})
    form = SalaryTableForm(request.POST, organization=organization)
    if form.is_valid():
        try:
            table = services.table_create(organization=organization, **form.cleaned_data)
        except ValidationError as error:
            errors_onto_form(form, error)
        else:
            messages.success(request, _("The salary table from %(date)s has been made.") % _day(table))
            return _table_url(request, table)
    return render(request, "pay/scales_table_new.html", {"form": form})


def _day(table) -> dict:
    return {"date": date_format(table.applies_from, "DATE_FORMAT")}


def _scale_form(request, table, scale):
    """The scale's form: posted (as many rows as were sent), or with its steps in ``table`` and empty rows below."""
    if request.method == "POST":
        rows, overflow = ScaleForm.rows_posted(request.POST)
        form = ScaleForm(request.POST, rows=rows)
        form.overflow = overflow
        return form
    steps = selectors.scale_steps_in(table=table, scale=scale) if scale is not None else []
    initial, rows = ScaleForm.initial_for(name=scale.name if scale is not None else "", steps=steps)
    return ScaleForm(initial=initial, rows=rows)


def _scale_page(request, table, scale):
    form = _scale_form(request, table, scale)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.scale_save(
                table=table, scale=scale, name=data["name"], first_step=data["first_step"], amounts=data["amounts"]
            )
        except ValidationError as error:
            errors_onto_form(form, error)
        else:
            messages.success(
                request,
                _("%(scale)s has been saved in the salary table from %(date)s.") % {"scale": saved.name, **_day(table)},
            )
            return _table_url(request, table)
    return render(request, "pay/scales_scale_form.html", {"form": form, "table": table, "scale": scale})


@org_view(MANAGE_PAY)
@require_http_methods(["GET", "POST"])
def scale_edit(request, salary_table_id, scale_id):
    """A scale's name and its steps in one table; saving replaces those steps at once."""
    table = get_or_404(selectors.tables(organization=request.organization), salary_table_id)
    scale = get_or_404(selectors.scales(organization=request.organization), scale_id)
    return _scale_page(request, table, scale)


@org_view(MANAGE_PAY)
@require_http_methods(["GET", "POST"])
def scale_add(request, salary_table_id):
    """A new scale in one table (a scale of that name elsewhere is the same scale, added here)."""
    table = get_or_404(selectors.tables(organization=request.organization), salary_table_id)
    return _scale_page(request, table, None)


# --- the import -------------------------------------------------------------------------------------------------


@org_view(MANAGE_PAY)
@require_http_methods(["GET", "POST"])
def scale_import(request):
    """GET: the upload form. POST: the preview of the file (nothing saved). POST with confirm=yes: apply it."""
    if confirmed(request):
        return _import_apply(request)
    if request.method == "GET":
        return render(request, "pay/scales_import.html", {"form": ScaleImportForm()})
    form = ScaleImportForm(request.POST, request.FILES)
    if form.is_valid():
        # One byte over the limit is enough to refuse it; a huge upload is never read whole.
        raw = form.cleaned_data["file"].read(reading.MAX_BYTES + 1)
        try:
            parsed = reading.read_scale_file(raw)
        except reading.ScaleFileError as error:
            form.add_error("file", error)
        else:
            return _preview(request, form, parsed)
    return render(request, "pay/scales_import.html", {"form": form})


def _preview(request, form, parsed):
    organization, applies_from = request.organization, form.cleaned_data["applies_from"]
    plan = selectors.import_plan(organization=organization, applies_from=applies_from, scales=parsed.scales)
    problems = [(problem.line, problem.message) for problem in parsed.problems]
    problems += [(None, message) for message in plan.problems]
    confirm_form = None
    if not problems:
        confirm_form = ImportConfirmForm.for_file(
            organization_id=organization.pk, applies_from=applies_from, scales=parsed.scales
        )
    context = {
        "form": form,
        "parsed": parsed,
        "plan": plan,
        "grid": plan.grid,
        "problems": problems,
        "confirm_form": confirm_form,
        "file_name": form.cleaned_data["file"].name,
    }
    return render(request, "pay/scales_import_preview.html", context)


def _import_apply(request):
    organization = request.organization
    form = ImportConfirmForm(request.POST, organization_id=organization.pk)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors["content"])
        applies_from, scales = form.cleaned_data["content"]
        plan = services.import_apply(
            organization=organization, applies_from=applies_from, scales=scales, actor=request.employee
        )
    except ValidationError as error:
        errors_as_messages(request, error)
        return redirect("pay:scale_import", org_slug=organization.slug)
    counts = {
        "scales": ngettext("%(count)d scale", "%(count)d scales", len(plan.scales)) % {"count": len(plan.scales)},
        "steps": ngettext("%(count)d step", "%(count)d steps", plan.step_count) % {"count": plan.step_count},
    }
    messages.success(
        request,
        _("The file has been imported into the salary table from %(date)s: %(scales)s, %(steps)s.")
        % {**_day(plan.table), **counts},
    )
    return _table_url(request, plan.table)
