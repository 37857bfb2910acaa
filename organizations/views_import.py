"""People import pages: upload a CSV file or Excel workbook, check the preview, confirm.

The upload form works with and without JavaScript: htmx posts it and swaps
the preview into the page; a plain POST stores the file and redirects to the
preview page. Nothing changes any person until the confirm button is pressed,
and the confirmation says whether the new people are invited now. After the
import, what higher apps offer next about these people (cycles: adding them to
an active cycle) is on the import's page, where HR then lands; without any, on
the list of people.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import push_url, reswap, retarget

from . import extensions, importing, selectors
from .forms import ImportConfirmForm, PeopleFileForm
from .models import PeopleImport
from .permissions import MANAGE_PEOPLE
from .tenancy import org_view


def get_import(request, import_id) -> PeopleImport:
    try:
        return selectors.people_import(organization=request.organization, import_id=int(import_id))
    except (PeopleImport.DoesNotExist, ValueError, OverflowError):
        raise Http404 from None


# A file may hold 10,000 people: the preview's table shows them a page at a time, all of them or one kind.
PREVIEW_ROWS_PER_PAGE = 100
PREVIEW_SHOWS = {
    "all": lambda row: True,
    "problems": lambda row: bool(row.problems),
    "new": lambda row: not row.problems and row.action == "new",
    "updated": lambda row: not row.problems and row.action == "update",
    "unchanged": lambda row: not row.problems and row.action not in ("new", "update"),
}


def preview_rows(request, preview) -> dict:
    """The page of the preview's rows that ``?show=`` and ``?page=`` ask for (an unknown value reads as the first)."""
    show = request.GET.get("show", "all")
    if show not in PREVIEW_SHOWS:
        show = "all"
    rows = [row for row in preview.rows if PREVIEW_SHOWS[show](row)]
    page = Paginator(rows, PREVIEW_ROWS_PER_PAGE).get_page(request.GET.get("page"))
    counts = preview.counts
    kinds = [
        ("all", _("All rows"), counts["rows"]),
        ("problems", _("With problems"), counts["problems"]),
        ("new", _("New"), counts["new"]),
        ("updated", _("Updated"), counts["updated"]),
        ("unchanged", _("Unchanged"), counts["unchanged"]),
    ]
    return {"rows_page": page, "show": show, "querystring": f"show={show}", "row_kinds": kinds}


def preview_context(request, people_import, form=None):
    applied = people_import.applied_at is not None
    preview = None
    confirm_form = None
    rows = {}
    if not applied:
        preview = importing.people_import_preview(organization=request.organization, content=people_import.content)
        confirm_form = ImportConfirmForm(new_people=preview.counts["new"])
        rows = preview_rows(request, preview)
    return {
        **rows,
        "people_import": people_import,
        "preview": preview,
        "counts": people_import.summary if applied else preview.counts,
        "form": form or PeopleFileForm(),
        "confirm_form": confirm_form,
        # Once applied, what higher apps offer next (cycles: conversations for those in an active cycle's scope).
        "sections": extensions.import_sections(viewer=request.employee, people_import=people_import) if applied else [],
    }


@org_view(MANAGE_PEOPLE)
@require_http_methods(["GET", "POST"])
def import_upload(request):
    if request.method != "POST":
        return render(request, "organizations/import_upload.html", {"form": PeopleFileForm()})
    form = PeopleFileForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        # One byte over the limit is enough for the parser to refuse it; never read a huge file whole.
        raw = upload.read(settings.PEOPLE_IMPORT_MAX_BYTES + 1)
        try:
            people_import = importing.people_import_create(
                organization=request.organization,
                uploaded_by=request.employee,
                file_name=upload.name,
                raw=raw,
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            preview_url = reverse(
                "organizations:import_preview",
                kwargs={"org_slug": request.organization.slug, "import_id": people_import.pk},
            )
            if not request.htmx or request.htmx.boosted:
                return redirect(preview_url)
            response = render(
                request, "organizations/import_preview.html#preview", preview_context(request, people_import)
            )
            return push_url(response, preview_url)
    if request.htmx and not request.htmx.boosted:
        # Only the form is replaced, so a preview already on the page stays visible above the error.
        response = render(request, "organizations/import_upload.html#upload_form", {"form": form})
        return reswap(retarget(response, "#import-form"), "outerHTML")
    return render(request, "organizations/import_upload.html", {"form": form})


@org_view(MANAGE_PEOPLE)
@require_GET
def import_preview(request, import_id):
    people_import = get_import(request, import_id)
    template = "organizations/import_preview.html"
    if request.htmx and not request.htmx.boosted:
        template += "#preview"
    return render(request, template, preview_context(request, people_import))


@org_view(MANAGE_PEOPLE)
@require_POST
def import_apply(request, import_id):
    people_import = get_import(request, import_id)
    # The box's count is from the preview HR saw; the apply invites whoever is new when it runs.
    form = ImportConfirmForm(request.POST, new_people=0)
    send_invitations = form.is_valid() and form.cleaned_data["send_invitations"]
    try:
        summary = importing.people_import_apply(
            people_import=people_import, actor=request.employee, send_invitations=send_invitations
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("organizations:import_preview", org_slug=request.organization.slug, import_id=people_import.pk)
    messages.success(request, importing.summary_message(summary))
    if extensions.import_sections(viewer=request.employee, people_import=people_import):
        # Something to do next about these people (an active cycle in which they have no conversations): its page.
        return redirect("organizations:import_preview", org_slug=request.organization.slug, import_id=people_import.pk)
    return redirect("organizations:people_list", org_slug=request.organization.slug)
